{#-
    Landed files of one source folder: a list of {path, size} dicts, sorted by path.
    Runs at execution time only (returns [] while dbt parses). A missing or empty folder
    gives [] and the staging models build with zero rows.
-#}
{% macro landing_path(folder) -%}
    {{- var('landing_dir') ~ '/' ~ folder -}}
{%- endmacro %}


{% macro landing_files(folder, patterns) -%}
    {{- return(adapter.dispatch('landing_files', 'session_analytics')(folder, patterns)) -}}
{%- endmacro %}


{% macro duckdb__landing_files(folder, patterns) -%}
    {%- if not execute -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set globs = [] -%}
    {%- for pattern in patterns -%}
        {%- do globs.append("'" ~ landing_path(folder) ~ "/" ~ pattern ~ "'") -%}
    {%- endfor -%}
    {%- set listing -%}
        select file from glob([{{ globs | join(', ') }}]) order by file
    {%- endset -%}
    {%- set names = run_query(listing).columns[0].values() | list -%}
    {%- if names | length == 0 -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set sizing -%}
        select filename, size from read_blob([
            {%- for name in names %}'{{ name }}'{{ ', ' if not loop.last }}{% endfor -%}
        ]) order by filename
    {%- endset -%}
    {%- set files = [] -%}
    {%- for row in run_query(sizing).rows -%}
        {%- do files.append({'path': row[0], 'size': row[1]}) -%}
    {%- endfor -%}
    {{- return(files) -}}
{%- endmacro %}


{#- Quote a list of file dicts as a SQL list literal of paths. -#}
{% macro landing_file_list(files) -%}
    [{% for file in files %}'{{ file.path }}'{{ ', ' if not loop.last }}{% endfor %}]
{%- endmacro %}
