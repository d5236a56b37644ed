{{ latest_good_rows(
    ref('base_syllable__sessions'),
    keys=['session_id'],
    columns=get_syllable__session_columns(),
) }}
