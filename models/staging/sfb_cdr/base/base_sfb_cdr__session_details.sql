-- depends_on: {{ source('sfb_cdr', 'session_details') }}
{{ config(**landing_base_config(
    runtime_folders=['sfb_cdr'],
    csv={'system': 'sfb_cdr', 'columns': 'get_sfb_cdr__session_details_columns'},
)) }}
{%- set files = landing_files_to_read('sfb_cdr') -%}
{{ landed_rows(
    system='sfb_cdr',
    landed_sql=read_landing_csv(
        'sfb_cdr', 'sfb_cdr', get_sfb_cdr__session_details_columns(), files=files),
    columns=get_sfb_cdr__session_details_columns(),
    timezone=var('sfb_timezone'),
    checks=[
        {'condition': 'session_end_time < invite_time',
            'reason': 'SessionEndTime before InviteTime'},
        {'condition': 'user1_message_count < 0 or user2_message_count < 0',
            'reason': 'negative message count'},
    ],
    carry=['source_unexpected_columns'],
    files=files,
) }}
