{{ config(**graph_base_config('segments')) }}
{#-
    Every segment of every good session
    (macros/landing/graph_rows.sql), typed and checked; the raw JSON is never stored.
-#}
{%- set files = landing_files_to_read('graph') -%}
with

graph_rows as (
    {{ graph_segment_rows(files) }}
),

final as (
    select
        {{ landed_columns(
            get_graph__segment_columns(),
            carry=[
                'call_record_id',
                'session_id',
                'parent_path',
            ],
        ) }}
    from graph_rows
)

select * from final
