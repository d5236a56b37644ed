-- depends_on: {{ source('graph', 'call_record') }}
{{ config(materialized='ephemeral') }}
{#- Ephemeral: it carries the raw record JSON (with personal data), never stored. -#}
{%- set entity = staged_entity('base_graph__call_records') -%}
with

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql=read_landing_json('graph', 'graph', 'value'),
        columns=get_graph__call_record_columns(),
        json_records=true,
        carry=['record'],
        checks=[
            {'condition': 'ended_at < started_at',
                'reason': 'call record endDateTime before startDateTime'},
            {'condition': json_is_non_array_at('record', '$.sessions'),
                'reason': 'sessions is not a JSON array'},
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
