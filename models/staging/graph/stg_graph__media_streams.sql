{%- set entity = staged_entity('stg_graph__media_streams') -%}
{{ config(**staged_config(entity)) }}

with

base as (
    select * from {{ ref('base_graph__media_streams') }}
    where {{ staged_rows_to_restage(entity) | indent(4) }}
),

parent_rows as (
    select * from {{ ref('stg_graph__segments') }}
),

ranked as (
    {{ ranked_good_rows(
        'base', entity['keys'], entity.order_by, parent='parent_rows',
    ) | indent(4) }}
),

final as (
    select
        {{ stream_key_expr(entity['keys']) }} as media_stream_key,
        call_record_id,
        session_id,
        segment_id,
        media_label,
        caller_network_connection_type,
        callee_network_connection_type,
        {{- column_aliases(get_graph__media_stream_columns()) }}
        source_file,
        loaded_at,
        current_timestamp as staged_at
    from ranked
    where version_rank = 1
)

select * from final
