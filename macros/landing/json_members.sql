{#-
    The documented member paths of one JSON landing folder (docs/LANDING.md), built from
    the column macros, so a column added there is documented here too: every column
    path of each entity of the folder, under the entity's place in the record (nested
    Graph levels under `$.sessions[*]`, `...segments[*]`, `...media[*]`,
    `...streams[*]`). Paths are written as staging.landed_members lists them: `$`, `.name`
    per object member (no quotes), `[*]` per array level.
-#}
{% macro json_documented_paths(folder) -%}
    {%- set levels = {
        'graph': [
            ('$', get_graph__call_record_columns()),
            ('$.sessions[*]', get_graph__session_columns()),
            ('$.sessions[*].segments[*]', get_graph__segment_columns()),
            ('$.sessions[*].segments[*].media[*]', get_graph__media_columns()),
            ('$.sessions[*].segments[*].media[*].streams[*]',
                get_graph__media_stream_columns()),
        ],
        'syllable': [('$', get_syllable__session_columns())],
        'syllable_labels': [('$', get_syllable__session_label_columns())],
        'graph_pstn': [('$', get_graph_pstn__call_columns())],
        'graph_direct_routing': [('$', get_graph_direct_routing__call_columns())],
    } -%}
    {%- if folder not in levels -%}
        {{- exceptions.raise_compiler_error(
            'json_documented_paths: no JSON entities for folder ' ~ folder) -}}
    {%- endif -%}
    {%- set paths = [] -%}
    {%- for prefix, columns in levels[folder] -%}
        {%- for column in columns -%}
            {%- do paths.append(prefix ~ (column.path[1:] | replace('"', ''))) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(paths | unique | list) -}}
{%- endmacro %}


{#-
    The config of base_landing__json_member_paths, which reads the JSON `folders`:
    landing_base_config() plus, for the Graph folder, the hooks of the scratch of
    `member_structures` (graph_scratch_hooks).
-#}
{% macro json_member_paths_config(folders) -%}
    {%- set config = landing_base_config(runtime_folders=folders) -%}
    {{- return(with_graph_scratch_hooks(config, 'member_structures') if 'graph' in folders
        else config) -}}
{%- endmacro %}


{#-
    Every member path of the records of the JSON `files` of `folder` (names only, never
    values), one row per (source_file, member_path): landing_folder, source_file,
    source_file_fingerprint, member_path (`$` for the record itself), parent_path (NULL
    for `$`), records (records of the file whose structure has the path; an array's
    elements are merged into one `[*]` level) and duplicate_keys (on the `$` row: object
    members named again at the top level of a record, summed over the file's records;
    NULL on the other rows). Read with read_landing_json; lines that are not valid JSON
    and bad files are left out (they are rejected rows and quarantined files).
-#}
{% macro json_member_paths(system, folder, page_key, files) -%}
    {{- return(adapter.dispatch('json_member_paths', 'session_analytics')(
        system, folder, page_key, files)) -}}
{%- endmacro %}


{#- Engines without the JSON structure walk (Spark): no rows, the same columns. -#}
{% macro default__json_member_paths(system, folder, page_key, files) -%}
    select
        cast(null as {{ dbt.type_string() }}) as landing_folder,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_string() }}) as source_file_fingerprint,
        cast(null as {{ dbt.type_string() }}) as member_path,
        cast(null as {{ dbt.type_string() }}) as parent_path,
        cast(null as {{ dbt.type_bigint() }}) as records,
        cast(null as {{ dbt.type_bigint() }}) as duplicate_keys
    where 1 = 0
{%- endmacro %}


