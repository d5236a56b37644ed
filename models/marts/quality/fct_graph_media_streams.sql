{#-
    One row per Microsoft Graph media stream with its Call Quality Dashboard class
    (REFERENCE.md §3; docs/METRICS.md ("Call quality")). The class comes from the cqd_* macros
    (var cqd_audio_rule picks the current or legacy audio rule). Streams of test
    sessions are kept and flagged (is_test); the daily marts leave them out.
-#}
{%- set source_session_id = dbt.concat(['call_record_id', "'|'", 'session_id']) -%}

{#- Issue 17: the CQD building of each side's network, from
    int_graph__media_buildings_mapped (one row per media x side). -#}
{%- set building_columns = [
    'building_network_key', 'subnet', 'building_name', 'network_name', 'city',
    'country', 'region', 'is_inside_corp', 'is_vpn', 'is_express_route',
    'wifi_band', 'wifi_radio_type', 'capture_device_name', 'render_device_name',
    'cpu_name',
] -%}
{%- set side_building_columns = [] -%}
{%- set endpoint_columns = [
    'endpoint_kind', 'user_agent_category', 'platform', 'product_family', 'user_agent',
    'endpoint_model', 'endpoint_type',
] -%}
{%- for side in ['caller', 'callee'] -%}
{%- for column in endpoint_columns + building_columns + ['is_mapped'] -%}
{%- do side_building_columns.append(side ~ '_' ~ column) -%}
{%- endfor -%}
{%- endfor %}
{#- CQD's First / Second view of these side columns (first_x, second_x). -#}
{%- set first_second_columns = [
    'endpoint_kind', 'user_agent_category', 'subnet', 'building_name', 'network_name',
    'is_inside_corp', 'is_vpn',
] -%}
{%- set column_source = {} -%}
{%- for column in side_building_columns -%}
{%- do column_source.update({column: 'stream_endpoints'
    if column.split('_', 1)[1] in endpoint_columns else 'stream_buildings'}) -%}
{%- endfor -%}
{%- set side_source = {} -%}
{%- for column in first_second_columns -%}
{%- do side_source.update({column: 'stream_endpoints' if column in endpoint_columns
    else 'stream_buildings'}) -%}
{%- endfor %}

{#- Incremental by call record (macros/landing/derived_rows.sql): the call records that
    the classified streams, the building mapping or the First / Second order built since
    the last build (a changed CQD rule, building or endpoint file rebuilds them all);
    every row when a var or seed changes. It records the session dates it touches for
    the marts by date. -#}
{%- set parents = [
    'int_graph__media_streams_classified', 'int_graph__media_buildings_mapped',
    'int_graph__segments_ordered',
] -%}
{{ config(**derived_rows_config(
    parents, ['call_record_id'], on_schema_change='fail',
    touched_dates='session_date',
)) }}

with

streams as (
    select * from {{ ref('int_graph__media_streams_classified') }}
    where
        {{ units_to_rebuild(
            parents, ['call_record_id'], inputs_version()
        ) | indent(8) }}
),

sessions as (
    select * from {{ ref('fct_sessions') }}
    where source_system = 'graph'
),

keyed as (
    select
        *,
        {{ session_key_expr("'graph'", source_session_id) }} as session_key
    from streams
),

media_buildings as (
    select * from {{ ref('int_graph__media_buildings_mapped') }}
),

stream_buildings as (
    select
        streams.media_stream_key,
        {%- for column in building_columns %}
        caller_buildings.{{ column }} as caller_{{ column }},
        callee_buildings.{{ column }} as callee_{{ column }},
        {%- endfor %}
        coalesce(caller_buildings.is_mapped, false) as caller_is_mapped,
        coalesce(callee_buildings.is_mapped, false) as callee_is_mapped
    from streams
    left join media_buildings as caller_buildings
        on
            streams.call_record_id = caller_buildings.call_record_id
            and streams.session_id = caller_buildings.session_id
            and streams.segment_id = caller_buildings.segment_id
            and streams.media_label = caller_buildings.media_label
            and caller_buildings.side = 'caller'
    left join media_buildings as callee_buildings
        on
            streams.call_record_id = callee_buildings.call_record_id
            and streams.session_id = callee_buildings.session_id
            and streams.segment_id = callee_buildings.segment_id
            and streams.media_label = callee_buildings.media_label
            and callee_buildings.side = 'callee'
),

{# Issue 17: CQD's First / Second endpoint of the stream's segment. #}
segments_ordered as (
    select * from {{ ref('int_graph__segments_ordered') }}
),

stream_endpoints as (
    select
        streams.media_stream_key,
        {%- for column in endpoint_columns %}
        segments_ordered.caller_{{ column }},
        segments_ordered.callee_{{ column }},
        {%- endfor %}
        segments_ordered.first_is_caller
    from streams
    left join segments_ordered
        on
            streams.call_record_id = segments_ordered.call_record_id
            and streams.session_id = segments_ordered.session_id
            and streams.segment_id = segments_ordered.segment_id
),

final as (
    select
        keyed.media_stream_key,
        keyed.session_key,
        keyed.call_record_id,
        keyed.session_id,
        keyed.segment_id,
        keyed.stream_id,
        sessions.session_date,
        keyed.stream_type,
        keyed.media_label,
        keyed.stream_direction,
        keyed.caller_network_connection_type,
        keyed.callee_network_connection_type,
        keyed.average_jitter_ms,
        keyed.max_jitter_ms,
        keyed.average_round_trip_time_ms,
        keyed.max_round_trip_time_ms,
        keyed.average_packet_loss_rate,
        keyed.max_packet_loss_rate,
        keyed.average_audio_degradation,
        keyed.average_ratio_of_concealed_samples,
        keyed.packet_utilization,
        keyed.average_video_frame_rate,
        keyed.average_video_frame_loss_percentage,
        keyed.post_fec_packet_loss_rate,
        keyed.was_media_bypassed,
        keyed.cqd_class,
        keyed.cqd_class <> 'unclassified' as is_classified,
        keyed.cqd_class = 'poor' as is_poor,
        sessions.is_test,
        {%- for column in side_building_columns %}
        {{ column_source[column] }}.{{ column }},
        {%- endfor %}
        {%- for column in first_second_columns %}
        case
            when stream_endpoints.first_is_caller
                then {{ side_source[column] }}.caller_{{ column }}
            else {{ side_source[column] }}.callee_{{ column }}
        end as first_{{ column }},
        case
            when stream_endpoints.first_is_caller
                then {{ side_source[column] }}.callee_{{ column }}
            else {{ side_source[column] }}.caller_{{ column }}
        end as second_{{ column }},
        {%- endfor %}
        stream_endpoints.first_is_caller
    from keyed
    left join sessions
        on keyed.session_key = sessions.session_key
    left join stream_buildings
        on keyed.media_stream_key = stream_buildings.media_stream_key
    left join stream_endpoints
        on keyed.media_stream_key = stream_endpoints.media_stream_key
)

select * from final
