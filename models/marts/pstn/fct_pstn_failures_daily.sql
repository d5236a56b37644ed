{#-
    Failed Direct Routing attempts (not answered) per day × SBC × final SIP code × call
    end sub-reason: the "top failures" a BI tool sorts by failed_attempts. Whether the
    code is the called user's doing (ner_outcome: counted as effective by the network
    effectiveness ratio) or a network failure (ner_outcome NULL) is on each row.
-#}
with

calls as (
    select * from {{ ref('int_pstn_calls_unioned') }}
),

failed as (
    select * from calls
    where is_attempt and not is_answered
),

final as (
    select
        cast(requested_at as date) as call_date,
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
        cast(requested_at as date),
        source_system,
        trunk_fqdn,
        final_sip_code,
        call_end_sub_reason
)

select * from final
