{{ latest_good_rows(
    ref('base_graph__segments'),
    keys=['call_record_id', 'session_id', 'segment_id'],
    columns=get_graph__segment_columns(),
    extra=['call_record_id', 'session_id'],
) }}
