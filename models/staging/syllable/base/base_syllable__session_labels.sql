-- depends_on: {{ source('syllable', 'session_label') }}
{{ landed_rows(
    system='syllable',
    landed_sql=read_landing_json('syllable', 'syllable_labels', 'items'),
    columns=get_syllable__session_label_columns(),
    json_records=true,
) }}
