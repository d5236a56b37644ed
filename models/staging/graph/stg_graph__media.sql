{%- set entity = staged_entity('stg_graph__media') -%}
{{ latest_good_rows(
    ref(entity.base),
    keys=entity['keys'],
    columns=get_graph__media_columns(),
    order_by=entity.order_by,
    extra=['call_record_id', 'session_id', 'segment_id'],
    parent=ref(entity.parent),
) }}
