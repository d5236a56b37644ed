{%- set entity = staged_entity('stg_graph__segments') -%}
{{ latest_good_rows(
    ref(entity.base),
    keys=entity['keys'],
    columns=get_graph__segment_columns(),
    order_by=entity.order_by,
    extra=['call_record_id', 'session_id', 'source_row_number', 'source_path'],
    parent=ref(entity.parent),
) }}
