{#-
    SuperOffice chat queue per UTC hour of the request and chat topic, with ISO day of
    week and hour of day for heatmaps. Same metrics as fct_chat_queue_daily
    (macros/metrics/queue_metrics.sql; docs/METRICS.md, "Duration, chat queue and
    agents").
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

hourly_chats as (
    select
        offered_chats.*,
        cast({{ dbt.date_trunc('hour', 'requested_at') }} as {{ dbt.type_timestamp() }})
            as requested_hour
    from offered_chats
),

aggregated as (
    select
        requested_hour,
        topic_id,
        {{ queue_aggregates() }}
    from hourly_chats
    group by
        requested_hour,
        topic_id
),

final as (
    select
        requested_hour,
        cast(requested_hour as date) as session_date,
        cast({{ iso_day_of_week('requested_hour') }} as {{ dbt.type_int() }})
            as day_of_week,
        cast({{ queue_hour_of_day('requested_hour') }} as {{ dbt.type_int() }})
            as hour_of_day,
        topic_id,
        {{ queue_measure_columns() }}
    from aggregated
)

select * from final
