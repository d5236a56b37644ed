{#- One row per session of every source system: the conformed core fact. -#}
with

sessions as (
    select * from {{ ref('int_sessions_unioned') }}
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
        ended_at is not null as has_end_time
    from sessions
)

select * from final
