{#-
    read_landing_json(system, folder, page_key): one row per JSON record of every landed
    `.json` / `.jsonl` file of `folder`. A file may hold one object, a page whose
    `page_key` member (`value` for Graph, `items` for Syllable) is the list of records, or
    one object per line. Columns: source_file, source_row_number (1-based record number in
    its file), record (JSON text), landing_error.
-#}
{% macro read_landing_json(system, folder, page_key) -%}
    {{- return(adapter.dispatch('read_landing_json', 'session_analytics')(
        system, folder, page_key)) -}}
{%- endmacro %}


{% macro duckdb__read_landing_json(system, folder, page_key) -%}
    {%- set files = [] -%}
    {%- for file in landing_files(folder, ['*.json', '*.jsonl', '*.JSON', '*.JSONL']) if file.size > 0 -%}
        {%- do files.append(file) -%}
    {%- endfor -%}
    {%- if files %}
    select
        source_file,
        row_number() over (
            partition by source_file order by object_number, element_number
        ) as source_row_number,
        cast(record as varchar) as record,
        cast(null as varchar) as landing_error
    from (
        select
            source_file,
            scan_order - min(scan_order) over (partition by source_file) as object_number,
            unnest(elements) as record,
            generate_subscripts(elements, 1) as element_number
        from (
            select
                filename as source_file,
                row_number() over () as scan_order,
                case
                    when json_type(json, '$.{{ page_key }}') = 'ARRAY'
                        then json_extract(json, '$.{{ page_key }}[*]')
                    else [json]
                end as elements
            from read_json_objects(
                {{ landing_file_list(files) }}, format = 'auto', filename = true
            )
        ) as objects
    ) as records
    {%- else %}
    select
        cast(null as varchar) as source_file,
        cast(null as bigint) as source_row_number,
        cast(null as varchar) as record,
        cast(null as varchar) as landing_error
    where false
    {%- endif %}
{%- endmacro %}
