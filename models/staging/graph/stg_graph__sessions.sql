{{ latest_good_rows(
    ref('base_graph__sessions'),
    keys=['call_record_id', 'session_id'],
    columns=get_graph__session_columns(),
    extra=['call_record_id', json_string_list('modalities_json', '$') ~ ' as modalities'],
) }}
