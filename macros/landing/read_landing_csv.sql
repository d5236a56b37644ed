{#-
    read_landing_csv(system, folder, columns, files): one row per data record of every
    landed CSV file of `folder` (or of `files`, file dicts of landing_files, when given:
    an incremental base model passes only its new files, see files_to_load), every documented column as text (explicit types: nothing is
    inferred), plus source_file, source_row_number (1-based data record number in its file:
    the line number minus 1 unless a quoted field holds line breaks), source_path (NULL),
    landing_error (why the record cannot be used, NULL if it can) and landing_raw (JSON
    text replacing raw_record for a record that could not be split into fields).

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


{% macro duckdb__read_landing_csv(system, folder, columns, files=none) -%}
    {%- set keys = columns | selectattr('key') | map(attribute='name') | list -%}
    {%- set listed = files if files is not none else landing_files(folder, ['*.csv', '*.CSV'])
        -%}
    {%- set files = [] -%}
    {%- for file in listed if file.size > 0 -%}
        {%- do files.append(file) -%}
    {%- endfor -%}
    {%- set text_checks = landing_text_checks(files, csv=true) -%}
    {%- set reads = [] -%}
    {%- set bad_files = [] -%}
    {%- for file in files -%}
        {%- set check = text_checks[file.path] -%}
        {%- if not check.utf8 -%}
            {%- set problem = not_utf8_problem('CSV text') -%}
            {{- bad_landing_file(system, file.path, problem) -}}
            {%- do bad_files.append({'path': file.path, 'problem': problem}) -%}
        {%- elif not check.blank and not check.line_ends_ok -%}
            {%- set problem = 'expected every line to end the same way (LF or CRLF);'
                ~ ' found a carriage return (CR) that does not end a line, or mixed line'
                ~ ' ends, outside quoted fields: quote the field or convert the line ends' -%}
            {{- bad_landing_file(system, file.path, problem) -}}
            {%- do bad_files.append({'path': file.path, 'problem': problem}) -%}
        {%- elif not check.blank -%}
            {%- set header = csv_header_fields(check.first_line) -%}
            {%- set match = csv_header_match(system, header, columns) -%}
            {%- if match.missing_keys -%}
                {%- set problem = 'expected a CSV header with the documented key column(s) '
                    ~ keys | join(', ') ~ '; missing ' ~ match.missing_keys | join(', ')
                    ~ '; found ' ~ describe_found_header(header) -%}
                {{- bad_landing_file(system, file.path, problem) -}}
                {%- do bad_files.append({'path': file.path, 'problem': problem}) -%}
            {%- else -%}
                {{- warn_unexpected_columns(system, file.path, match) -}}
                {%- do reads.append(csv_file_read(system, file, header, match, columns,
                    check)) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor %}
    {%- if reads %}
    {%- for read in reads %}
    {{ 'union all' if not loop.first }}
    {{ read }}
    {%- endfor %}
    {%- else %}
    select
        {%- for column in columns %}
        cast(null as varchar) as "{{ column.name }}",
        {%- endfor %}
        cast(null as varchar) as source_file,
        cast(null as bigint) as source_row_number,
        cast(null as varchar) as source_path,
        cast(null as varchar) as landing_error,
        cast(null as varchar) as landing_raw,
        cast(null as varchar) as source_unexpected_columns
    where false
    {%- endif %}
    {%- for bad in bad_files %}
    union all
    select
        {%- for column in columns %}
        cast(null as varchar) as "{{ column.name }}",
        {%- endfor %}
        '{{ bad.path }}' as source_file,
        cast(null as bigint) as source_row_number,
        cast(null as varchar) as source_path,
        '{{ bad.problem | replace("'", "''") }}' as landing_error,
        cast(null as varchar) as landing_raw,
        cast(null as varchar) as source_unexpected_columns
    {%- endfor %}
{%- endmacro %}


{#-
    The SQL reading one CSV file whose header has been checked: its good records (in
    file order, numbered) and, as literal rows, the records DuckDB's parser rejected.

    Record numbers: DuckDB numbers every record, blank lines included (the header is
    record 1), in its reject table, but gives good records no number. A compile-time probe
    reads the file with the same options and store_rejects; good records are then the
    records numbered 1..N that are neither rejected nor blank, in order, so the k-th good
    record has number k + #{excluded numbers e_j with e_j - j < k} (e_j sorted).
-#}
{% macro csv_file_read(system, file, header, match, columns, check) -%}
    {%- set column_types = [] -%}
    {%- for name in header -%}
        {%- do column_types.append("'c" ~ loop.index ~ "': 'VARCHAR'") -%}
    {%- endfor -%}
    {%- set options = "auto_detect = false, header = true, delim = ',', quote = '\"',"
        ~ " escape = '\"', parallel = false, columns = {" ~ column_types | join(', ')
        ~ "}" -%}
    {%- set path = file.path | replace("'", "''") -%}
    {#- temp tables of this connection, named per system (models may compile at once) -#}
    {%- set reject_table = 'sa_csv_rejects_' ~ system -%}
    {#- The probe: good record count and rejected records (line, type, text hash). -#}
    {%- set probe -%}
        drop table if exists {{ reject_table }}_errors;
        drop table if exists {{ reject_table }}_scans;
        create or replace temp table {{ reject_table }}_probe as
        select count(*) as good_records
        from read_csv('{{ path }}', {{ options }}, store_rejects = true,
            rejects_table = '{{ reject_table }}_errors',
            rejects_scan = '{{ reject_table }}_scans');
        select
            cast(null as bigint) as line,
            cast(null as varchar) as error_type,
            cast(null as bigint) as line_breaks,
            cast(null as varchar) as text_hash,
            cast(null as bigint) as text_length,
            good_records
        from {{ reject_table }}_probe
        union all
        select
            line,
            max(error_type),
            max(length(csv_line) - length(replace(csv_line, chr(10), ''))),
            max({{ pseudonymize('csv_line') }}),
            max(length(csv_line)),
            null
        from {{ reject_table }}_errors
        group by line
        order by line nulls first
    {%- endset -%}
    {%- set probed = run_query(probe).rows -%}
    {%- set rejects = probed[1:] -%}
    {%- set excluded = [] -%}
    {%- for reject in rejects -%}
        {%- do excluded.append(reject[0] - 1) -%}
    {%- endfor -%}
    {%- if check.has_blank_lines -%}
        {%- for number in csv_blank_records(file.path) -%}
            {%- do excluded.append(number) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set excluded = excluded | unique | sort -%}
    {%- set shifts = [] -%}
    {%- for number in excluded -%}
        {%- do shifts.append(number - loop.index) -%}
    {%- endfor %}
    select
        {%- for column in columns %}
        {% if column.name in match.positions -%}
            c{{ match.positions[column.name] }}
        {%- else -%}
            cast(null as varchar)
        {%- endif %} as "{{ column.name }}",
        {%- endfor %}
        '{{ path }}' as source_file,
        {%- if shifts %}
        scan_order + len(list_filter([{{ shifts | join(', ') }}], lambda s: s < scan_order))
            as source_row_number,
        {%- else %}
        scan_order as source_row_number,
        {%- endif %}
        cast(null as varchar) as source_path,
        cast(null as varchar) as landing_error,
        cast(null as varchar) as landing_raw,
        {{ unexpected_columns_literal(match) }} as source_unexpected_columns
    from (
        select *, row_number() over () as scan_order
        from read_csv('{{ path }}', {{ options }}, ignore_errors = true)
    ) as good
    {%- for reject in rejects %}
    union all
    select
        {%- for column in columns %}
        cast(null as varchar) as "{{ column.name }}",
        {%- endfor %}
        '{{ path }}' as source_file,
        {{ reject[0] - 1 }} as source_row_number,
        cast(null as varchar) as source_path,
        '{{ csv_reject_reason(reject[1], reject[2], header | length) }}' as landing_error,
        '{"unparsed_record_sha256": "{{ reject[3] }}", "length": {{ reject[4] }}}'
            as landing_raw,
        {{ unexpected_columns_literal(match) }} as source_unexpected_columns
    {%- endfor %}
{%- endmacro %}


{#- Why DuckDB's CSV parser rejected a record (never its text: it may be personal). -#}
{% macro csv_reject_reason(error_type, line_breaks, field_count) -%}
    {%- set reasons = {
        'MISSING COLUMNS': 'malformed CSV record: fewer fields than the '
            ~ field_count ~ ' of the header',
        'TOO MANY COLUMNS': 'malformed CSV record: more fields than the '
            ~ field_count ~ ' of the header (unquoted comma?)',
        'UNQUOTED VALUE': 'malformed CSV record: unterminated or stray quote',
        'LINE SIZE OVER MAXIMUM': 'malformed CSV record: line longer than the maximum',
        'INVALID ENCODING': 'malformed CSV record: not valid UTF-8',
    } -%}
    {%- set reason = reasons.get(error_type, 'malformed CSV record: ' ~ error_type) -%}
    {%- if line_breaks and line_breaks > 1 -%}
        {%- set reason = reason ~ ' (the record runs over ' ~ (line_breaks + 1)
            ~ ' lines, the rest of the file may be in it)' -%}
    {%- endif -%}
    {{- return(reason | replace("'", "''")) -}}
{%- endmacro %}


{#-
    Record numbers (header = 0) of the blank lines of a CSV file that are not inside a
    quoted field: DuckDB skips them but counts them.
-#}
{% macro csv_blank_records(path) -%}
    {%- set sql -%}
        with lines as (
            select
                unnest(string_split(ltrim(content, chr(65279)), chr(10))) as line,
                generate_subscripts(string_split(ltrim(content, chr(65279)), chr(10)), 1)
                    as line_number
            from read_text('{{ path | replace("'", "''") }}')
        ),
        parity as (
            select
                line,
                line_number,
                coalesce(sum(length(line) - length(replace(line, '"', ''))) over (
                    order by line_number
                    rows between unbounded preceding and 1 preceding
                ), 0) % 2 = 1 as in_quotes
            from lines
        ),
        records as (
            select
                line,
                line_number,
                sum(case when in_quotes then 0 else 1 end) over (order by line_number)
                    - 1 as record_number,
                in_quotes,
                max(line_number) over () as last_line
            from parity
        )
        select record_number
        from records
        where not in_quotes and rtrim(line, chr(13)) = '' and line_number < last_line
            and record_number > 0
        order by record_number
    {%- endset -%}
    {{- return(run_query(sql).columns[0].values() | list) -}}
{%- endmacro %}
