{#-
    SuperOffice chat queue per request day (UTC) and chat topic: offered, answered,
    abandoned, ASA, wait percentiles, service level, handle time (REFERENCE.md
    section 6; docs/METRICS.md, "Duration, chat queue and agents"). The metrics are computed by
    macros/metrics/queue_metrics.sql, shared with fct_chat_queue_hourly.
-#}
with

sessions as (
    select * from {{ ref('fct_sessions') }}
),

offered_chats as (
    select
        {{ queue_chat_columns() }}
    from sessions
    where
        {{ queue_is_offered() }}
        and {{ test_sessions_filter() }}
),

aggregated as (
    select
        cast(requested_at as date) as session_date,
        topic_id,
        {{ queue_aggregates() }}
    from offered_chats
    group by
        cast(requested_at as date),
        topic_id
),

final as (
    select
        session_date,
        topic_id,
        {{ queue_measure_columns() }}
    from aggregated
)

select * from final
