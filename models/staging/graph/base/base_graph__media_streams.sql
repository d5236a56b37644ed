-- depends_on: {{ ref('base_graph__media') }}
{{ config(**graph_base_config('media')) }}
{#-
    Every stream of every media object of every good segment
    (macros/landing/graph_rows.sql), typed and checked; the raw JSON is never stored.
-#}
{%- set files = landing_files_to_read('graph') -%}
with

graph_rows as (
    {{ graph_media_stream_rows(files) }}
),

final as (
    select
        {{ landed_columns(
            get_graph__media_stream_columns(),
            carry=[
                'call_record_id',
                'session_id',
                'segment_id',
                'parent_path',
                'media_label',
                'caller_network_connection_type',
                'callee_network_connection_type',
            ],
        ) }}
    from graph_rows
)

select * from final
