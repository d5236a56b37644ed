{{ latest_good_rows(
    ref('base_sfb_qoe__sessions'),
    keys=['conference_date_time', 'session_seq'],
    columns=get_sfb_qoe__session_columns(),
) }}
