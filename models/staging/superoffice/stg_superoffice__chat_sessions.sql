{{ latest_good_rows(
    ref('base_superoffice__chat_sessions'),
    keys=['chat_session_id'],
    columns=get_superoffice__chat_session_columns(),
) }}
