{%- set entity = staged_entity('stg_graph__media_streams') -%}
{{ latest_good_rows(
    ref(entity.base),
    keys=entity['keys'],
    columns=get_graph__media_stream_columns(),
    order_by=entity.order_by,
    extra=[
        stream_key_expr(entity['keys']) ~ ' as media_stream_key',
        'call_record_id', 'session_id', 'segment_id', 'media_label',
        'caller_network_connection_type', 'callee_network_connection_type',
    ],
    parent=ref(entity.parent),
) }}
