{#-
    read_landing_json(system, folder, page_key, files): one row per JSON record of every
    landed `.json` / `.jsonl` file of `folder` (or of `files`, file dicts of landing_files,
    when given: an incremental base model passes only its new files, see files_to_load).
    checked = true skips the file checks below, for files another model has already read
    and found good (the nested Graph levels, macros/landing/graph_rows.sql). Columns: source_file, source_row_number,
    source_path, record (JSON text; NULL for a line that is not valid JSON), landing_error
    and landing_raw (JSON text replacing raw_record for a record that could not be parsed).

    - A `.json` file holds one JSON document: one object (record 1) or a page whose
      `page_key` member (`value` for Graph, `items` for Syllable) is the list of records
      (source_row_number = 1-based position in the list).
    - A `.jsonl` file holds one JSON document per line (source_row_number = the line
      number; blank lines are skipped). A line holding a page gives one record per item,
      located by source_path (`value[0]`, ...). A line that is not valid JSON is one
      rejected record (landing_error set; its text is kept only as a salted SHA-256, since
      it cannot be pseudonymised field by field): the other lines still load.
    - Structural problems stop the build naming the file, what was expected and what was
      found, or with var('on_bad_file') = 'quarantine' skip the file (one row with
      landing_error set and source_row_number NULL): a file that is not UTF-8, a `.json`
      file that is not one valid JSON document (truncated, or several documents).
    - A 0-byte or blank file has no records; a BOM and CRLF line ends are tolerated.
    - A record with a top-level member name twice keeps the last value of the name, as
      lenient parsers do (json_last_member_wins; last_member_wins = false gives the
      record as landed, for the duplicate count of base_landing__json_member_paths).
-#}
{% macro read_landing_json(system, folder, page_key, files=none, checked=false,
        last_member_wins=true) -%}
    {{- return(adapter.dispatch('read_landing_json', 'session_analytics')(
        system, folder, page_key, files, checked, last_member_wins)) -}}
{%- endmacro %}


{#-
    DuckDB reads and classifies the files in the one query that splits them into records,
    while the build runs: `files` is a run-time file set (landing_files_to_read: a
    session variable the model's pre-hook fills with the new or changed files) or a list
    of file dicts. No landing file is opened while dbt compiles, and the compiled SQL
    names no landed file. Each file is read once (read_blob), its text decoded once (a
    file that is not UTF-8 gives NULL), and a `.json` file parsed once to know whether
    it is one JSON document; with checked = true, for files another model has read and
    found good, no check is made. A bad file gives one row with landing_error set
    (bad_file_landing_error: the build stops there unless on_bad_file = quarantine).
-#}
{% macro duckdb__read_landing_json(system, folder, page_key, files=none, checked=false,
        last_member_wins=true) -%}
    {%- set files = files if files is not none
        else landing_files(folder, ['*.json', '*.jsonl', '*.JSON', '*.JSONL']) -%}
    select
        source_file,
        {%- if files is mapping %}
        {#- a run-time file set: the fingerprint from the same scan (landed_rows) #}
        source_file_fingerprint,
        {%- endif %}
        case
            when file_problem is null then coalesce(line_number, element_number)
        end as source_row_number,
        case
            when line_number is not null and is_page
                then '{{ page_key }}[' || cast(element_number - 1 as varchar) || ']'
        end as source_path,
    {%- if last_member_wins %}
        {{ json_last_member_wins('cast(record as varchar)') }} as record,
        {%- else %}
        cast(record as varchar) as record,
        {%- endif %}
        case
            when file_problem is not null
                then {{ bad_file_landing_error(system, 'source_file', 'file_problem') }}
            when not valid then 'line is not valid JSON'
        end as landing_error,
        case
            when file_problem is null and not valid
                then '{"unparsed_record_sha256": "' || {{ pseudonymize('text') }}
                    || '", "length": ' || cast(length(text) as varchar) || '}'
        end as landing_raw
    from (
        select
            source_file,
            source_file_fingerprint,
            file_problem,
            line_number,
            text,
            valid,
            is_page,
            unnest(elements) as record,
            generate_subscripts(elements, 1) as element_number
        from (
            select
                source_file,
                source_file_fingerprint,
                file_problem,
                line_number,
                text,
                valid,
                case
                    when valid then coalesce(json_type(text, '$.{{ page_key }}') = 'ARRAY', false)
                    else false
                end as is_page,
                case
                    {#- a blank line has no record: no element, so no row #}
                    when blank_line then []
                    when valid and json_type(text, '$.{{ page_key }}') = 'ARRAY'
                        then json_extract(text, '$.{{ page_key }}[*]')
                    when valid then [cast(text as json)]
                    else [cast(null as json)]
                end as elements
            from (
                select
                    source_file,
                    source_file_fingerprint,
                    file_problem,
                    case when is_lines then unit_number end as line_number,
                    {{ without_trailing_cr('unit') }} as text,
                    case
                        when file_problem is not null then false
                        {#- a CR that ends a line is JSON white space #}
                        when is_lines then coalesce(json_valid(unit), false)
                        else true
                    end as valid,
                    {#- not a filter: a filter between the two unnests made DuckDB
                        hold every line of the new files (out of memory at 1M) #}
                    file_problem is null and is_lines and {{ text_is_blank('unit') }}
                        as blank_line
                from (
                    {#- a document is one unit, a JSON Lines file one per line; a bad
                        file one unit (its landing_error row) -#}
                    {%- set units -%}
                        case
                            when file_problem is not null then [cast(null as varchar)]
                            when blank then []
                            when is_lines then string_split(body, chr(10))
                            else [body]
                        end
                    {%- endset %}
                    select
                        source_file,
                        source_file_fingerprint,
                        is_lines,
                        file_problem,
                        unnest({{ units }}) as unit,
                        generate_subscripts({{ units }}, 1) as unit_number
                    from ({{ json_file_classification(page_key, files, checked) }})
                        as classified
                ) as units
            ) as checked
        ) as documents
    ) as records
{%- endmacro %}


{#-
    One row per landed JSON file of `files` (a run-time file set or a list of file dicts):
    source_file, is_lines (a `.jsonl` file), body (its text without a BOM), blank (no
    text but white space) and file_problem (why the file cannot be read, NULL when it
    can): not UTF-8, or a `.json` file that is not one JSON document. The file's bytes
    are read here only; with checked = true no check is made.
-#}
{% macro json_file_classification(page_key, files, checked=false) -%}
    {#- the non-blank lines: only split for the message of a bad .json file -#}
    {%- set lines -%}
        list_filter(
            list_transform(
                string_split(body, chr(10)), lambda l: trim(l, ' ' || chr(9) || chr(13))
            ),
            lambda l: l <> ''
        )
    {%- endset %}
    {%- set blank -%}
        {{ text_is_blank('body') }}
    {%- endset %}
    select
        source_file,
        source_file_fingerprint,
        is_lines,
        body,
        {{ blank }} as blank,
        case
            when body is null then '{{ not_utf8_problem('JSON text') }}'
            {%- if not checked %}
            when {{ blank }} or is_lines then null
            when not coalesce(json_valid(body), false)
                then 'expected one JSON document (an object, or a page {"{{ page_key
                    }}": [...]}); found '
                    || case
                        when len({{ lines }}) > 1
                            and coalesce(list_bool_and(
                                list_transform({{ lines }}, lambda l: json_valid(l))
                            ), false)
                            then 'one JSON document per line: name the file .jsonl'
                        else 'text that is not valid JSON (' || cast(size as varchar)
                            || ' bytes; truncated or corrupted?)'
                    end
            {%- endif %}
        end as file_problem
    from (
        select
            filename as source_file,
            {{ file_fingerprint_sql('size', 'last_modified') }} as source_file_fingerprint,
            size,
            lower(filename) like '%.jsonl' as is_lines,
            ltrim(try(decode(content)), chr(65279)) as body
        from read_blob({{ landing_file_list(files) }})
    ) as decoded
{%- endmacro %}
