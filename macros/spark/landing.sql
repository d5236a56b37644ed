{#-
    Spark versions of the landing readers (macros/landing/*.sql), same layout and columns.

    Files are found and read with Spark's own file sources, from SQL (`fmt.`path``, with
    reader options after WITH):
      - binaryFile lists the landing dir recursively (path, size; file contents are not read
        for the listing) and the folder's files are picked from that list, so a missing
        or empty folder gives no files and zero rows. (The landing_dir itself must exist.)
      - csv (multiLine, RFC 4180 quoting) reads the CSV files, one read per header layout;
      - text (wholetext) reads JSON files whole; records are found as on DuckDB.
    source_file is `landing_dir/folder/name`, as on DuckDB.
-#}

{#- The landing_dir as it ends Spark's listed paths (no scheme, no ./, no trailing /). -#}
{% macro spark_landing_root() -%}
    {%- set root = var('landing_dir') | string | trim -%}
    {%- set root = modules.re.sub('^[A-Za-z][A-Za-z0-9+.-]*:(//[^/]*)?', '', root) -%}
    {%- set root = modules.re.sub('/+', '/', root) -%}
    {%- set root = modules.re.sub('^(\\./)+', '', root) -%}
    {{- return(root.strip('/')) -}}
{%- endmacro %}


{#- A path inside a Spark SQL backtick identifier. -#}
{% macro spark_path_identifier(path) -%}
    `{{ path | replace('`', '``') }}`
{%- endmacro %}


{#- A file name as a literal part of a Hadoop glob. -#}
{% macro spark_glob_escape(name) -%}
    {{- modules.re.sub('([\\\\{}\\[\\]*?,])', '\\\\\\1', name) -}}
{%- endmacro %}


{#- One glob naming exactly the given files (all in one folder). -#}
{% macro spark_files_glob(files) -%}
    {%- set names = [] -%}
    {%- for file in files -%}
        {%- do names.append(spark_glob_escape(file.name)) -%}
    {%- endfor -%}
    {{- return(files[0].dir ~ '/{' ~ names | join(',') ~ '}') -}}
{%- endmacro %}


{#- The name of the file a row of a Spark file source came from (decoded). -#}
{% macro spark_source_file_name() -%}
    url_decode(replace(_metadata.file_name, '+', '%2B'))
{%- endmacro %}


{#- source_file of a row: the DuckDB path, landing_dir/folder/name. -#}
{% macro spark_source_file(files) -%}
    {{ spark_string_literal(files[0].display_dir ~ '/') }} || {{ spark_source_file_name() }}
{%- endmacro %}


{#-
    Spark's base models are tables rebuilt from every landed file: dbt-spark has no
    delete+insert, and its insert_overwrite by a source_file partition is untested here.
-#}
{% macro spark__landing_base_config(runtime_folders=[], parent=none, csv=none) -%}
    {{- return({'materialized': 'table'}) -}}
{%- endmacro %}


{#- cqd_base_config on Spark: no run-time file set (files listed at compile time). -#}
{% macro spark__cqd_base_config(folder, label) -%}
    {{- return({
        'materialized': 'table',
        'post_hook': ['{{ fail_on_rejected_lines(' ~ label | tojson ~ ') }}'],
    }) -}}
{%- endmacro %}


{#- landing_listing: the files of landing_files, inlined (listed at compile time). -#}
{% macro spark__landing_listing(folder) -%}
    {%- for spec in landing_folders() if spec.folder == folder -%}
        {%- set files = landing_files(folder, spec.patterns) -%}
        {%- if files %}
    select path, cast(file_bytes as bigint) as file_bytes, fingerprint
    from (
        values
        {%- for file in files %}
        ('{{ file.path | replace("'", "''") }}', {{ file.size }}, '{{ file.fingerprint }}')
        {{- ',' if not loop.last }}
        {%- endfor %}
    ) as files (path, file_bytes, fingerprint)
        {%- else %}
    select
        cast(null as string) as path,
        cast(null as bigint) as file_bytes,
        cast(null as string) as fingerprint
    where 1 = 0
        {%- endif %}
    {%- endfor -%}
{%- endmacro %}


{#- Spark has no session variables: the files are listed while the model compiles. -#}
{% macro spark__landing_files_to_read(folder) -%}
    {{- return(landing_files_to_load(folder)) -}}
{%- endmacro %}


{% macro spark__landing_files(folder, patterns) -%}
    {%- if not execute -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set root = spark_landing_root() -%}
    {%- set pattern = ('(^|/)' ~ modules.re.escape(root) ~ '/' if root else '(^|/)')
        ~ modules.re.escape(folder) ~ '/([^/]+)$' -%}
    {%- set listing -%}
        select path, length, unix_millis(modificationTime)
        from binaryFile.{{ spark_path_identifier(var('landing_dir')) }}
        with ('recursiveFileLookup' = 'true',
            'pathGlobFilter' = {{ spark_string_literal('{' ~ patterns | join(',') ~ '}') }})
    {%- endset -%}
    {%- set found = {} -%}
    {%- for row in run_query(listing).rows -%}
        {%- set match = modules.re.search(pattern, row[0]) -%}
        {%- if match -%}
            {%- set name = match.group(2) -%}
            {%- do found.update({landing_path(folder) ~ '/' ~ name: {
                'path': landing_path(folder) ~ '/' ~ name,
                'size': row[1],
                'fingerprint': file_fingerprint(row[1], row[2]),
                'name': name,
                'uri': row[0],
                'dir': row[0][:row[0] | length - name | length - 1],
                'display_dir': landing_path(folder),
            }}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set files = [] -%}
    {%- for path in found | sort -%}
        {%- do files.append(found[path]) -%}
    {%- endfor -%}
    {{- return(files) -}}
{%- endmacro %}


{#- The text checks of landing_text_checks, in one Spark query over the files. -#}
{% macro spark__landing_text_checks(files, csv=false) -%}
    {%- set checks = {} -%}
    {%- if not execute or not files -%}
        {{- return(checks) -}}
    {%- endif -%}
    {%- set by_name = {} -%}
    {%- for file in files -%}
        {%- do by_name.update({file.name: file.path}) -%}
    {%- endfor -%}
    {%- set sql -%}
        with decoded as (
            select
                {{ spark_source_file_name() }} as name,
                is_valid_utf8(cast(content as string)) as utf8,
                cast(content as string) as text
            from binaryFile.{{ spark_path_identifier(spark_files_glob(files)) }}
        ),
        stripped as (
            select
                name,
                utf8,
                trim(leading '\uFEFF' from text) as body,
                {%- if csv %}
                regexp_replace(text, '"(?:[^"]+|"")*"', '') as unquoted
                {%- else %}
                cast(null as string) as unquoted
                {%- endif %}
            from decoded
        ),
        line_ends as (
            select
                *,
                (length(unquoted) - length(replace(unquoted, '\r\n', ''))) / 2 as crlf_count,
                length(unquoted) - length(replace(unquoted, '\n', '')) as lf_count,
                length(unquoted) - length(replace(unquoted, '\r', '')) as cr_count
            from stripped
        )
        select
            name,
            utf8,
            trim(both ' \t\n\r' from body) = '' as blank,
            trim(trailing '\r' from substring_index(body, '\n', 1)) as first_line,
            body rlike '\n\r?\n|^\r?\n' as has_blank_lines,
            coalesce(cr_count = 0 or (crlf_count = lf_count and crlf_count = cr_count), true)
                as line_ends_ok
        from line_ends
    {%- endset -%}
    {%- for row in run_query(sql).rows if row[0] in by_name -%}
        {%- do checks.update({by_name[row[0]]: {'utf8': row[1], 'blank': row[2],
            'first_line': row[3], 'has_blank_lines': row[4], 'line_ends_ok': row[5]}}) -%}
    {%- endfor -%}
    {{- return(checks) -}}
{%- endmacro %}


{#-
    Record numbers (header = 0) of the blank lines of a CSV file that are not inside a
    quoted field: the rule of csv_blank_records, over Spark's split of the file.
-#}
{% macro spark_csv_blank_records(file) -%}
    {%- set lines_sql -%}
        select 'file' as source_file, pos + 1 as line_number, line
        from (
            select posexplode(split(
                trim(leading '\uFEFF' from cast(content as string)), '\n', -1
            )) as (pos, line)
            from binaryFile.{{ spark_path_identifier(spark_files_glob([file])) }}
        ) as split_lines
    {%- endset -%}
    {%- set sql -%}
        select record_number
        from ({{ csv_blank_records(lines_sql) }}) as blank_records
        order by record_number
    {%- endset -%}
    {{- return(run_query(sql).columns[0].values() | list) -}}
{%- endmacro %}


{#-
    The SQL reading the CSV files that share one header layout: the data records in file
    order, numbered as on DuckDB (the header is record 0; blank lines are counted).
    Columns are read by position (c1..cN of the header), so names match as on DuckDB.
-#}
{% macro spark_csv_group_read(files, header, match, columns, shifts) -%}
    select
        {%- for column in columns %}
        {% if column.name in match.positions -%}
            _c{{ match.positions[column.name] - 1 }}
        {%- else -%}
            cast(null as string)
        {%- endif %} as `{{ column.name }}`,
        {%- endfor %}
        {{ spark_string_literal(files[0].display_dir ~ '/') }} || file_name as source_file,
        {%- if shifts %}
        case file_name
            {%- for name, file_shifts in shifts.items() %}
            when {{ spark_string_literal(name) }} then record_number + size(filter(
                array({{ file_shifts | join(', ') }}), s -> s < record_number))
            {%- endfor %}
            else record_number
        end as source_row_number,
        {%- else %}
        record_number as source_row_number,
        {%- endif %}
        cast(null as string) as source_path,
        cast(null as string) as landing_error,
        cast(null as string) as landing_raw,
        {{ unexpected_columns_literal(match) }} as source_unexpected_columns
    from (
        select
            *,
            row_number() over (partition by file_name order by scan_order) - 1
                as record_number
        from (
            select
                *,
                {{ spark_source_file_name() }} as file_name,
                monotonically_increasing_id() as scan_order
            from csv.{{ spark_path_identifier(spark_files_glob(files)) }}
            with ('header' = 'false', 'multiLine' = 'true', 'sep' = ',', 'quote' = '"',
                'escape' = '"', 'encoding' = 'UTF-8', 'mode' = 'PERMISSIVE')
        ) as scanned
    ) as numbered
    where record_number > 0
{%- endmacro %}


{% macro spark__read_landing_csv(system, folder, columns, files=none) -%}
    {%- set listed = files if files is not none else landing_files(folder, ['*.csv', '*.CSV'])
        -%}
    {%- set files = [] -%}
    {%- for file in listed if file.size > 0 -%}
        {%- do files.append(file) -%}
    {%- endfor -%}
    {%- set text_checks = landing_text_checks(files, csv=true) -%}
    {%- set classified = csv_file_layouts(system, files, columns, text_checks) -%}
    {%- set bad_files = classified.bad_files -%}
    {%- if classified.layouts %}
    {%- for layout in classified.layouts %}
    {%- set shifts = {} -%}
    {%- for file in layout.files if text_checks[file.path].has_blank_lines -%}
        {%- set excluded = spark_csv_blank_records(file) | unique | sort -%}
        {%- set file_shifts = [] -%}
        {%- for number in excluded -%}
            {%- do file_shifts.append(number - loop.index) -%}
        {%- endfor -%}
        {%- if file_shifts -%}
            {%- do shifts.update({file.name: file_shifts}) -%}
        {%- endif -%}
    {%- endfor %}
    {{ 'union all' if not loop.first }}
    {{ spark_csv_group_read(layout.files, layout.header, layout.match, columns, shifts) }}
    {%- endfor %}
    {%- else %}
    select
        {%- for column in columns %}
        cast(null as string) as `{{ column.name }}`,
        {%- endfor %}
        cast(null as string) as source_file,
        cast(null as bigint) as source_row_number,
        cast(null as string) as source_path,
        cast(null as string) as landing_error,
        cast(null as string) as landing_raw,
        cast(null as string) as source_unexpected_columns
    where false
    {%- endif %}
    {%- for bad in bad_files %}
    union all
    select
        {%- for column in columns %}
        cast(null as string) as `{{ column.name }}`,
        {%- endfor %}
        {{ spark_string_literal(bad.path) }} as source_file,
        cast(null as bigint) as source_row_number,
        cast(null as string) as source_path,
        {{ spark_string_literal(bad.problem) }} as landing_error,
        cast(null as string) as landing_raw,
        cast(null as string) as source_unexpected_columns
    {%- endfor %}
{%- endmacro %}


{#-
    Is the text one valid JSON value, as on DuckDB? try_parse_json (strict: no single
    quotes, no raw control characters) ignores what follows the first value
    (`{"a": 1}}`), so the text must also be the only element of an array and the value of
    an object member: a trailing `}` breaks the one, a trailing `]` the other, a trailing
    `,` or value makes a second element.
-#}
{% macro spark_json_valid_text(text) -%}
    coalesce(try_parse_json({{ text }}) is not null
        and json_array_length('[' || {{ text }} || ']') = 1
        and json_object_keys('{"v":' || {{ text }} || '}') is not null, false)
{%- endmacro %}


{#-
    The lines of CQD's header-less delimited files (read_landing_delimited), as
    default__delimited_lines: text (wholetext) reads each file whole, split at LF.
-#}
{% macro spark__delimited_lines(files) -%}
    select
        {{ spark_string_literal(files[0].display_dir ~ '/') }} || file_name as source_file,
        trim(trailing '\r' from line) as line,
        cast(pos + 1 as bigint) as source_row_number,
        instr(substring_index(body, '\n', 1), '\t') > 0 as first_line_has_tab
    from (
        select
            file_name,
            body,
            posexplode(split(body, '\n', -1)) as (pos, line)
        from (
            select
                {{ spark_source_file_name() }} as file_name,
                trim(leading '\uFEFF' from value) as body
            from text.{{ spark_path_identifier(spark_files_glob(files)) }}
            with ('wholetext' = 'true')
        ) as texts
    ) as lines
{%- endmacro %}


{#- {path: (valid, several documents)} of the .json files, as duckdb__json_document_checks. -#}
{% macro spark_json_document_checks(files) -%}
    {%- set checks = {} -%}
    {%- if not files -%}
        {{- return(checks) -}}
    {%- endif -%}
    {%- set by_name = {} -%}
    {%- for file in files -%}
        {%- do by_name.update({file.name: file.path}) -%}
    {%- endfor -%}
    {%- set sql -%}
        with docs as (
            select
                {{ spark_source_file_name() }} as name,
                trim(leading '\uFEFF' from value) as body
            from text.{{ spark_path_identifier(spark_files_glob(files)) }}
            with ('wholetext' = 'true')
        ),
        lines as (
            select
                name,
                filter(
                    transform(split(body, '\n', -1), l -> trim(both ' \t\r' from l)),
                    l -> l <> ''
                ) as lines
            from docs
        )
        select
            docs.name,
            {{ spark_json_valid_text('docs.body') }} as valid,
            size(lines.lines) > 1
                and coalesce(forall(lines.lines, l -> {{ spark_json_valid_text('l') }}),
                    false)
                as several_documents
        from docs
        inner join lines on docs.name = lines.name
    {%- endset -%}
    {%- for row in run_query(sql).rows if row[0] in by_name -%}
        {%- do checks.update({by_name[row[0]]: (row[1] and not row[2], row[2])}) -%}
    {%- endfor -%}
    {{- return(checks) -}}
{%- endmacro %}


{#- checked: accepted for the signature; Spark always checks the files. -#}
{#- last_member_wins: not applied on Spark (docs/LANDING.md). -#}
{% macro spark__read_landing_json(system, folder, page_key, files=none, checked=false,
        last_member_wins=true) -%}
    {%- set listed = files if files is not none
        else landing_files(folder, ['*.json', '*.jsonl', '*.JSON', '*.JSONL']) -%}
    {%- set files = [] -%}
    {%- for file in listed if file.size > 0 -%}
        {%- do files.append(file) -%}
    {%- endfor -%}
    {%- set text_checks = landing_text_checks(files) -%}
    {%- set document_files = [] -%}
    {%- set line_files = [] -%}
    {%- set bad_files = [] -%}
    {%- for file in files -%}
        {%- set check = text_checks[file.path] -%}
        {%- if not check.utf8 -%}
            {%- set problem = not_utf8_problem('JSON text') -%}
            {{- bad_landing_file(system, file.path, problem) -}}
            {%- do bad_files.append({'path': file.path, 'problem': problem}) -%}
        {%- elif check.blank -%}
            {#- no records -#}
        {%- elif (file.path | lower).endswith('.jsonl') -%}
            {%- do line_files.append(file) -%}
        {%- else -%}
            {%- do document_files.append(file) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set document_checks = spark_json_document_checks(document_files) -%}
    {%- set good_documents = [] -%}
    {%- for file in document_files -%}
        {%- set valid, several = document_checks[file.path] -%}
        {%- if valid -%}
            {%- do good_documents.append(file) -%}
        {%- else -%}
            {%- set problem = 'expected one JSON document (an object, or a page {"'
                ~ page_key ~ '": [...]}); found '
                ~ ('one JSON document per line: name the file .jsonl' if several
                    else 'text that is not valid JSON (' ~ file.size
                        ~ ' bytes; truncated or corrupted?)') -%}
            {{- bad_landing_file(system, file.path, problem) -}}
            {%- do bad_files.append({'path': file.path, 'problem': problem}) -%}
        {%- endif -%}
    {%- endfor %}
    {%- set page = "get_json_object(text, '$." ~ page_key ~ "')" -%}
    {%- if good_documents or line_files %}
    select
        source_file,
        coalesce(line_number, element_number) as source_row_number,
        case
            when line_number is not null and is_page
                then '{{ page_key }}[' || cast(element_number - 1 as string) || ']'
        end as source_path,
        record,
        case when not valid then 'line is not valid JSON' end as landing_error,
        case
            when not valid then '{"unparsed_record_sha256": "' || {{ pseudonymize('text') }}
                || '", "length": ' || cast(length(text) as string) || '}'
        end as landing_raw
    from (
        select
            source_file,
            line_number,
            text,
            valid,
            is_page,
            element.record,
            element.element_number
        from (
            select
                source_file,
                line_number,
                text,
                valid,
                is_page,
                case
                    when is_page then transform(from_json({{ page }}, 'array<string>'),
                        (e, i) -> named_struct('record', case
                            when coalesce(schema_of_variant(
                                element_at(page_values, i + 1)) = 'STRING', false)
                                then to_json(element_at(page_values, i + 1))
                            else e
                        end, 'element_number', i + 1))
                    else array(named_struct('record', case when valid then text end,
                        'element_number', 1))
                end as elements
            from (
                select
                    source_file,
                    line_number,
                    text,
                    valid,
                    valid and {{ spark_json_is_array_text(page) }} as is_page,
                    {#- the page's elements as VARIANTs, only to tell a string element
                        (its value is all from_json gives) from an object: NULL when an
                        element names a member twice (then strings read as before) -#}
                    case when valid then from_json({{ page }}, 'array<variant>') end
                        as page_values
                from (
                    select
                        source_file,
                        line_number,
                        text,
                        {{ spark_json_valid_text('text') }} as valid
                    from (
                        {%- if good_documents %}
                        select
                            {{ spark_source_file(good_documents) }} as source_file,
                            cast(null as bigint) as line_number,
                            trim(leading '\uFEFF' from value) as text
                        from text.{{ spark_path_identifier(spark_files_glob(good_documents)) }}
                        with ('wholetext' = 'true')
                        {%- endif %}
                        {%- if good_documents and line_files %}
                        union all
                        {%- endif %}
                        {%- if line_files %}
                        select
                            source_file,
                            cast(pos + 1 as bigint) as line_number,
                            trim(trailing '\r' from line) as text
                        from (
                            select
                                {{ spark_source_file(line_files) }} as source_file,
                                posexplode(split(
                                    trim(leading '\uFEFF' from value), '\n', -1
                                )) as (pos, line)
                            from text.{{ spark_path_identifier(spark_files_glob(line_files)) }}
                            with ('wholetext' = 'true')
                        ) as lines
                        where trim(both ' \t\r' from line) <> ''
                        {%- endif %}
                    ) as units
                ) as checked
            ) as paged
        ) as documents
        lateral view explode(elements) exploded as element
    ) as records
    {%- else %}
    select
        cast(null as string) as source_file,
        cast(null as bigint) as source_row_number,
        cast(null as string) as source_path,
        cast(null as string) as record,
        cast(null as string) as landing_error,
        cast(null as string) as landing_raw
    where false
    {%- endif %}
    {%- for bad in bad_files %}
    union all
    select
        {{ spark_string_literal(bad.path) }} as source_file,
        cast(null as bigint) as source_row_number,
        cast(null as string) as source_path,
        cast(null as string) as record,
        {{ spark_string_literal(bad.problem) }} as landing_error,
        cast(null as string) as landing_raw
    {%- endfor %}
{%- endmacro %}


{#-
    For the parity test (python/spark_tests): per landing folder, the files found and the
    rows its reader gives, logged as one JSON line (`dbt run-operation
    spark_landing_probe`). Works on any target.
-#}
{% macro spark_landing_probe() -%}
    {%- set report = {} -%}
    {%- for folder in landing_folders() -%}
        {%- set files = landing_files(folder.folder, folder.patterns) -%}
        {%- if folder.format == 'csv' -%}
            {%- set columns = {
                'sfb_qoe': get_sfb_qoe__session_columns(),
                'sfb_cdr': get_sfb_cdr__session_details_columns(),
                'superoffice': get_superoffice__chat_session_columns(),
            }[folder.folder] -%}
            {%- if adapter.type() == 'spark' -%}
                {%- set landed = read_landing_csv(folder.system, folder.folder, columns) -%}
            {%- else -%}
                {#- DuckDB reads a run-time file set: this probe's own variable -#}
                {%- set file_set = {'folder': folder.folder,
                    'variable': 'landing_files__probe__' ~ folder.folder} -%}
                {%- do run_query('set variable ' ~ file_set.variable ~ ' = '
                    ~ landing_file_list(files)) -%}
                {%- do stage_landing_csv(folder.system, folder.folder, columns, file_set) -%}
                {%- set landed = read_landing_csv(folder.system, folder.folder, columns,
                    files=file_set) -%}
            {%- endif -%}
        {%- elif folder.format == 'delimited' -%}
            {%- set landed = read_landing_delimited(folder.system, files, 1) -%}
        {%- else -%}
            {%- set landed = read_landing_json(folder.system, folder.folder,
                'items' if folder.system == 'syllable' else 'value') -%}
        {%- endif -%}
        {%- set rows = run_query('select count(*) from (' ~ landed ~ ') as landed')
            .columns[0].values()[0] -%}
        {%- do report.update({folder.folder: {'files': files | length, 'rows': rows | int}}) -%}
    {%- endfor -%}
    {{- log('LANDING_PROBE ' ~ tojson(report), info=true) -}}
{%- endmacro %}


{#- staged_config on Spark: the stg models are full tables (no delete+insert). -#}
{% macro spark__staged_config(entity) -%}
    {{- return({'materialized': 'table'}) -}}
{%- endmacro %}


{#- call_rows_config on Spark: full tables. -#}
{% macro spark__call_rows_config(parent) -%}
    {{- return({'materialized': 'table'}) -}}
{%- endmacro %}


{#- derived_rows_config on Spark: full tables, so no bookkeeping and no build time. -#}
{% macro spark__derived_rows_config(
    parents, unit, version, gone_from, on_schema_change, touched_dates
) -%}
    {{- return({'materialized': 'table'}) -}}
{%- endmacro %}


{% macro spark__dated_rows_config(date_column, dates_of) -%}
    {{- return({'materialized': 'table'}) -}}
{%- endmacro %}


{% macro spark__create_incremental_bookkeeping() -%}
    select 1
{%- endmacro %}


{% macro spark__columns_staged_now(alias) -%}
    {{ alias }}.*
{%- endmacro %}
