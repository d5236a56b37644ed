{#-
    read_landing_csv(system, folder, columns): one row per data row of every landed CSV file
    of `folder`, every documented column as text (explicit types: nothing is inferred), plus
    source_file, source_row_number (1-based data row in its file) and landing_error.

    Columns are matched by header name, in any order. A file whose header lacks a documented
    key column is a bad file: the build stops naming the file, what was expected and what
    was found, or, with var('on_bad_file') = 'quarantine', the file is skipped and appears
    as one row with `landing_error` set (routed to staging.rejected_rows).
-#}
{% macro read_landing_csv(system, folder, columns) -%}
    {{- return(adapter.dispatch('read_landing_csv', 'session_analytics')(
        system, folder, columns)) -}}
{%- endmacro %}


{% macro bad_landing_file(system, file, problem) -%}
    {%- if var('on_bad_file', 'fail') == 'quarantine' -%}
        {{- log('session_analytics: quarantined bad file ' ~ file ~ ' (' ~ system ~ '): '
            ~ problem, info=true) -}}
    {%- else -%}
        {{- exceptions.raise_compiler_error(
            'Bad landing file ' ~ file ~ ' (' ~ system ~ '): ' ~ problem
            ~ ". Fix or remove the file, or run with --vars '{on_bad_file: quarantine}'"
            ~ ' to skip it and record it in staging.rejected_rows.') -}}
    {%- endif -%}
{%- endmacro %}


{% macro duckdb__read_landing_csv(system, folder, columns) -%}
    {%- set csv_options = "header = true, all_varchar = true, delim = ',', quote = '\"'" -%}
    {%- set good_files = [] -%}
    {%- set bad_files = [] -%}
    {%- set found_columns = [] -%}
    {%- set keys = columns | selectattr('key') | map(attribute='name') | list -%}
    {%- for file in landing_files(folder, ['*.csv', '*.CSV']) if file.size > 0 -%}
        {%- set header = run_query(
            "describe select * from read_csv('" ~ file.path ~ "', " ~ csv_options ~ ")"
        ).columns[0].values() | map('lower') | list -%}
        {%- set missing = [] -%}
        {%- for key in keys if key | lower not in header -%}
            {%- do missing.append(key) -%}
        {%- endfor -%}
        {%- if missing -%}
            {%- set problem = 'expected a CSV header with the documented key column(s) '
                ~ keys | join(', ') ~ '; missing ' ~ missing | join(', ')
                ~ '; found: ' ~ header[:12] | join(', ') -%}
            {{- bad_landing_file(system, file.path, problem) -}}
            {%- do bad_files.append({'path': file.path, 'problem': problem}) -%}
        {%- else -%}
            {%- do good_files.append(file) -%}
            {%- do found_columns.extend(header) -%}
        {%- endif -%}
    {%- endfor %}
    select
    {%- for column in columns %}
        {% if column.name | lower in found_columns -%}
            "{{ column.name }}"
        {%- else -%}
            cast(null as varchar) as "{{ column.name }}"
        {%- endif %},
    {%- endfor %}
        source_file,
        scan_order - min(scan_order) over (partition by source_file) + 1
            as source_row_number,
        cast(null as varchar) as landing_error
    from (
        {%- if good_files %}
        select
            *,
            filename as source_file,
            row_number() over () as scan_order
        from read_csv(
            {{ landing_file_list(good_files) }},
            {{ csv_options }}, union_by_name = true, filename = true
        )
        {%- else %}
        select
            {%- for column in columns if column.name | lower in found_columns %}
            cast(null as varchar) as "{{ column.name }}",
            {%- endfor %}
            cast(null as varchar) as source_file,
            cast(null as bigint) as scan_order
        where false
        {%- endif %}
    ) as landed
    {%- for bad in bad_files %}
    union all
    select
        {%- for column in columns %}
        cast(null as varchar) as "{{ column.name }}",
        {%- endfor %}
        '{{ bad.path }}' as source_file,
        cast(null as bigint) as source_row_number,
        '{{ bad.problem | replace("'", "''") }}' as landing_error
    {%- endfor %}
{%- endmacro %}
