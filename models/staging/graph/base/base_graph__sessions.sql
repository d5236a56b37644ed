{{ config(**graph_base_config('sessions')) }}
{#-
    Every session of every good call record
    (macros/landing/graph_rows.sql), typed and checked; the raw JSON is never stored.
-#}
{%- set files = landing_files_to_read('graph') -%}
with

graph_rows as (
    {{ graph_session_rows(files) }}
),

final as (
    select
        {{ landed_columns(
            get_graph__session_columns(),
            carry=[
                'call_record_id',
                'parent_path',
            ],
        ) }}
    from graph_rows
)

select * from final
