{{ config(materialized='ephemeral') }}
{%- set entity = staged_entity('base_graph__sessions') -%}
with

call_records as (
    select * from {{ ref('base_graph__call_records') }}
    where is_latest
),

sessions as (
    select
        source_file,
        source_row_number,
        source_path as parent_path,
        cast(null as {{ dbt.type_string() }}) as landing_error,
        cast(null as {{ dbt.type_string() }}) as landing_raw,
        call_record_id,
        {{ json_unnest_ordinal('record', '$.sessions', 'record', 'ordinal') }}
    from call_records
),

located as (
    select
        *,
        concat_ws(
            '.',
            parent_path,
            'sessions[' || cast(ordinal - 1 as {{ dbt.type_string() }}) || ']'
        ) as source_path
    from sessions
),

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql='select * from located',
        columns=get_graph__session_columns(),
        json_records=true,
        carry=['call_record_id', 'record'],
        checks=[
            {'condition': 'ended_at < started_at',
                'reason': 'session endDateTime before startDateTime'},
            {'condition': json_is_non_array_at('record', '$.segments'),
                'reason': 'segments is not a JSON array'},
        ],
    ) }}
),

final as (
    select
        *,
        coalesce(rejection_reason is null and {{ latest_version_rank(
            entity['keys'] + ['rejection_reason is null'], entity.order_by,
        ) }} = 1, false) as is_latest
    from validated
)

select * from final
