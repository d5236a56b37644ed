{#-
    Drill-down of failures (docs/METRICS.md "Drill-downs"): sessions and failed sessions
    per day × source system × dimension × value × failure reason, for the dimensions a
    failure can be pinned on: the SfB pool (CDR / QoE pool_id) and the Direct Routing SBC
    (sbc_fqdn). Sort by failed_sessions for the top failures of a pool or an SBC. Rows
    whose dimension is NULL (other systems) are left out. Test sessions are left out
    unless var include_test_sessions.
-#}
{%- set include_test_sessions = (
    var('include_test_sessions') | string | lower in ['true', '1', 'yes']
) -%}
{%- set dimensions = {'sfb_pool': 'pool_id', 'sbc': 'sbc_fqdn'} -%}
{%- set bigint = dbt.type_bigint() -%}

{{ config(**dated_rows_config('session_date')) }}

with

sessions as (
    select * from {{ ref('fct_sessions') }}
    where
        {{ dates_to_rebuild('session_date', 'fct_sessions', inputs_version()) }}
        {%- if not include_test_sessions %}
        and not is_test
        {%- endif %}
),

pinned as (
    {%- for dimension, column in dimensions.items() %}
    select
        session_date,
        source_system,
        '{{ dimension }}' as drill_dimension,
        {{ column }} as drill_value,
        case when outcome = 'failed' then failure_reason end as failure_reason,
        outcome
    from sessions
    where {{ column }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        session_date,
        source_system,
        drill_dimension,
        drill_value,
        failure_reason,
        cast(count(*) as {{ bigint }}) as sessions,
        cast(sum(case when outcome = 'failed' then 1 else 0 end) as {{ bigint }})
            as failed_sessions
    from pinned
    group by session_date, source_system, drill_dimension, drill_value, failure_reason
)

select * from final
