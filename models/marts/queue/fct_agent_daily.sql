{#-
    Sessions per day (UTC session_date), source system and agent: the SuperOffice user
    (chat_session.user_id) who took a chat, the Syllable AI agent (agent_id). Handle
    time is answered -> ended (REFERENCE.md sections 4 and 6; docs/METRICS.md, "Duration,
    chat queue and agents"). Sessions without an agent are not in this mart.
-#}
{%- set float = type_double() -%}
{%- set bigint = dbt.type_bigint() -%}

{{ config(**dated_rows_config('session_date')) }}

with

sessions as (
    select * from {{ ref('fct_sessions') }}
    where {{ dates_to_rebuild('session_date', 'fct_sessions', inputs_version()) }}
),

agent_sessions as (
    select
        session_date,
        source_system,
        agent_id,
        agent_key,
        answered_at,
        customer_rating,
        quality_label,
        case
            when answered_at is not null
                then {{ seconds_between('answered_at', 'ended_at') }}
        end as handle_seconds
    from sessions
    where
        agent_id is not null
        and {{ test_sessions_filter() }}
),

aggregated as (
    select
        session_date,
        source_system,
        agent_id,
        agent_key,
        count(*) as sessions,
        count(answered_at) as sessions_handled,
        count(handle_seconds) as sessions_with_handle_time,
        sum(handle_seconds) / 60.0 as total_handle_minutes,
        count(customer_rating) as rated_sessions,
        sum(customer_rating) as total_rating,
        count(quality_label) as labelled_sessions,
        count(case when quality_label = 'good' then 1 end) as good_label_sessions,
        count(case when quality_label = 'ok' then 1 end) as ok_label_sessions,
        count(case when quality_label = 'bad' then 1 end) as bad_label_sessions,
        count(case when quality_label = 'not_applicable' then 1 end)
            as not_applicable_label_sessions
    from agent_sessions
    group by
        session_date,
        source_system,
        agent_id,
        agent_key
),

final as (
    select
        session_date,
        source_system,
        agent_id,
        agent_key,
        cast(sessions as {{ bigint }}) as sessions,
        cast(sessions_handled as {{ bigint }}) as sessions_handled,
        cast(sessions_with_handle_time as {{ bigint }}) as sessions_with_handle_time,
        cast(total_handle_minutes as {{ float }}) as total_handle_minutes,
        cast({{ rate_expr('avg_handle_minutes') }} as {{ float }})
            as avg_handle_minutes,
        cast(rated_sessions as {{ bigint }}) as rated_sessions,
        cast(total_rating as {{ bigint }}) as total_rating,
        cast({{ rate_expr('agent_avg_rating') }} as {{ float }}) as avg_rating,
        cast(labelled_sessions as {{ bigint }}) as labelled_sessions,
        cast(good_label_sessions as {{ bigint }}) as good_label_sessions,
        cast(ok_label_sessions as {{ bigint }}) as ok_label_sessions,
        cast(bad_label_sessions as {{ bigint }}) as bad_label_sessions,
        cast(not_applicable_label_sessions as {{ bigint }})
            as not_applicable_label_sessions
    from aggregated
)

select * from final
