-- depends_on: {{ source('sfb_qoe', 'session') }}
{{ landed_rows(
    system='sfb_qoe',
    landed_sql=read_landing_csv('sfb_qoe', 'sfb_qoe', get_sfb_qoe__session_columns()),
    columns=get_sfb_qoe__session_columns(),
    timezone=var('sfb_timezone'),
    checks=[
        {'condition': 'end_time < start_time', 'reason': 'EndTime before StartTime'},
    ],
) }}
