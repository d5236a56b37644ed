-- depends_on: {{ source('syllable', 'session') }}
{{ landed_rows(
    system='syllable',
    landed_sql=read_landing_json('syllable', 'syllable', 'items'),
    columns=get_syllable__session_columns(),
    json_records=true,
    checks=[
        {'condition': 'duration_seconds < 0', 'reason': 'negative duration'},
    ],
) }}
