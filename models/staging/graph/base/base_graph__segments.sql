{{ config(materialized='ephemeral') }}
{%- set entity = staged_entity('base_graph__segments') -%}
with

graph_sessions as (
    select * from {{ ref('base_graph__sessions') }}
    where is_latest
),

segments as (
    select
        source_file,
        source_row_number,
        source_path as parent_path,
        cast(null as {{ dbt.type_string() }}) as landing_error,
        cast(null as {{ dbt.type_string() }}) as landing_raw,
        call_record_id,
        session_id,
        {{ json_unnest_ordinal('record', '$.segments', 'record', 'ordinal') }}
    from graph_sessions
),

located as (
    select
        *,
        concat_ws(
            '.',
            parent_path,
            'segments[' || cast(ordinal - 1 as {{ dbt.type_string() }}) || ']'
        ) as source_path
    from segments
),

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql='select * from located',
        columns=get_graph__segment_columns(),
        json_records=true,
        carry=['call_record_id', 'session_id', 'record'],
        checks=[
            {'condition': 'ended_at < started_at',
                'reason': 'segment endDateTime before startDateTime'},
            {'condition': json_is_non_array_at('record', '$.media'),
                'reason': 'media is not a JSON array'},
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
