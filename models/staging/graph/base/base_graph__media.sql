{{ config(**graph_base_config('media')) }}
{#-
    Every media object of every good segment (macros/landing/graph_media_rows.sql):
    the network and devices of the caller and callee side, typed; the raw JSON is never
    stored. The streams of the media object are in base_graph__media_streams.
-#}
{%- set files = landing_files_to_read('graph') -%}
with

graph_rows as (
    {{ graph_media_rows(files) }}
),

final as (
    select
        {{ landed_columns(
            get_graph__media_columns(),
            carry=[
                'call_record_id',
                'session_id',
                'segment_id',
                'parent_path',
            ],
        ) }}
    from graph_rows
)

select * from final
