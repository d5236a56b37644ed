-- depends_on: {{ source('sfb_qoe', 'session') }}
{{ config(**landing_base_config(
    runtime_folders=['sfb_qoe'],
    csv={'system': 'sfb_qoe', 'columns': 'get_sfb_qoe__session_columns'},
)) }}
{%- set files = landing_files_to_read('sfb_qoe') -%}
{{ landed_rows(
    system='sfb_qoe',
    landed_sql=read_landing_csv(
        'sfb_qoe', 'sfb_qoe', get_sfb_qoe__session_columns(), files=files),
    columns=get_sfb_qoe__session_columns(),
    timezone=var('sfb_timezone'),
    checks=[
        {'condition': 'end_time < start_time', 'reason': 'EndTime before StartTime'},
    ],
    carry=['source_unexpected_columns'],
    files=files,
) }}
