{#-
    The Graph callRecords landing files as rows of each nested entity (call record,
    session, segment, media stream), typed and checked by landed_rows. Only the
    base_graph__* models use them, keeping every column but the raw JSON `record` (it
    holds personal data and is never stored). A new file is read once, with the file
    checks, for the call records; each nested level types its located rows: the
    elements of its member in the good rows of the stored parent base table (the typing
    and checks of the levels above are not redone). On DuckDB they come from the
    in-memory scratch (graph_scratch.sql), unnested once per level; elsewhere, or for a
    file the scratch does not cover, from the landing files (graph_located_from_files).

    Every good row of every level is unnested, whatever its version: which version of a
    call record (and so which of its children) is kept is decided in staging
    (ranked_good_rows with a parent), so each landed file gives the same rows whatever
    else has landed - what lets the base models load file by file (files_to_load).
    parent_path is the source_path of the parent row (same source_file and
    source_row_number): the link from a child to its parent.
-#}

{#- Every record of the landed Graph files (`files`). -#}
{% macro graph_call_record_rows(files) -%}
{{ landed_rows(
    system='graph',
    landed_sql=graph_landed_records(files),
    columns=get_graph__call_record_columns(),
    json_records=true,
    carry=['record'],
    checks=[
        {'condition': 'ended_at < started_at',
            'reason': 'call record endDateTime before startDateTime'},
        {'condition': json_is_non_array_at('record', '$.sessions'),
            'reason': 'sessions is not a JSON array'},
    ],
    files=files,
) }}
{%- endmacro %}


{#-
    The levels of a Graph call record, one place for the nesting that graph_located_rows
    and the scratch hooks (graph_scratch.sql) follow: for each, the base model that
    stores its good rows (`model`), its `parent` level and `child` level, the JSON member
    that lists it in its parent, the ids its child rows take from its rows and the base
    models that read its scratch (`readers`, in the order they run).
-#}
{% macro graph_levels() -%}
    {{- return({
        'call_records': {'model': 'base_graph__call_records', 'parent': none,
            'ids': ['call_record_id'], 'child': 'sessions',
            'readers': ['base_graph__call_records', 'base_landing__json_member_paths']},
        'sessions': {'model': 'base_graph__sessions', 'parent': 'call_records',
            'member': 'sessions', 'ids': ['call_record_id', 'session_id'],
            'child': 'segments', 'readers': ['base_graph__sessions']},
        'segments': {'model': 'base_graph__segments', 'parent': 'sessions',
            'member': 'segments', 'ids': ['call_record_id', 'session_id', 'segment_id'],
            'child': 'media', 'readers': ['base_graph__segments']},
        'media': {'parent': 'segments', 'member': 'media', 'child': none,
            'readers': ['base_graph__media', 'base_graph__media_streams']},
    }) -}}
{%- endmacro %}


{#-
    The records of `files` as read_landing_json gives them, without the file checks:
    only files with a good call record (base_graph__call_records, stored earlier in the
    same run) are read. A run-time file set holds only such files (its pre-hook); file
    dicts are filtered here, unless the table is not built yet (`dbt compile` on a fresh
    database): then no file to read.
-#}
{% macro graph_checked_records(files) -%}
    {%- set call_records = ref('base_graph__call_records') -%}
    {%- set good_files = files if files is mapping else [] -%}
    {%- if execute and files and files is not mapping
            and load_relation(call_records) is not none -%}
        {%- set sql -%}
            select distinct source_file from {{ call_records }}
            where rejection_reason is null
        {%- endset -%}
        {%- set loaded = run_query(sql).columns[0].values() | list -%}
        {%- for file in files if file.path in loaded -%}
            {%- do good_files.append(file) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ read_landing_json('graph', 'graph', 'value', files=good_files, checked=true) }}
{%- endmacro %}


{#-
    The located rows of `level` (graph_levels; graph_unnest's columns) under the good
    rows of its parent level: `parent_sql` gives the parent level's located rows (or the
    call records' landed records), the parent's stored base table (`parents`, by default
    the parent level's model) says which are good.
-#}
{% macro graph_located_under(level, parent_sql, parents=none) -%}
    {%- set spec = graph_levels()[level] -%}
    {%- set parent = graph_levels()[spec.parent] -%}
    {{ graph_unnest(
        graph_good_parents(parent_sql, parents or ref(parent.model), parent.ids),
        spec.member,
        carry=parent.ids,
    ) }}
{%- endmacro %}


{#-
    The located rows of `level` for `files`, from the landing files: the good call
    records are read again (graph_checked_records) and unnested level by level, each
    under the good rows of the level above.
-#}
{% macro graph_located_from_files(level, files) -%}
    {%- set parent = graph_levels()[level].parent -%}
    {%- if parent == 'call_records' -%}
        {{ graph_located_under(level, graph_checked_records(files)) }}
    {%- else -%}
        {{ graph_located_under(level, graph_located_from_files(parent, files)) }}
    {%- endif -%}
{%- endmacro %}


{#-
    The located rows of a nested `level` that its base model types. On DuckDB they were
    unnested once, while the build runs, into the in-memory scratch database
    (graph_scratch.sql: the parent model's post-hook, or the model's own pre-hook for
    files the scratch lacks); an engine without it unnests them from the files.
-#}
{% macro graph_located_rows(level, files) -%}
    {{- return(adapter.dispatch('graph_located_rows', 'session_analytics')(
        level, files)) -}}
{%- endmacro %}


{% macro default__graph_located_rows(level, files) -%}
    {{ graph_located_from_files(level, files) }}
{%- endmacro %}


{% macro duckdb__graph_located_rows(level, files) -%}
    {#- the models the scratch hooks read (graph_scratch_fill), as dependencies -#}
    {%- set up = namespace(level=graph_levels()[level].parent) -%}
    {%- for _ in graph_levels() if up.level -%}
        {%- do ref(graph_levels()[up.level].model) -%}
        {%- set up.level = graph_levels()[up.level].parent -%}
    {%- endfor %}
    select * from {{ graph_scratch_table(level) }}
    where list_contains({{ landing_file_list(files) }}, source_file)
{%- endmacro %}


{#-
    The elements of the JSON array `member` of each row of `relation_sql` (columns
    source_file, source_file_fingerprint, source_row_number, source_path, record and
    `carry`), located: parent_path (the row's source_path), source_path
    (parent_path.member[i]), landing_error and landing_raw (NULL), `carry`, record (the
    element).
-#}
{% macro graph_unnest(relation_sql, member, carry=[]) -%}
    select
        source_file,
        source_file_fingerprint,
        source_row_number,
        parent_path,
        concat_ws(
            '.',
            parent_path,
            '{{ member }}[' || cast(ordinal - 1 as {{ dbt.type_string() }}) || ']'
        ) as source_path,
        cast(null as {{ dbt.type_string() }}) as landing_error,
        cast(null as {{ dbt.type_string() }}) as landing_raw,
        {%- for name in carry %}
        {{ name }},
        {%- endfor %}
        record
    from (
        select
            source_file,
            source_file_fingerprint,
            source_row_number,
            source_path as parent_path,
            {%- for name in carry %}
            {{ name }},
            {%- endfor %}
            {{ json_unnest_ordinal('record', '$.' ~ member, 'record', 'ordinal') }}
        from ({{ relation_sql }}) as parents
    ) as unnested
{%- endmacro %}


{#-
    The rows of `unnested_sql` (graph_unnest output, or the landed call records) that are
    good rows of the stored base table `parents` (same source_file, source_row_number and
    source_path; a call record of a `.json` file has none), with `ids` taken from the
    parent row.
-#}
{% macro graph_good_parents(unnested_sql, parents, ids) -%}
    select
        unnested.source_file,
        parent_rows.source_file_fingerprint,
        unnested.source_row_number,
        unnested.source_path,
        {%- for name in ids %}
        parent_rows.{{ name }},
        {%- endfor %}
        unnested.record
    from ({{ unnested_sql }}) as unnested
    inner join {{ parents }} as parent_rows
        on
            unnested.source_file = parent_rows.source_file
            and unnested.source_row_number = parent_rows.source_row_number
            and coalesce(unnested.source_path, '') = coalesce(parent_rows.source_path, '')
    where parent_rows.rejection_reason is null
{%- endmacro %}


{#- Every session of the good call records of `files`. -#}
{% macro graph_session_rows(files) -%}
with

located as (
    {{ graph_located_rows('sessions', files) }}
),

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql='select * from located',
        columns=get_graph__session_columns(),
        json_records=true,
        carry=['call_record_id', 'parent_path', 'record'],
        checks=[
            {'condition': 'ended_at < started_at',
                'reason': 'session endDateTime before startDateTime'},
            {'condition': json_is_non_array_at('record', '$.segments'),
                'reason': 'segments is not a JSON array'},
        ],
    ) }}
)

select * from validated
{%- endmacro %}


{#- Every segment of the good sessions (base_graph__sessions) of `files`. -#}
{% macro graph_segment_rows(files) -%}
with

located as (
    {{ graph_located_rows('segments', files) }}
),

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql='select * from located',
        columns=get_graph__segment_columns(),
        json_records=true,
        carry=['call_record_id', 'session_id', 'parent_path', 'record'],
        checks=[
            {'condition': 'ended_at < started_at',
                'reason': 'segment endDateTime before startDateTime'},
            {'condition': json_is_non_array_at('record', '$.media'),
                'reason': 'media is not a JSON array'},
        ],
    ) }}
)

select * from validated
{%- endmacro %}


{#-
    Every stream of every media object of the good segments (base_graph__segments) of
    `files`. A media object
    with no streams (or that is not an object, or whose streams is not an array) would
    vanish in the unnest: it lands as one row with landing_error set, so that it is
    counted and shows in staging.rejected_rows (raw_record holds its label).
-#}
{% macro graph_media_stream_rows(files) -%}
with

media as (
    select
        source_file,
        source_file_fingerprint,
        source_row_number,
        parent_path,
        source_path as media_path,
        call_record_id,
        session_id,
        segment_id,
        record as media
    from ({{ graph_located_rows('media', files) }}) as located_media
),

streams as (
    select
        source_file,
        source_file_fingerprint,
        source_row_number,
        parent_path,
        media_path,
        call_record_id,
        session_id,
        segment_id,
        media,
        {{ canonical_enum(json_text('media', '$.label'), 'graph_media_label') }}
            as media_label,
        {{ canonical_enum(json_text('media', '$.callerNetwork.connectionType'),
            'graph_network_connection_type') }} as caller_network_connection_type,
        {{ canonical_enum(json_text('media', '$.calleeNetwork.connectionType'),
            'graph_network_connection_type') }} as callee_network_connection_type,
        {{ json_unnest_ordinal('media', '$.streams', 'record', 'stream_ordinal',
            keep_empty=true) }}
    from media
),

located as (
    select
        source_file,
        source_file_fingerprint,
        source_row_number,
        parent_path,
        concat_ws(
            '.',
            media_path,
            case
                when record is not null
                    then
                        'streams['
                        || cast(stream_ordinal - 1 as {{ dbt.type_string() }})
                        || ']'
            end
        ) as source_path,
        case
            when record is not null then null
            when not {{ json_is_object('media') }}
                then 'media element is not a JSON object'
            when {{ json_is_non_array_at('media', '$.streams') }}
                then 'media streams is not a JSON array'
            else 'media object without streams: nothing to stage'
        end as landing_error,
        case
            when record is null then {{ json_object_text([('label', 'media_label')]) }}
        end as landing_raw,
        call_record_id,
        session_id,
        segment_id,
        media_label,
        caller_network_connection_type,
        callee_network_connection_type,
        record
    from streams
),

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql='select * from located',
        columns=get_graph__media_stream_columns(),
        json_records=true,
        carry=[
            'call_record_id', 'session_id', 'segment_id', 'parent_path', 'media_label',
            'caller_network_connection_type', 'callee_network_connection_type',
        ],
        checks=[
            {'condition': 'average_packet_loss_rate < 0 or average_packet_loss_rate > 1',
                'reason': 'averagePacketLossRate outside [0, 1]'},
            {'condition': 'max_packet_loss_rate < 0 or max_packet_loss_rate > 1',
                'reason': 'maxPacketLossRate outside [0, 1]'},
            {'condition': 'average_ratio_of_concealed_samples < 0'
                ~ ' or average_ratio_of_concealed_samples > 1',
                'reason': 'averageRatioOfConcealedSamples outside [0, 1]'},
            {'condition': 'post_fec_packet_loss_rate < 0 or post_fec_packet_loss_rate > 1',
                'reason': 'postForwardErrorCorrectionPacketLossRate outside [0, 1]'},
            {'condition': 'average_video_frame_loss_percentage < 0'
                ~ ' or average_video_frame_loss_percentage > 100',
                'reason': 'averageVideoFrameLossPercentage outside [0, 100]'},
            {'condition': 'packet_utilization < 0', 'reason': 'negative packetUtilization'},
        ],
    ) }}
)

select * from validated
{%- endmacro %}


{#-
    The config of the Graph base model of `level` (graph_levels): landing_base_config()
    (a nested level reads only files with a good call record) plus the scratch hooks
    (graph_scratch_hooks).
-#}
{% macro graph_base_config(level) -%}
    {{- return(with_graph_scratch_hooks(landing_base_config(runtime_folders=['graph'],
        parent='base_graph__call_records' if level != 'call_records' else none),
        level)) -}}
{%- endmacro %}
