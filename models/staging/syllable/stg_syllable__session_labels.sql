{{ latest_good_rows(
    ref('base_syllable__session_labels'),
    keys=['session_label_id'],
    columns=get_syllable__session_label_columns(),
) }}
