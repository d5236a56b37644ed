{{ config(materialized='ephemeral') }}
with

call_records as (
    select * from {{ ref('base_graph__call_records') }}
    where is_latest
),

sessions as (
    select
        source_file,
        source_row_number,
        cast(null as {{ dbt.type_string() }}) as landing_error,
        call_record_id,
        cast({{ json_unnest('record', '$.sessions') }} as {{ dbt.type_string() }})
            as record
    from call_records
),

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql='select * from sessions',
        columns=get_graph__session_columns(),
        json_records=true,
        carry=['call_record_id', 'record'],
        checks=[{'condition': 'ended_at < started_at',
            'reason': 'session endDateTime before startDateTime'}],
    ) }}
)

select * from validated
