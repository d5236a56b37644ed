{#-
    read_landing_csv(system, folder, columns, files): one row per data record of every
    file of `files`, every documented column as text (explicit types: nothing is
    inferred), plus source_file, source_row_number (1-based data record number in its file:
    the line number minus 1 unless a quoted field holds line breaks), source_path (NULL),
    landing_error (why the record cannot be used, NULL if it can), landing_raw (JSON
    text replacing raw_record for a record that could not be split into fields) and
    source_unexpected_columns. On DuckDB `files` is a run-time file set
    (landing_files_to_read) that the pre-hook stage_landing_csv reads while the build
    runs, and the compiled SQL selects from its temporary view (plus
    source_file_fingerprint); on Spark, file dicts read while the model compiles.

    File level (structural) problems - not UTF-8, a stray carriage return or mixed line
    ends outside quoted fields (DuckDB's parser cannot read past it), no header with the
    documented key columns - stop the build naming the file, what was expected and what was found, or,
    with var('on_bad_file') = 'quarantine', skip the file, which then appears as one row
    with landing_error set and source_row_number NULL (routed to staging.rejected_rows).

    Record level problems - too few or too many fields, an unterminated quote, a line over
    the maximum size - reject only that record: the other records of the file still load.
    Its raw text is not kept (it cannot be split into fields, so its personal data cannot
    be pseudonymised field by field): landing_raw holds a salted SHA-256 of it instead.
    Blank lines are not records (but are counted in source_row_number like a line).
    A 0-byte or blank file has no records.
-#}
{% macro read_landing_csv(system, folder, columns, files=none) -%}
    {{- return(adapter.dispatch('read_landing_csv', 'session_analytics')(
        system, folder, columns, files)) -}}
{%- endmacro %}


{% macro bad_landing_file(system, file, problem) -%}
    {%- if var('on_bad_file', 'fail') == 'quarantine' -%}
        {{- log('session_analytics: quarantined bad file ' ~ file ~ ' (' ~ system ~ '): '
            ~ problem, info=true) -}}
    {%- elif var('on_bad_file', 'fail') == 'fail' -%}
        {{- exceptions.raise_compiler_error(
            'Bad landing file ' ~ file ~ ' (' ~ system ~ '): ' ~ problem
            ~ bad_landing_file_hint()) -}}
    {%- else -%}
        {{- exceptions.raise_compiler_error(
            "var('on_bad_file') must be fail or quarantine, not "
            ~ var('on_bad_file')) -}}
    {%- endif -%}
{%- endmacro %}


{#- What a user can do about a bad landing file (the end of its error message). -#}
{% macro bad_landing_file_hint() -%}
    {{- return(". Fix or remove the file, or run with --vars '{on_bad_file: quarantine}'"
        ~ ' to skip it and record it in staging.rejected_rows.') -}}
{%- endmacro %}


{#-
    bad_landing_file while the build runs, in SQL, for readers that classify files in
    their query: the landing_error of a bad file's row is `problem` (text expression)
    with on_bad_file = quarantine; with fail, evaluating it stops the query with
    'Bad landing file <path> (<system>): <problem>. Fix or remove ...'.
-#}
{% macro bad_file_landing_error(system, path, problem) -%}
    {%- if var('on_bad_file', 'fail') == 'quarantine' -%}
        {{ problem }}
    {%- elif var('on_bad_file', 'fail') != 'fail' -%}
        {#- raises: on_bad_file must be fail or quarantine -#}
        {{- bad_landing_file(system, path, problem) -}}
    {%- else -%}
        cast(error(
            'Bad landing file ' || {{ path }} || ' ({{ system }}): ' || {{ problem }}
            || '{{ bad_landing_file_hint() | replace("'", "''") }}'
        ) as varchar)
    {%- endif -%}
{%- endmacro %}


{#-
    The fields of a CSV header line (simple CSV: `"` quoting, `""` escapes), as a list of
    {name, lower}. Only used for matching column names, never stored.
-#}
{% macro csv_header_fields(line) -%}
    {%- set fields = [] -%}
    {%- for quoted, plain in modules.re.findall('(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))', line)
            -%}
        {%- set name = (quoted | replace('""', '"')) if quoted else plain -%}
        {%- do fields.append(name | trim) -%}
    {%- endfor -%}
    {{- return(fields) -}}
{%- endmacro %}


{#-
    What a header line "found" for a message: identifier-like names only (a file without
    a header has data in its first line, which may be personal data and must not be
    echoed into logs or staging.rejected_rows).
-#}
{% macro describe_found_header(fields) -%}
    {%- set shown = [] -%}
    {%- set hidden = [] -%}
    {%- for field in fields -%}
        {%- if modules.re.match('^[A-Za-z_][A-Za-z0-9_ ]{0,63}$', field) -%}
            {%- do shown.append(field) -%}
        {%- else -%}
            {%- do hidden.append(field) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set text = fields | length ~ ' field(s)' -%}
    {%- if shown -%}
        {%- set text = text ~ ': ' ~ shown[:12] | join(', ')
            ~ (', ...' if shown | length > 12 else '') -%}
    {%- endif -%}
    {%- if hidden -%}
        {%- set text = text ~ (' and ' if shown else ', ') ~ hidden | length
            ~ ' value(s) that are not column names (not shown; is the header row missing?)'
            -%}
    {%- endif -%}
    {{- return(text) -}}
{%- endmacro %}


{#-
    The file-level classification of landed CSV files, one implementation for every
    engine (the DuckDB reader runs it while the build runs, Spark's while the model
    compiles): a file that is not UTF-8, has stray carriage returns or mixed line ends
    outside quoted fields, or has no header with the documented key columns is a bad
    file (bad_landing_file: stop the build, or quarantine it); the others are grouped by
    header line (a layout: the files one read_csv call can read with the same column
    positions), their unexpected columns warned about. A 0-byte or blank file has no
    records and is in neither list.

    files: file dicts {path, size, ...}; checks: landing_text_checks of them.
    Returns {'layouts': [{header, match, files}], 'bad_files': [{path, problem}]}.
-#}
{% macro csv_file_layouts(system, files, columns, checks) -%}
    {%- set keys = columns | selectattr('key') | map(attribute='name') | list -%}
    {%- set layouts = {} -%}
    {%- set order = [] -%}
    {%- set bad_files = [] -%}
    {%- for file in files if file.size > 0 -%}
        {%- set check = checks[file.path] -%}
        {%- set problem = none -%}
        {%- if not check.utf8 -%}
            {%- set problem = not_utf8_problem('CSV text') -%}
        {%- elif not check.blank and not check.line_ends_ok -%}
            {%- set problem = 'expected every line to end the same way (LF or CRLF);'
                ~ ' found a carriage return (CR) that does not end a line, or mixed line'
                ~ ' ends, outside quoted fields: quote the field or convert the line ends' -%}
        {%- elif not check.blank -%}
            {%- set header = csv_header_fields(check.first_line) -%}
            {%- set match = csv_header_match(system, header, columns) -%}
            {%- if match.missing_keys -%}
                {%- set problem = 'expected a CSV header with the documented key column(s) '
                    ~ keys | join(', ') ~ '; missing ' ~ match.missing_keys | join(', ')
                    ~ '; found ' ~ describe_found_header(header) -%}
            {%- else -%}
                {{- warn_unexpected_columns(system, file.path, match) -}}
                {%- set layout = header | join('\x1f') -%}
                {%- if layout not in layouts -%}
                    {%- do layouts.update({layout: {'header': header, 'match': match,
                        'files': []}}) -%}
                    {%- do order.append(layout) -%}
                {%- endif -%}
                {%- do layouts[layout].files.append(file) -%}
            {%- endif -%}
        {%- endif -%}
        {%- if problem -%}
            {{- bad_landing_file(system, file.path, problem) -}}
            {%- do bad_files.append({'path': file.path, 'problem': problem}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set ordered = [] -%}
    {%- for layout in order -%}
        {%- do ordered.append(layouts[layout]) -%}
    {%- endfor -%}
    {{- return({'layouts': ordered, 'bad_files': bad_files}) -}}
{%- endmacro %}


{#-
    DuckDB: the rows of a run-time file set (landing_files_to_read), read while the
    build runs by the model's pre-hook stage_landing_csv into a temporary view of the
    model's connection: the compiled SQL names no landed file.
-#}
{% macro duckdb__read_landing_csv(system, folder, columns, files=none) -%}
    {%- if files is not mapping -%}
        {{- exceptions.raise_compiler_error('read_landing_csv on DuckDB reads a run-time'
            ~ " file set: pass files=landing_files_to_read('" ~ folder ~ "') and"
            ~ " landing_base_config(runtime_folders=['" ~ folder ~ "'], csv=...)") -}}
    {%- endif %}
    select * from {{ landing_csv_relation(files) }}
{%- endmacro %}


{#- The temporary view (and prefix of its tables) holding a run-time CSV file set. -#}
{% macro landing_csv_relation(file_set) -%}
    {{- return(file_set.variable ~ '__rows') -}}
{%- endmacro %}


{#-
    Pre-hook of a DuckDB CSV base model (landing_base_config's csv): read the files of
    the run-time file set of `folder` (set_landing_files) while the build runs.
      1. One query over the files (read_blob) gives the text checks of
         landing_text_checks; csv_file_layouts classifies them (bad files stop the
         build or are quarantined; good ones are grouped by header).
      2. Each layout is read once by one read_csv call over its files into a temporary
         table, good records in file order, the records the parser rejects going to
         its store_rejects tables (their text only as a salted hash).
      3. Blank lines outside quoted fields (counted by DuckDB, but not records) of the
         files that have them, in one query.
      4. A temporary view, landing_csv_relation, gives the rows read_landing_csv
         promises: documented columns by header position, source_row_number (the k-th
         good record of a file is record k + #{excluded e_j : e_j - j < k}, e_j the
         rejected and blank record numbers in order), source_file_fingerprint, and one
         row per rejected record and per quarantined file.
    drop_landing_csv (post-hook) drops the view and its tables. `file_set`: another
    run-time file set than the model's (spark_landing_probe sets its own variable).
-#}
{% macro stage_landing_csv(system, folder, columns, file_set=none) -%}
    {%- if execute -%}
        {%- set file_set = file_set or landing_files_to_read(folder) -%}
        {%- set relation = landing_csv_relation(file_set) -%}
        {%- set checks = landing_text_checks(file_set, csv=true) -%}
        {%- set files = [] -%}
        {%- for path in checks | sort -%}
            {%- do files.append(checks[path]) -%}
        {%- endfor -%}
        {%- set classified = csv_file_layouts(system, files, columns, checks) -%}
        {%- set blank_paths = [] -%}
        {%- for file in files if file.size > 0 and checks[file.path].has_blank_lines
                and file.path not in classified.bad_files | map(attribute='path') -%}
            {%- do blank_paths.append(file.path) -%}
        {%- endfor -%}
        {%- do run_query(csv_blank_records_table(relation ~ '__blanks', blank_paths)) -%}
        {%- for layout in classified.layouts -%}
            {%- do run_query(csv_layout_read(relation ~ '__' ~ loop.index, layout)) -%}
        {%- endfor -%}
        {%- set view -%}
            create or replace temp view {{ relation }} as
            {{ csv_staged_rows(relation, classified, columns, file_set) }}
        {%- endset -%}
        {%- do run_query(view) -%}
    {%- endif -%}
{%- endmacro %}


{#- Post-hook of a DuckDB CSV base model: drop what stage_landing_csv created. -#}
{% macro drop_landing_csv(folder) -%}
    {%- if execute -%}
        {%- set relation = landing_csv_relation(landing_files_to_read(folder)) -%}
        {%- do run_query('drop view if exists ' ~ relation) -%}
        {%- set listed -%}
            select table_name from duckdb_tables()
            where temporary and starts_with(table_name, '{{ relation }}__')
        {%- endset -%}
        {%- for name in run_query(listed).columns[0].values() -%}
            {%- do run_query('drop table if exists ' ~ name) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#- The read_csv options of one header: explicit text columns c1..cN, nothing inferred. -#}
{% macro csv_read_options(header) -%}
    {%- set column_types = [] -%}
    {%- for name in header -%}
        {%- do column_types.append("'c" ~ loop.index ~ "': 'VARCHAR'") -%}
    {%- endfor -%}
    {{- "auto_detect = false, header = true, delim = ',', quote = '\"',"
        ~ " escape = '\"', parallel = false, columns = {" ~ column_types | join(', ')
        ~ "}" -}}
{%- endmacro %}


{#-
    Read every file of one layout once: a temporary table `table` of its good records
    (c1..cN, source_file, scan_order: the record's place in the scan, files in order)
    and the parser's rejects in `table`_errors / `table`_scans.
-#}
{% macro csv_layout_read(table, layout) -%}
    drop table if exists {{ table }}_errors;
    drop table if exists {{ table }}_scans;
    create or replace temp table {{ table }} as
    select
        *,
        filename as source_file,
        row_number() over () as scan_order
    from read_csv([
        {%- for file in layout.files -%}
        '{{ file.path | replace("'", "''") }}'{{ ', ' if not loop.last }}
        {%- endfor -%}
    ], {{ csv_read_options(layout.header) }}, filename = true, store_rejects = true,
        rejects_table = '{{ table }}_errors', rejects_scan = '{{ table }}_scans')
{%- endmacro %}


{#-
    The rows of read_landing_csv from what stage_landing_csv read (see there): per
    layout its good records and its rejected ones, then the quarantined files.
-#}
{% macro csv_staged_rows(relation, classified, columns, file_set) -%}
    with

    fingerprints as (
        {{ file_fingerprint_values(file_set) }}
    ),

    rejected as (
        {%- for layout in classified.layouts %}
        {{ 'union all' if not loop.first }}
        select
            scans.file_path as source_file,
            cast(errors.line as bigint) - 1 as record_number,
            max(errors.error_type) as error_type,
            max(length(errors.csv_line) - length(replace(errors.csv_line, chr(10), '')))
                as line_breaks,
            max({{ pseudonymize('errors.csv_line') }}) as text_hash,
            max(length(errors.csv_line)) as text_length,
            {{ layout.header | length }} as field_count,
            {{ unexpected_columns_literal(layout.match) }} as unexpected_columns
        from {{ relation }}__{{ loop.index }}_errors as errors
        inner join {{ relation }}__{{ loop.index }}_scans as scans
            on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id
        group by scans.file_path, errors.line
        {%- endfor %}
        {%- if not classified.layouts %}
        select
            cast(null as varchar) as source_file,
            cast(null as bigint) as record_number,
            cast(null as varchar) as error_type,
            cast(null as bigint) as line_breaks,
            cast(null as varchar) as text_hash,
            cast(null as bigint) as text_length,
            cast(null as bigint) as field_count,
            cast(null as varchar) as unexpected_columns
        where false
        {%- endif %}
    ),

    excluded as (
        select source_file, record_number from rejected
        union
        select source_file, record_number from {{ relation }}__blanks
    ),

    shifts as (
        select
            source_file,
            list(record_number - excluded_index order by record_number) as shifts
        from (
            select
                source_file,
                record_number,
                row_number() over (
                    partition by source_file order by record_number
                ) as excluded_index
            from excluded
        ) as numbered
        group by source_file
    ),

    {%- for layout in classified.layouts %}

    good_{{ loop.index }} as (
        select
            *,
            scan_order - min(scan_order) over (partition by source_file) + 1
                as record_index
        from {{ relation }}__{{ loop.index }}
    ),
    {%- endfor %}

    final as (
        {%- for layout in classified.layouts %}
        select
            {%- for column in columns %}
            {% if column.name in layout.match.positions -%}
                good.c{{ layout.match.positions[column.name] }}
            {%- else -%}
                cast(null as varchar)
            {%- endif %} as "{{ column.name }}",
            {%- endfor %}
            good.source_file,
            cast(
                good.record_index + coalesce(
                    len(list_filter(shifts.shifts, lambda s: s < good.record_index)), 0
                ) as bigint
            ) as source_row_number,
            cast(null as varchar) as source_path,
            cast(null as varchar) as landing_error,
            cast(null as varchar) as landing_raw,
            {{ unexpected_columns_literal(layout.match) }} as source_unexpected_columns
        from good_{{ loop.index }} as good
        left join shifts
            on good.source_file = shifts.source_file
        union all
        {%- endfor %}
        select
            {%- for column in columns %}
            cast(null as varchar) as "{{ column.name }}",
            {%- endfor %}
            source_file,
            record_number as source_row_number,
            cast(null as varchar) as source_path,
            {{ csv_reject_reason('error_type', 'line_breaks', 'field_count') }}
                as landing_error,
            '{"unparsed_record_sha256": "' || text_hash || '", "length": '
            || cast(text_length as varchar) || '}' as landing_raw,
            unexpected_columns as source_unexpected_columns
        from rejected
        {%- for bad in classified.bad_files %}
        union all
        select
            {%- for column in columns %}
            cast(null as varchar) as "{{ column.name }}",
            {%- endfor %}
            '{{ bad.path | replace("'", "''") }}' as source_file,
            cast(null as bigint) as source_row_number,
            cast(null as varchar) as source_path,
            '{{ bad.problem | replace("'", "''") }}' as landing_error,
            cast(null as varchar) as landing_raw,
            cast(null as varchar) as source_unexpected_columns
        {%- endfor %}
    )

    select
        final.*,
        fingerprints.fingerprint as source_file_fingerprint
    from final
    left join fingerprints
        on final.source_file = fingerprints.path
{%- endmacro %}


{#-
    Why DuckDB's CSV parser rejected a record, as a SQL text expression over the
    reject's error type, line break count and the header's field count (never its
    text: it may be personal).
-#}
{% macro csv_reject_reason(error_type, line_breaks, field_count) -%}
    case {{ error_type }}
        when 'MISSING COLUMNS'
            then 'malformed CSV record: fewer fields than the '
            || cast({{ field_count }} as varchar) || ' of the header'
        when 'TOO MANY COLUMNS'
            then 'malformed CSV record: more fields than the '
            || cast({{ field_count }} as varchar) || ' of the header (unquoted comma?)'
        when 'UNQUOTED VALUE'
            then 'malformed CSV record: unterminated or stray quote'
        when 'LINE SIZE OVER MAXIMUM'
            then 'malformed CSV record: line longer than the maximum'
        when 'INVALID ENCODING'
            then 'malformed CSV record: not valid UTF-8'
        else 'malformed CSV record: ' || {{ error_type }}
    end
    || case
        when {{ line_breaks }} > 1
            then ' (the record runs over ' || cast({{ line_breaks }} + 1 as varchar)
            || ' lines, the rest of the file may be in it)'
        else ''
    end
{%- endmacro %}


{#-
    The blank lines of CSV files that are not inside a quoted field, as record numbers
    (header = 0): DuckDB skips them but counts them; Spark skips them and does not. The
    one rule for both engines, over `lines_sql`, a query of (source_file, line_number
    from 1, line) with the lines split on LF. A blank line is empty or a lone CR; the
    last line (after the final LF) is not a record.
-#}
{% macro csv_blank_records(lines_sql) -%}
    with lines as (
        {{ lines_sql }}
    ),
    parity as (
        select
            source_file,
            line,
            line_number,
            coalesce(sum(length(line) - length(replace(line, '"', ''))) over (
                partition by source_file
                order by line_number
                rows between unbounded preceding and 1 preceding
            ), 0) % 2 = 1 as in_quotes
        from lines
    ),
    records as (
        select
            source_file,
            line,
            line_number,
            sum(case when in_quotes then 0 else 1 end) over (
                partition by source_file order by line_number
            ) - 1 as record_number,
            in_quotes,
            max(line_number) over (partition by source_file) as last_line
        from parity
    )
    select source_file, record_number
    from records
    where not in_quotes and line in ('', chr(13)) and line_number < last_line
        and record_number > 0
{%- endmacro %}


{#-
    A temporary table `table` (source_file, record_number: header = 0) of the blank
    lines of the CSV files `paths` that are not inside a quoted field (csv_blank_records).
    No file: an empty table.
-#}
{% macro csv_blank_records_table(table, paths) -%}
    create or replace temp table {{ table }} as
    {%- if paths %}
    {%- set lines_sql -%}
        select
            filename as source_file,
            unnest(string_split(ltrim(content, chr(65279)), chr(10))) as line,
            generate_subscripts(string_split(ltrim(content, chr(65279)), chr(10)), 1)
                as line_number
        from read_text([
            {%- for path in paths -%}
            '{{ path | replace("'", "''") }}'{{ ', ' if not loop.last }}
            {%- endfor -%}
        ])
    {%- endset %}
    {{ csv_blank_records(lines_sql) }}
    {%- else %}
    select
        cast(null as varchar) as source_file,
        cast(null as bigint) as record_number
    where false
    {%- endif %}
{%- endmacro %}