{#-
    DuckDB: the distinct structures of the files' records (json_landed_structures) are
    walked once each with a recursive CTE (json_keys per object, `[*]` per array) and
    their paths counted for every file that has them.
-#}
{% macro duckdb__json_member_paths(system, folder, page_key, files) -%}
    with recursive

    structures as (
        {{ json_landed_structures(system, folder, page_key, files) | indent(8) }}
    ),

    {#- each distinct structure is walked once, whatever the files that share it: a
        per-file walk kept a copy of every sub-structure per file (out of memory at 1M
        sessions) -#}
    distinct_structures as (
        select
            md5(node) as structure_id,
            any_value(node) as node
        from structures
        group by md5(node)
    ),

    walk (structure_id, member_path, parent_path, node) as (
        select
            structure_id,
            '$' as member_path,
            cast(null as varchar) as parent_path,
            node
        from distinct_structures
        union all
        select
            structure_id,
            case
                when is_array then parent_path || '[*]'
                else parent_path || '.' || member_key
            end as member_path,
            parent_path,
            case
                when is_array then json_extract(node, '$[0]')
                else json_extract(
                    node,
                    '/' || replace(replace(member_key, '~', '~0'), '/', '~1')
                )
            end as node
        from (
            select
                structure_id,
                member_path as parent_path,
                json_type(node) = 'ARRAY' as is_array,
                node,
                unnest(
                    case
                        when json_type(node) = 'OBJECT' then json_keys(node)
                        when json_type(node) = 'ARRAY' then ['']
                        else []
                    end
                ) as member_key
            from walk
        ) as children
    ),

    file_paths as (
        select
            structures.source_file,
            walk.member_path,
            walk.parent_path,
            structures.records
        from structures
        inner join walk
            on md5(structures.node) = walk.structure_id
    ),

    fingerprints as (
        {{ file_fingerprint_values(files) }}
    ),

    final as (
        select
            '{{ folder }}' as landing_folder,
            paths.source_file,
            fingerprints.fingerprint as source_file_fingerprint,
            paths.member_path,
            paths.parent_path,
            paths.records,
            duplicates.duplicate_keys
        from (
            select
                source_file,
                member_path,
                parent_path,
                sum(records) as records
            from file_paths
            group by source_file, member_path, parent_path
        ) as paths
        inner join fingerprints
            on paths.source_file = fingerprints.path
        left join (
            select
                source_file,
                '$' as member_path,
                sum(duplicate_keys) as duplicate_keys
            from structures
            group by source_file
        ) as duplicates
            on
                paths.source_file = duplicates.source_file
                and paths.member_path = duplicates.member_path
    )

    select * from final
{%- endmacro %}


{#-
    The structures of the records of the JSON `files` of `folder`, one row per
    (source_file, node): node (json_structure of the record as landed: arrays merged to
    one element structure, a repeated member name merged to one), records (records with
    that structure) and duplicate_keys (top-level member names given again, summed).
    Graph files come from the scratch graph_scratch_fill_structures filled, from the
    records the call records model read (a file it did not read is read from the
    landing files).
-#}
{% macro json_landed_structures(system, folder, page_key, files) -%}
    {%- if folder == 'graph' -%}
        {#- runs after the call records model, whose records fill the scratch -#}
        {%- do ref('base_graph__call_records') %}
    select * from {{ graph_scratch_table('member_structures') }}
    where list_contains({{ landing_file_list(files) }}, source_file)
    {%- else -%}
    {{ json_record_structures(read_landing_json(system, folder, page_key, files=files,
        last_member_wins=false)) }}
    {%- endif -%}
{%- endmacro %}


{#-
    The structures (json_landed_structures' columns) of the landed records of
    `landed_sql` (read_landing_json's columns, records as landed): lines that are not
    valid JSON and bad files are left out (they are rejected rows and quarantined
    files). DuckDB only.
-#}
{% macro json_record_structures(landed_sql) -%}
    select
        source_file,
        json_structure(record) as node,
        count(*) as records,
        sum(coalesce({{ json_repeated_members('record') }}, 0)) as duplicate_keys
    from ({{ landed_sql }}) as landed
    where record is not null and landing_error is null
    group by source_file, json_structure(record)
{%- endmacro %}


{#-
    How many top-level member names of the JSON object text `expr` are given again
    (json_keys lists a repeated name each time); 0 for another JSON value, NULL for
    NULL. DuckDB only.
-#}
{% macro json_repeated_members(expr) -%}
    (len(json_keys({{ expr }})) - len(list_distinct(json_keys({{ expr }}))))
{%- endmacro %}


{#-
    The JSON object text `expr` with each top-level member name once, holding its last
    value (as lenient parsers do: DuckDB's JSON functions would return the first). Only a
    record with a repeated name is rebuilt (members in the order of their last
    occurrence); any other value is returned as it is. DuckDB only (read_landing_json).
-#}
{% macro json_last_member_wins(expr) -%}
    {%- set member_keys = 'json_keys(' ~ expr ~ ')' -%}
    case
        when {{ json_repeated_members(expr) }} > 0
            then '{' || array_to_string(
                list_transform(
                    list_filter(
                        generate_series(1, len({{ member_keys }})),
                        lambda i: not list_contains(
                            {{ member_keys }}[i + 1:], {{ member_keys }}[i]
                        )
                    ),
                    lambda i: cast(to_json({{ member_keys }}[i]) as varchar) || ':'
                        || cast(json_extract({{ expr }}, '$.*')[i] as varchar)
                ),
                ','
            ) || '}'
        else {{ expr }}
    end
{%- endmacro %}
