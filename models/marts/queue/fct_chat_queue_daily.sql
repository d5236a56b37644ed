{#-
    SuperOffice chat queue per request day (UTC) and chat topic: offered, answered,
    abandoned, ASA, wait percentiles, service level, handle time (REFERENCE.md
    section 6; docs/METRICS.md, "Duration, chat queue and agents"). The metrics are computed by
    macros/metrics/queue_metrics.sql, shared with fct_chat_queue_hourly.
    By date: an offered chat has a request time, and its session_date (the dates
    fct_sessions records as touched) is its request date.
-#}
{{ config(**dated_rows_config('session_date')) }}

with

sessions as (
    select * from {{ ref('fct_sessions') }}
    where {{ dates_to_rebuild(requested_date(), 'fct_sessions', inputs_version()) }}
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
        {{ requested_date() }} as session_date,
        topic_id,
        {{ queue_aggregates() }}
    from offered_chats
    group by
        {{ requested_date() }},
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
