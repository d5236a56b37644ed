-- depends_on: {{ source('graph_pstn', 'pstn_call') }}
{{ config(**landing_base_config(runtime_folders=['graph_pstn'])) }}
{%- set files = landing_files_to_read('graph_pstn') -%}
{{ landed_rows(
    system='graph_pstn',
    landed_sql=read_landing_json('graph_pstn', 'graph_pstn', 'value', files=files),
    columns=get_graph_pstn__call_columns(),
    json_records=true,
    checks=[
        {'condition': 'ended_at < started_at',
            'reason': 'endDateTime before startDateTime'},
        {'condition': 'duration_seconds < 0', 'reason': 'negative duration'},
    ],
    files=files,
) }}
