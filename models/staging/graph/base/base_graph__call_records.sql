-- depends_on: {{ source('graph', 'call_record') }}
{{ config(materialized='ephemeral') }}
{#- Ephemeral: it carries the raw record JSON (with personal data) and is never stored. -#}
with

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql=read_landing_json('graph', 'graph', 'value'),
        columns=get_graph__call_record_columns(),
        json_records=true,
        carry=['record'],
    ) }}
),

final as (
    select
        *,
        coalesce(rejection_reason is null and {{ latest_version_rank(
            ['call_record_id', 'rejection_reason is null'],
            'version desc nulls last, last_modified_at desc nulls last',
        ) }} = 1, false) as is_latest
    from validated
)

select * from final
