{#- One row per session of every source system: the conformed core fact. Incremental
    by session (macros/landing/derived_rows.sql): the sessions int_sessions_unioned
    built since the last build. It records the session dates it touches (old and new)
    for the marts by date. -#}
{{ config(**derived_rows_config(
    ['int_sessions_unioned'], ['session_key'], on_schema_change='fail',
    touched_dates='session_date',
)) }}

with

sessions as (
    select * from {{ ref('int_sessions_unioned') }}
    where {{ rows_to_rebuild(inputs_version()) }}
),

pstn_calls as (
    select * from {{ ref('int_pstn_calls_unioned') }}
),

{# PSTN / Direct Routing details of the channel pstn sessions (NULL on the others). #}
pstn_details as (
    select
        source_system,
        pstn_call_id,
        trunk_fqdn as sbc_fqdn,
        call_type as pstn_call_type,
        call_end_sub_reason as pstn_call_end_sub_reason
    from pstn_calls
),

sessions_with_pstn as (
    select
        sessions.*,
        pstn_details.sbc_fqdn,
        pstn_details.pstn_call_type,
        pstn_details.pstn_call_end_sub_reason
    from sessions
    left join pstn_details
        on
            sessions.source_system = pstn_details.source_system
            and sessions.source_session_id = pstn_details.pstn_call_id
),

final as (
    select
        session_key,
        source_system,
        source_session_id,
        conversation_id,
        channel,
        session_date,
        requested_at,
        answered_at,
        started_at,
        ended_at,
        duration_seconds,
        queue_wait_seconds,
        setup_seconds,
        {%- for modality in conformed_modalities() %}
        has_{{ modality }},
        {%- endfor %}
        modalities,
        outcome,
        source_status,
        queue_role,
        failure_stage,
        failure_reason,
        sip_response_code,
        sip_outcome_category,
        is_poor_quality,
        quality_label,
        customer_rating,
        is_test,
        is_internal,
        is_retried,
        is_response_group,
        caller_key,
        callee_key,
        agent_key,
        pool_id,
        topic_id,
        agent_id,
        message_count,
        initial_queue_position,
        is_bot_handled,
        is_transferred,
        ended_at is not null as has_end_time,
        sbc_fqdn,
        pstn_call_type,
        pstn_call_end_sub_reason
    from sessions_with_pstn
)

select * from final
