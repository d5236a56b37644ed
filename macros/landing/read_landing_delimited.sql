{#-
    read_landing_delimited(system, files, max_fields): one row per non-blank line of the
    header-less delimited text files `files` (landing_files dicts) of a CQD tenant data
    folder (buildings/, endpoints/; REFERENCE.md section 7): no header row, comma or tab
    separated (a file whose first line holds a tab is tab separated), no quoting (a
    field wrapped in double quotes loses them). Columns: source_file,
    source_row_number (the 1-based line number, blank lines counted), field_1 ..
    field_<max_fields> (text, trimmed; '' and a missing field are NULL), field_count
    and landing_error (NULL). A file that is not UTF-8 is a bad landing file
    (bad_landing_file: stop, or with on_bad_file quarantine one row with landing_error
    set and source_row_number NULL). A BOM and CRLF line ends are tolerated; a 0-byte or
    blank file has no rows. Only the line reader (delimited_lines) is per engine.
-#}
{% macro read_landing_delimited(system, files, max_fields) -%}
    {%- set string = dbt.type_string() -%}
    {%- if files is mapping -%}
        {{- return(delimited_runtime_rows(system, files, max_fields)) -}}
    {%- endif -%}
    {%- set checks = landing_text_checks(files) -%}
    {%- set good = [] -%}
    {%- set bad = [] -%}
    {%- for file in files if file.size > 0 -%}
        {%- set check = checks[file.path] -%}
        {%- if not check.utf8 -%}
            {%- set problem = not_utf8_problem('comma or tab separated text') -%}
            {{- bad_landing_file(system, file.path, problem) -}}
            {%- do bad.append({'path': file.path, 'problem': problem}) -%}
        {%- elif not check.blank -%}
            {%- do good.append(file) -%}
        {%- endif -%}
    {%- endfor %}
    {%- if good %}
    {{ delimited_fields(delimited_lines(good), max_fields) }}
    {%- else %}
    select
        cast(null as {{ string }}) as source_file,
        cast(null as bigint) as source_row_number,
        {%- for number in range(1, max_fields + 1) %}
        cast(null as {{ string }}) as field_{{ number }},
        {%- endfor %}
        cast(null as bigint) as field_count,
        cast(null as {{ string }}) as landing_error
    where false
    {%- endif %}
    {%- for file in bad %}
    union all
    select
        '{{ file.path }}' as source_file,
        cast(null as bigint) as source_row_number,
        {%- for number in range(1, max_fields + 1) %}
        cast(null as {{ string }}) as field_{{ number }},
        {%- endfor %}
        cast(null as bigint) as field_count,
        '{{ file.problem | replace("'", "''") }}' as landing_error
    {%- endfor %}
{%- endmacro %}


{#-
    The fields of the non-blank lines of `lines_sql` (delimited_lines' columns), as
    read_landing_delimited gives them (landing_error NULL).
-#}
{% macro delimited_fields(lines_sql, max_fields) -%}
    select
        source_file,
        source_row_number,
        {%- for number in range(1, max_fields + 1) %}
        nullif(
            trim(both '"' from trim(split_part(line, separator, {{ number }}))), ''
        ) as field_{{ number }},
        {%- endfor %}
        length(line) - length(replace(line, separator, '')) + 1 as field_count,
        cast(null as {{ dbt.type_string() }}) as landing_error
    from (
        select
            source_file,
            source_row_number,
            line,
            case when first_line_has_tab then chr(9) else ',' end as separator
        from ({{ lines_sql }}) as lines
    ) as separated
    where trim(both ' ' || chr(9) || chr(13) from line) <> ''
{%- endmacro %}


{#-
    read_landing_delimited for a run-time file set (DuckDB; landing_files_to_read): the
    files are listed, read (once, read_blob) and checked while the query runs; a file
    that is not UTF-8 is a bad file (bad_file_landing_error: the query stops naming
    it, or with quarantine it is one row with landing_error set).
-#}
{% macro delimited_runtime_rows(system, files, max_fields) -%}
    {%- set string = dbt.type_string() -%}
    with

    texts as (
        select
            filename as source_file,
            try(decode(content)) as text
        from read_blob({{ landing_file_list(files) }})
    ),

    lines as (
        {{ delimited_text_lines(
            'select source_file, text from texts where text is not null'
        ) }}
    ),

    good as (
        {{ delimited_fields('select * from lines', max_fields) }}
    ),

    bad as (
        select
            source_file,
            cast(null as bigint) as source_row_number,
            {%- for number in range(1, max_fields + 1) %}
            cast(null as {{ string }}) as field_{{ number }},
            {%- endfor %}
            cast(null as bigint) as field_count,
            {{ bad_file_landing_error(system, 'source_file',
                "'" ~ not_utf8_problem('comma or tab separated text') ~ "'") }}
                as landing_error
        from texts
        where text is null
    )

    select * from good
    union all
    select * from bad
{%- endmacro %}


{#-
    The lines of the text files `files`: source_file, source_row_number (1-based, blank
    lines counted), line (BOM and a trailing CR removed) and first_line_has_tab (the
    file's first line holds a tab).
-#}
{% macro delimited_lines(files) -%}
    {{- return(adapter.dispatch('delimited_lines', 'session_analytics')(files)) -}}
{%- endmacro %}

{% macro default__delimited_lines(files) -%}
    {{ delimited_text_lines(
        'select filename as source_file, content as text from read_text('
        ~ landing_file_list(files) ~ ')'
    ) }}
{%- endmacro %}


{#-
    The lines of the texts of `texts_sql` (source_file, text), as delimited_lines gives
    them (DuckDB): split on LF, a trailing CR and a leading BOM dropped, numbered from 1.
-#}
{% macro delimited_text_lines(texts_sql) -%}
    select
        source_file,
        rtrim(unnest(string_split(body, chr(10))), chr(13)) as line,
        generate_subscripts(string_split(body, chr(10)), 1) as source_row_number,
        contains(split_part(body, chr(10), 1), chr(9)) as first_line_has_tab
    from (
        select source_file, ltrim(text, chr(65279)) as body
        from ({{ texts_sql }}) as texts
    ) as bodies
{%- endmacro %}


{#-
    The config of the CQD base models: a table of every landed file of `folder`, its
    files a run-time file set (set_landing_files; Spark lists them while it compiles),
    and fail_on_rejected_lines(label) once it is built.
-#}
{% macro cqd_base_config(folder, label) -%}
    {{- return(adapter.dispatch('cqd_base_config', 'session_analytics')(folder, label)) -}}
{%- endmacro %}


{% macro default__cqd_base_config(folder, label) -%}
    {{- return({
        'materialized': 'table',
        'pre_hook': ['{{ set_landing_files(' ~ [folder] | tojson ~ ') }}'],
        'post_hook': ['{{ fail_on_rejected_lines(' ~ label | tojson ~ ') }}'],
    }) -}}
{%- endmacro %}


{#-
    Post-hook of the CQD base models: stop the build (var on_bad_file = fail) when the
    model has rejected rows, naming the file and line of the first `limit` of them;
    with quarantine they stay in staging.rejected_rows. CQD rejects a tenant data file
    that has any bad row, so one bad line stops the build. Runs while the build runs,
    on the table just built (a failed build leaves it, and the build stops).
-#}
{% macro fail_on_rejected_lines(system, limit=10) -%}
    {%- if execute and var('on_bad_file', 'fail') == 'fail' -%}
        {%- set probe -%}
            select source_file, source_row_number, rejection_reason
            from {{ this }}
            where rejection_reason is not null
            order by source_file, source_row_number
            limit {{ limit }}
        {%- endset -%}
        {%- set rows = run_query(probe).rows -%}
        {%- if rows | length > 0 -%}
            {%- set problems = [] -%}
            {%- for row in rows -%}
                {%- do problems.append(row[0] ~ ' line ' ~ row[1] ~ ': ' ~ row[2]) -%}
            {%- endfor -%}
            {{- exceptions.raise_compiler_error(
                'Bad ' ~ system ~ ' landing file line(s): ' ~ problems | join('; ')
                ~ ". Fix the file(s), or run with --vars '{on_bad_file: quarantine}' to"
                ~ ' load the good lines and record the bad ones in'
                ~ ' staging.rejected_rows.') -}}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- Dotted IPv4 text -> integer 0 .. 2^32 - 1; NULL unless four parts of 0..255. -#}
{% macro ipv4_to_int(expr) -%}
    case
        when {{ text_full_match(
            expr,
            '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])[.]){3}'
            ~ '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])',
        ) }}
            then
                cast(split_part({{ expr }}, '.', 1) as bigint) * 16777216
                + cast(split_part({{ expr }}, '.', 2) as bigint) * 65536
                + cast(split_part({{ expr }}, '.', 3) as bigint) * 256
                + cast(split_part({{ expr }}, '.', 4) as bigint)
    end
{%- endmacro %}


{#- Integer -> dotted IPv4 text. -#}
{% macro int_to_ipv4(expr) -%}
    {%- set string = dbt.type_string() -%}
    concat_ws(
        '.',
        cast(cast(floor(({{ expr }}) / 16777216) as bigint) % 256 as {{ string }}),
        cast(cast(floor(({{ expr }}) / 65536) as bigint) % 256 as {{ string }}),
        cast(cast(floor(({{ expr }}) / 256) as bigint) % 256 as {{ string }}),
        cast(({{ expr }}) % 256 as {{ string }})
    )
{%- endmacro %}


{#- The network number of IPv4 integer `expr` under a /`prefix` mask (its top bits). -#}
{% macro ipv4_prefix(expr, prefix) -%}
    cast(floor(({{ expr }}) / pow(2, 32 - ({{ prefix }}))) as bigint)
{%- endmacro %}


{#-
    A rejected line's fields as a JSON object keyed by the documented column `names`
    (name i -> `relation`.field_i; `overrides` maps a name to another expression, e.g.
    its pseudonymised value). A field the line does not have is null.
-#}
{% macro delimited_raw_record(names, relation, overrides={}) -%}
    {%- set pairs = [] -%}
    {%- for name in names -%}
        {%- do pairs.append((name, overrides.get(name, relation ~ '.field_' ~ loop.index))) -%}
    {%- endfor -%}
    {{- json_object_text(pairs) -}}
{%- endmacro %}
