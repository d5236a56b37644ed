-- depends_on: {{ source('syllable', 'session') }}
{{ config(**landing_base_config(runtime_folders=['syllable'])) }}
{%- set files = landing_files_to_read('syllable') -%}
{{ landed_rows(
    system='syllable',
    landed_sql=read_landing_json('syllable', 'syllable', 'items', files=files),
    columns=get_syllable__session_columns(),
    json_records=true,
    checks=[
        {'condition': 'duration_seconds < 0', 'reason': 'negative duration'},
        {'condition': 'duration_seconds >= 2147483.647',
            'reason': 'duration over 24.8 days (2147483.647 s, the INTEGER milliseconds limit)'},
    ],
    files=files,
) }}
