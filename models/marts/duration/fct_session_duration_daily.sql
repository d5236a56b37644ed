{#-
    Session durations per day (UTC session_date), source system and channel: counts,
    minutes, mean and percentiles, short-call and answer-seizure shares (REFERENCE.md
    section 3; docs/METRICS.md, "Duration, chat queue and agents"). A session without
    an end time is counted in sessions_without_end and never as a zero duration.
-#}
{%- set float = type_double() -%}
{%- set bigint = dbt.type_bigint() -%}

{{ config(**dated_rows_config('session_date')) }}

with

sessions as (
    select * from {{ ref('fct_sessions') }}
    where {{ dates_to_rebuild('session_date', 'fct_sessions', inputs_version()) }}
),

in_scope as (
    select
        session_date,
        source_system,
        channel,
        started_at,
        ended_at,
        {#- Connected sessions only (macros/metrics/populations.sql): the same
            population for every system. -#}
        case
            when {{ is_connected_session() }} then duration_seconds
        end as duration_seconds
    from sessions
    where {{ test_sessions_filter() }}
),

aggregated as (
    select
        session_date,
        source_system,
        channel,
        count(*) as sessions,
        count(duration_seconds) as sessions_with_duration,
        count(case when ended_at is null then 1 end) as sessions_without_end,
        count(case when ended_at is not null and started_at is null then 1 end)
            as sessions_without_start,
        sum(duration_seconds) / 60.0 as total_minutes,
        sum(duration_seconds) as total_duration_seconds,
        {{ percentile_cont('duration_seconds', 0.5) }} as p50_duration_seconds,
        {{ percentile_cont('duration_seconds', 0.9) }} as p90_duration_seconds,
        {{ percentile_cont('duration_seconds', 0.99) }} as p99_duration_seconds,
        max(duration_seconds) as max_duration_seconds,
        count(
            case when duration_seconds < {{ var('short_call_seconds') }} then 1 end
        ) as short_sessions,
        count(
            case when duration_seconds < {{ var('answer_seizure_seconds') }} then 1 end
        ) as answer_seizure_sessions
    from in_scope
    group by
        session_date,
        source_system,
        channel
),

final as (
    select
        session_date,
        source_system,
        channel,
        cast(sessions as {{ bigint }}) as sessions,
        cast(sessions_with_duration as {{ bigint }}) as sessions_with_duration,
        cast(sessions_without_end as {{ bigint }}) as sessions_without_end,
        cast(sessions_without_start as {{ bigint }}) as sessions_without_start,
        cast(total_minutes as {{ float }}) as total_minutes,
        cast(total_duration_seconds as {{ float }}) as total_duration_seconds,
        cast({{ rate_expr('mean_duration_seconds') }} as {{ float }})
            as mean_duration_seconds,
        cast(p50_duration_seconds as {{ float }}) as p50_duration_seconds,
        cast(p90_duration_seconds as {{ float }}) as p90_duration_seconds,
        cast(p99_duration_seconds as {{ float }}) as p99_duration_seconds,
        cast(max_duration_seconds as {{ float }}) as max_duration_seconds,
        cast(short_sessions as {{ bigint }}) as short_sessions,
        cast({{ rate_expr('short_call_share') }} as {{ float }})
            as short_call_share,
        cast(answer_seizure_sessions as {{ bigint }}) as answer_seizure_sessions,
        cast({{ rate_expr('answer_seizure_share') }} as {{ float }})
            as answer_seizure_share
    from aggregated
)

select * from final
