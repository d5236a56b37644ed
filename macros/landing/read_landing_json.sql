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


{#- {path: (valid, several documents)} of the .json files: is the text one JSON document? -#}
{% macro duckdb__json_document_checks(files) -%}
    {%- set checks = {} -%}
    {%- if not files -%}
        {{- return(checks) -}}
    {%- endif -%}
    {%- set sql -%}
        with docs as (
            select
                filename,
                ltrim(content, chr(65279)) as body,
                coalesce(json_valid(ltrim(content, chr(65279))), false) as valid
            from read_text({{ landing_file_list(files) }})
        )
        {#- the per-line check (for the message) only runs on invalid documents -#}
        select
            filename,
            valid,
            case
                when valid then false
                else coalesce(list_bool_and(list_transform(lines, lambda l: json_valid(l))), false)
                    and len(lines) > 1
            end as several_documents
        from (
            select
                filename,
                valid,
                case
                    when not valid then list_filter(
                        list_transform(string_split(body, chr(10)), lambda l: trim(l, ' ' || chr(9) || chr(13))),
                        lambda l: l <> ''
                    )
                end as lines
            from docs
        ) as split
    {%- endset -%}
    {%- for row in run_query(sql).rows -%}
        {%- do checks.update({row[0]: (row[1], row[2])}) -%}
    {%- endfor -%}
    {{- return(checks) -}}
{%- endmacro %}


{% macro duckdb__read_landing_json(system, folder, page_key, files=none, checked=false,
        last_member_wins=true) -%}
    {%- set listed = files if files is not none
        else landing_files(folder, ['*.json', '*.jsonl', '*.JSON', '*.JSONL']) -%}
    {%- set files = [] -%}
    {%- for file in listed if file.size > 0 -%}
        {%- do files.append(file) -%}
    {%- endfor -%}
    {%- if checked -%}
        {#- files another model has read and found good: no file checks again -#}
        {%- set text_checks = {} -%}
        {%- for file in files -%}
            {%- do text_checks.update({file.path: {'utf8': true, 'blank': false}}) -%}
        {%- endfor -%}
    {%- else -%}
        {%- set text_checks = landing_text_checks(files) -%}
    {%- endif -%}
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
    {%- if checked -%}
        {%- set document_checks = {} -%}
        {%- for file in document_files -%}
            {%- do document_checks.update({file.path: (true, false)}) -%}
        {%- endfor -%}
    {%- else -%}
        {%- set document_checks = duckdb__json_document_checks(document_files) -%}
    {%- endif -%}
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
    {%- if good_documents or line_files %}
    select
        source_file,
        coalesce(line_number, element_number) as source_row_number,
        case
            when line_number is not null and is_page
                then '{{ page_key }}[' || cast(element_number - 1 as varchar) || ']'
        end as source_path,
        {%- if last_member_wins %}
        {{ json_last_member_wins('cast(record as varchar)') }} as record,
        {%- else %}
        cast(record as varchar) as record,
        {%- endif %}
        case when not valid then 'line is not valid JSON' end as landing_error,
        case
            when not valid then '{"unparsed_record_sha256": "' || {{ pseudonymize('text') }}
                || '", "length": ' || cast(length(text) as varchar) || '}'
        end as landing_raw
    from (
        select
            source_file,
            line_number,
            text,
            valid,
            is_page,
            unnest(elements) as record,
            generate_subscripts(elements, 1) as element_number
        from (
            select
                source_file,
                line_number,
                text,
                valid,
                case
                    when valid then coalesce(json_type(text, '$.{{ page_key }}') = 'ARRAY', false)
                    else false
                end as is_page,
                case
                    when valid and json_type(text, '$.{{ page_key }}') = 'ARRAY'
                        then json_extract(text, '$.{{ page_key }}[*]')
                    when valid then [cast(text as json)]
                    else [cast(null as json)]
                end as elements
            from (
                select source_file, line_number, text, coalesce(json_valid(text), false) as valid
                from (
                    {%- if good_documents %}
                    select
                        filename as source_file,
                        cast(null as bigint) as line_number,
                        ltrim(content, chr(65279)) as text
                    from read_text({{ landing_file_list(good_documents) }})
                    {%- endif %}
                    {%- if good_documents and line_files %}
                    union all
                    {%- endif %}
                    {%- if line_files %}
                    select source_file, line_number, rtrim(line, chr(13)) as text
                    from (
                        select
                            filename as source_file,
                            unnest(string_split(ltrim(content, chr(65279)), chr(10))) as line,
                            generate_subscripts(
                                string_split(ltrim(content, chr(65279)), chr(10)), 1
                            ) as line_number
                        from read_text({{ landing_file_list(line_files) }})
                    ) as lines
                    where trim(line, ' ' || chr(9) || chr(13)) <> ''
                    {%- endif %}
                ) as units
            ) as checked
        ) as documents
    ) as records
    {%- else %}
    select
        cast(null as varchar) as source_file,
        cast(null as bigint) as source_row_number,
        cast(null as varchar) as source_path,
        cast(null as varchar) as record,
        cast(null as varchar) as landing_error,
        cast(null as varchar) as landing_raw
    where false
    {%- endif %}
    {%- for bad in bad_files %}
    union all
    select
        '{{ bad.path }}' as source_file,
        cast(null as bigint) as source_row_number,
        cast(null as varchar) as source_path,
        cast(null as varchar) as record,
        '{{ bad.problem | replace("'", "''") }}' as landing_error,
        cast(null as varchar) as landing_raw
    {%- endfor %}
{%- endmacro %}
