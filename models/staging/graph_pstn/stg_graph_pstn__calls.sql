{%- set entity = staged_entity('stg_graph_pstn__calls') -%}
{{ latest_good_rows(
    ref(entity.base),
    keys=entity['keys'],
    columns=get_graph_pstn__call_columns(),
    order_by=entity.order_by,
) }}
