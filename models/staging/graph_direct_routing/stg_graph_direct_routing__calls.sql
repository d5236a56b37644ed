{%- set entity = staged_entity('stg_graph_direct_routing__calls') -%}
with

latest as (
    {{ latest_good_rows(
        ref(entity.base),
        keys=entity['keys'],
        columns=get_graph_direct_routing__call_columns(),
        order_by=entity.order_by,
    ) | indent(4) }}
),

final as (
    select
        *,
        {{ direct_routing_failed_at('failure_date_time_text') }} as failed_at
    from latest
)

select * from final
