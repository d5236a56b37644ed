{#-
    Failed Direct Routing attempts (not answered) per day × SBC × final SIP code × call
    end sub-reason: the "top failures" a BI tool sorts by failed_attempts. Whether the
    code is the called user's doing (ner_outcome: counted as effective by the network
    effectiveness ratio) or a network failure (ner_outcome NULL) is on each row.
-#}
{{ config(**dated_rows_config('call_date', 'int_pstn_calls_unioned')) }}

with

calls as (
    select * from {{ ref('int_pstn_calls_unioned') }}
    where
        {{ dates_to_rebuild(
            requested_date(), 'int_pstn_calls_unioned', inputs_version()
        ) | indent(8) }}
),

failed as (
    select * from calls
    where is_attempt and not is_answered
),

final as (
    select
        {{ requested_date() }} as call_date,
        source_system,
        trunk_fqdn as sbc_fqdn,
        final_sip_code,
        call_end_sub_reason,
        max(final_sip_code_phrase) as final_sip_code_phrase,
        max(sip_outcome_category) as sip_outcome_category,
        max(ner_outcome) as ner_outcome,
        cast(count(*) as {{ dbt.type_bigint() }}) as failed_attempts
    from failed
    group by
        {{ requested_date() }},
        source_system,
        trunk_fqdn,
        final_sip_code,
        call_end_sub_reason
)

select * from final
