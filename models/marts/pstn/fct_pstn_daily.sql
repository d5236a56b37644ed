{#-
    PSTN calls per day × source system × SBC × currency (docs/METRICS.md, "PSTN and
    Direct Routing"): calls, minutes, the telephony ratios of the Direct Routing attempts
    (answer-seizure ratio, network effectiveness ratio; REFERENCE.md section 9) and the
    Calling Plan charges. Rates go through safe_divide: NULL when there is no attempt
    (a Calling Plan row is a connected call, not an attempt).
-#}
{%- set bigint = dbt.type_bigint() -%}
{%- set counts = [
    ('calls', 'true'),
    ('answered_calls', 'is_answered'),
    ('attempts', 'is_attempt'),
    ('answered_attempts', 'is_attempt and is_answered'),
    ('failed_attempts', 'is_attempt and not is_answered'),
    ('ner_effective_attempts', 'is_attempt and is_ner_effective'),
    ('user_busy_attempts', "is_attempt and ner_outcome = 'user_busy'"),
    ('no_answer_attempts', "is_attempt and ner_outcome = 'no_answer'"),
    ('user_rejected_attempts', "is_attempt and ner_outcome = 'user_rejected'"),
    ('media_bypass_calls', 'is_media_bypass_enabled'),
] -%}

{{ config(**dated_rows_config('call_date', 'int_pstn_calls_unioned')) }}

with

calls as (
    select * from {{ ref('int_pstn_calls_unioned') }}
    where
        {{ dates_to_rebuild(
            requested_date(), 'int_pstn_calls_unioned', inputs_version()
        ) | indent(8) }}
),

daily as (
    select
        {{ requested_date() }} as call_date,
        source_system,
        trunk_fqdn as sbc_fqdn,
        currency,
        {%- for name, condition in counts %}
        cast(sum(case when {{ condition }} then 1 else 0 end) as {{ bigint }})
            as {{ name }},
        {%- endfor %}
        cast(coalesce(sum(duration_seconds), 0) as {{ type_double() }}) / 60
            as minutes,
        sum(charge) as charge,
        sum(connection_charge) as connection_charge
    from calls
    group by {{ requested_date() }}, source_system, trunk_fqdn, currency
),

final as (
    select
        *,
        {{ safe_divide('answered_attempts', 'attempts') }} as answer_seizure_ratio,
        {{ safe_divide('ner_effective_attempts', 'attempts') }}
            as network_effectiveness_ratio
    from daily
)

select * from final
