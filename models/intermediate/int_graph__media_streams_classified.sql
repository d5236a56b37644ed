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
{%- set stream_type = cqd_stream_type('media_label') -%}
{%- set cqd_class = cqd_stream_class('stream_type', metrics) -%}
{#- The rules as rendered from their vars (logic_version: the rules of the row). -#}
{%- set rules_version = "'" ~ local_md5(stream_type ~ cqd_class) ~ "'" -%}
{#- Incremental by call record (macros/landing/derived_rows.sql): the call records the
    stream level staged since the last build; every row when a var or seed changes. -#}
{{ config(**derived_rows_config(['stg_graph__media_streams'], ['call_record_id'])) }}

with

streams as (
    select * from {{ ref('stg_graph__media_streams') }}
    where {{ rows_to_rebuild(inputs_version()) }}
),

typed as (
    select
        *,
        {{ stream_type }} as stream_type
    from streams
),

classified as (
    select
        {{ columns_staged_now('typed') }},
        {{ cqd_class }} as cqd_class,
        {{ rules_version }} as logic_version
    from typed
)

select * from classified
