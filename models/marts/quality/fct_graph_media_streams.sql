{#-
    One row per Microsoft Graph media stream with its Call Quality Dashboard class
    (REFERENCE.md §3; docs/METRICS.md ("Call quality")). The class comes from the cqd_* macros
    (var cqd_audio_rule picks the current or legacy audio rule). Streams of test
    sessions are kept and flagged (is_test); the daily marts leave them out.
-#}
{%- set source_session_id = dbt.concat(['call_record_id', "'|'", 'session_id']) -%}

with

streams as (
    select * from {{ ref('int_graph__media_streams_classified') }}
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
        sessions.is_test
    from keyed
    left join sessions
        on keyed.session_key = sessions.session_key
)

select * from final
