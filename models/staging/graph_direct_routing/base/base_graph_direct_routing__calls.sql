-- depends_on: {{ source('graph_direct_routing', 'direct_routing_call') }}
{{ config(**landing_base_config(runtime_folders=['graph_direct_routing'])) }}
{%- set files = landing_files_to_read('graph_direct_routing') -%}
{{ landed_rows(
    system='graph_direct_routing',
    landed_sql=read_landing_json(
        'graph_direct_routing', 'graph_direct_routing', 'value', files=files),
    columns=get_graph_direct_routing__call_columns(),
    json_records=true,
    checks=[
        {'condition': 'failure_date_time_text is not null and '
            ~ direct_routing_failed_at('failure_date_time_text') ~ ' is null'
            ~ " and failure_date_time_text not like '0001-01-01%'",
            'reason': 'failureDateTime: not a valid timestamp'},
        {'condition': 'ended_at < started_at',
            'reason': 'endDateTime before startDateTime'},
        {'condition': 'duration_seconds < 0', 'reason': 'negative duration'},
    ],
    files=files,
) }}
