{{ config(materialized='ephemeral') }}
with

graph_sessions as (
    select * from {{ ref('base_graph__sessions') }}
    where rejection_reason is null
),

segments as (
    select
        source_file,
        source_row_number,
        cast(null as {{ dbt.type_string() }}) as landing_error,
        call_record_id,
        session_id,
        cast({{ json_unnest('record', '$.segments') }} as {{ dbt.type_string() }})
            as record
    from graph_sessions
),

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql='select * from segments',
        columns=get_graph__segment_columns(),
        json_records=true,
        carry=['call_record_id', 'session_id', 'record'],
        checks=[{'condition': 'ended_at < started_at',
            'reason': 'segment endDateTime before startDateTime'}],
    ) }}
)

select * from validated
