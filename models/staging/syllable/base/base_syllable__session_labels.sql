-- depends_on: {{ source('syllable', 'session_label') }}
{{ config(**landing_base_config(runtime_folders=['syllable_labels'])) }}
{%- set files = landing_files_to_read('syllable_labels') -%}
{{ landed_rows(
    system='syllable',
    landed_sql=read_landing_json('syllable', 'syllable_labels', 'items', files=files),
    columns=get_syllable__session_label_columns(),
    json_records=true,
    files=files,
) }}
