-- depends_on: {{ source('graph', 'call_record') }}
{{ config(**graph_base_config('call_records')) }}
{#-
    Every call record of the landed Graph files
    (macros/landing/graph_rows.sql), typed and checked; the raw JSON is never stored.
-#}
{%- set files = landing_files_to_read('graph') -%}
with

graph_rows as (
    {{ graph_call_record_rows(files) }}
),

final as (
    select
        {{ landed_columns(
            get_graph__call_record_columns(),
            carry=[],
        ) }}
    from graph_rows
)

select * from final
