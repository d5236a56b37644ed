{#-
    read_landing_delimited(system, folder, files): one row per non-blank line of the
    header-less delimited text files `files` (landing_files dicts) of a CQD tenant data
    folder (buildings/, endpoints/; REFERENCE.md section 7): no header row, comma or tab
    separated (a file whose first line holds a tab is tab separated), no quoting (a
    field wrapped in double quotes loses them). Columns: source_file,
    source_row_number (the 1-based line number, blank lines counted), fields (list of
    text, trimmed; '' is NULL), field_count and landing_error (NULL). A file that is
    not UTF-8 is a bad landing file (bad_landing_file: stop, or with on_bad_file
    quarantine one row with landing_error set and source_row_number NULL). A BOM and
    CRLF line ends are tolerated; a 0-byte or blank file has no rows.
-#}
{% macro read_landing_delimited(system, files) -%}
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
    select
        source_file,
        source_row_number,
        list_transform(
            string_split(line, case when is_tab then chr(9) else ',' end),
            lambda f: nullif(trim(trim(f), '"'), '')
        ) as fields,
        len(string_split(line, case when is_tab then chr(9) else ',' end)) as field_count,
        cast(null as varchar) as landing_error
    from (
        select
            filename as source_file,
            rtrim(unnest(string_split(body, chr(10))), chr(13)) as line,
            generate_subscripts(string_split(body, chr(10)), 1) as source_row_number,
            contains(split_part(body, chr(10), 1), chr(9)) as is_tab
        from (
            select filename, ltrim(content, chr(65279)) as body
            from read_text({{ landing_file_list(good) }})
        ) as texts
    ) as lines
    where trim(line, ' ' || chr(9) || chr(13)) <> ''
    {%- else %}
    select
        cast(null as varchar) as source_file,
        cast(null as bigint) as source_row_number,
        cast(null as varchar[]) as fields,
        cast(null as bigint) as field_count,
        cast(null as varchar) as landing_error
    where false
    {%- endif %}
    {%- for file in bad %}
    union all
    select
        '{{ file.path }}' as source_file,
        cast(null as bigint) as source_row_number,
        cast(null as varchar[]) as fields,
        cast(null as bigint) as field_count,
        '{{ file.problem | replace("'", "''") }}' as landing_error
    {%- endfor %}
{%- endmacro %}


{#-
    Stop the build (var on_bad_file = fail) when the base model `sql` has rejected rows,
    naming the file and line of the first `limit` of them; with quarantine they stay in
    staging.rejected_rows. CQD rejects a tenant data file that has any bad row, so one
    bad line stops the build.
-#}
{% macro fail_on_rejected_lines(system, sql, limit=10) -%}
    {%- if not execute or var('on_bad_file', 'fail') != 'fail' -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set probe -%}
        select source_file, source_row_number, rejection_reason
        from ({{ sql }}) as checked
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
            ~ ' load the good lines and record the bad ones in staging.rejected_rows.') -}}
    {%- endif -%}
{%- endmacro %}


{#- Dotted IPv4 text -> integer 0 .. 2^32 - 1; NULL unless four parts of 0..255. -#}
{% macro ipv4_to_int(expr) -%}
    case
        when regexp_full_match(
            {{ expr }},
            '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}'
            || '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
        )
            then
                cast(split_part({{ expr }}, '.', 1) as bigint) * 16777216
                + cast(split_part({{ expr }}, '.', 2) as bigint) * 65536
                + cast(split_part({{ expr }}, '.', 3) as bigint) * 256
                + cast(split_part({{ expr }}, '.', 4) as bigint)
    end
{%- endmacro %}


{#- Integer -> dotted IPv4 text. -#}
{% macro int_to_ipv4(expr) -%}
    concat_ws(
        '.',
        cast(({{ expr }}) // 16777216 % 256 as varchar),
        cast(({{ expr }}) // 65536 % 256 as varchar),
        cast(({{ expr }}) // 256 % 256 as varchar),
        cast(({{ expr }}) % 256 as varchar)
    )
{%- endmacro %}


{#- The network number of IPv4 integer `expr` under a /`prefix` mask (its top bits). -#}
{% macro ipv4_prefix(expr, prefix) -%}
    (({{ expr }}) // cast(pow(2, 32 - ({{ prefix }})) as bigint))
{%- endmacro %}


{#- A rejected line's fields as a JSON object keyed by the documented column `names`. -#}
{% macro delimited_raw_record(names, fields_expr) -%}
    cast(to_json(map_from_entries(list_zip(
        ['{{ names | join("', '") }}'][1:len({{ fields_expr }})],
        {{ fields_expr }}
    ))) as varchar)
{%- endmacro %}


{#- The landed files of a landing_folders() folder, with its own patterns. -#}
{% macro landing_folder_files(folder) -%}
    {%- for spec in landing_folders() if spec.folder == folder -%}
        {{- return(landing_files(folder, spec.patterns)) -}}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error('landing_folder_files: unknown folder ' ~ folder) -}}
{%- endmacro %}
