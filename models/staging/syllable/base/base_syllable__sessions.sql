-- depends_on: {{ source('syllable', 'session') }}
{{ landed_rows(
    system='syllable',
    landed_sql=read_landing_json('syllable', 'syllable', 'items'),
    columns=get_syllable__session_columns(),
    json_records=true,
    checks=[
        {'condition': 'duration_seconds < 0', 'reason': 'negative duration'},
        {'condition': 'duration_seconds >= 2147483.647',
            'reason': 'duration over 24.8 days (2147483.647 s, the INTEGER milliseconds limit)'},
    ],
) }}
