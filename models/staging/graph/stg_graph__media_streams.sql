{%- set stream_keys = [
    'call_record_id', 'session_id', 'segment_id', 'media_label', 'stream_direction',
    'stream_id',
] -%}
{{ latest_good_rows(
    ref('base_graph__media_streams'),
    keys=stream_keys,
    columns=get_graph__media_stream_columns(),
    extra=[
        stream_key_expr(stream_keys) ~ ' as media_stream_key',
        'call_record_id', 'session_id', 'segment_id', 'media_label',
        'caller_network_connection_type', 'callee_network_connection_type',
    ],
) }}
