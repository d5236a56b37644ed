-- depends_on: {{ source('superoffice', 'chat_session') }}
{{ config(**landing_base_config(
    runtime_folders=['superoffice'],
    csv={'system': 'superoffice', 'columns': 'get_superoffice__chat_session_columns'},
)) }}
{%- set files = landing_files_to_read('superoffice') -%}
{{ landed_rows(
    system='superoffice',
    landed_sql=read_landing_csv(
        'superoffice', 'superoffice', get_superoffice__chat_session_columns(), files=files),
    columns=get_superoffice__chat_session_columns(),
    timezone=var('superoffice_timezone'),
    checks=[
        {'condition': 'when_started < when_requested',
            'reason': 'when_started before when_requested'},
        {'condition': 'when_ended < coalesce(when_started, when_requested)',
            'reason': 'when_ended before when_started/when_requested'},
        {'condition': 'initial_queue_pos < 0', 'reason': 'negative initial_queue_pos'},
    ],
    carry=['source_unexpected_columns'],
    files=files,
) }}
