{%- set metrics = {
    'round_trip_ms': 'average_round_trip_time_ms',
    'packet_loss_rate': 'average_packet_loss_rate',
    'jitter_ms': 'average_jitter_ms',
    'degradation': 'average_audio_degradation',
    'concealed_ratio': 'average_ratio_of_concealed_samples',
    'packet_utilization': 'packet_utilization',
    'frame_loss_percentage': 'average_video_frame_loss_percentage',
    'frame_rate': 'average_video_frame_rate',
    'post_fec_loss': 'post_fec_packet_loss_rate',
} -%}

with

streams as (
    select * from {{ ref('stg_graph__media_streams') }}
),

typed as (
    select
        *,
        {{ cqd_stream_type('media_label') }} as stream_type
    from streams
),

classified as (
    select
        *,
        {{ cqd_stream_class('stream_type', metrics) }} as cqd_class
    from typed
)

select * from classified
