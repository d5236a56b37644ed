{#-
    Chat-queue metrics of fct_chat_queue_daily and fct_chat_queue_hourly, in one place
    so that both grains compute every metric identically. Definitions, denominators and
    references: docs/METRICS.md, "Duration, chat queue and agents" (REFERENCE.md
    sections 4 and 6).
-#}

{#-
    Is a fct_sessions row an offered chat: a SuperOffice chat with a request time whose
    queue_role (seed superoffice_chat_statuses) is answered, abandoned, deflected
    (OfflineForm: asked while no agent was available) or waiting.
-#}
{% macro queue_is_offered() -%}
    (
        source_system = 'superoffice'
        and requested_at is not null
        and queue_role in ('answered', 'abandoned', 'deflected', 'waiting')
    )
{%- endmacro %}


{#-
    Select list of one offered chat (from fct_sessions): its flags and times. Its
    queue_role says whether it was answered (accepted by a user or the bot), abandoned
    in queue, deflected or still waiting at extraction; the four are exclusive. A short
    abandon (abandoned with a wait < var short_abandon_seconds) counts as neither
    offered nor abandoned in the rates (counted_offered_chats, counted_abandoned_chats).
-#}
{% macro queue_chat_columns() -%}
        topic_id,
        requested_at,
        initial_queue_position,
        customer_rating,
        coalesce(is_bot_handled, false) as is_bot_handled,
        coalesce(is_transferred, false) as is_transferred,
        queue_role = 'answered' as is_answered,
        queue_role = 'abandoned' as is_abandoned,
        queue_role = 'deflected' as is_deflected,
        (
            queue_role = 'abandoned'
            and queue_wait_seconds < {{ var('short_abandon_seconds', 0) }}
        ) as is_short_abandon,
        queue_wait_seconds as wait_seconds,
        case
            when queue_role = 'answered'
                then {{ seconds_between('answered_at', 'ended_at') }}
        end as handle_seconds
{%- endmacro %}


{#- Aggregates of the offered chats of one group (use with group by the grain). -#}
{% macro queue_aggregates() -%}
    {%- set answered_wait = 'case when is_answered then wait_seconds end' -%}
        count(*) as chats_offered,
        count(case when is_answered then 1 end) as chats_answered,
        count(case when is_abandoned then 1 end) as chats_abandoned_in_queue,
        count(case when is_deflected then 1 end) as chats_deflected,
        count(
            case when not is_answered and not is_abandoned and not is_deflected then 1 end
        ) as chats_waiting_at_extract,
        count(case when is_short_abandon then 1 end) as short_abandons,
        count(
            case
                when
                    is_answered
                    and wait_seconds <= {{ var('service_level_seconds') }}
                    then 1
            end
        ) as answered_within_service_level,
        count(
            case
                when
                    is_answered
                    and wait_seconds <= {{ var('service_level_seconds_long') }}
                    then 1
            end
        ) as answered_within_service_level_long,
        sum({{ answered_wait }}) as total_answered_wait_seconds,
        count({{ answered_wait }}) as answered_chats_with_wait,
        {{ percentile_cont(answered_wait, 0.5) }} as p50_wait_seconds,
        {{ percentile_cont(answered_wait, 0.9) }} as p90_wait_seconds,
        sum(case when is_abandoned then wait_seconds end) as total_abandon_wait_seconds,
        count(case when is_abandoned then wait_seconds end)
            as abandoned_chats_with_wait,
        sum(initial_queue_position) as total_initial_queue_position,
        count(initial_queue_position) as chats_with_queue_position,
        count(handle_seconds) as chats_with_handle_time,
        sum(handle_seconds) as total_handle_seconds,
        {{ percentile_cont('handle_seconds', 0.9) }} as p90_handle_seconds,
        count(case when is_bot_handled then 1 end) as bot_handled_chats,
        count(case when is_transferred then 1 end) as transferred_chats,
        count(customer_rating) as rated_chats,
        sum(customer_rating) as total_rating
{%- endmacro %}


{#-
    The measure columns of the queue marts, typed, from the queue_aggregates() CTE. Every
    rate and mean is an entry of rate_definitions() (macros/metrics/rates.sql) over the
    count and sum columns published beside it.
-#}
{% macro queue_measure_columns() -%}
    {%- set bigint = dbt.type_bigint() -%}
    {%- set float = type_double() -%}
    {%- set counted = {
        'counted_offered_chats': 'chats_offered - short_abandons',
        'counted_abandoned_chats': 'chats_abandoned_in_queue - short_abandons',
    } -%}
        cast(chats_offered as {{ bigint }}) as chats_offered,
        cast(chats_answered as {{ bigint }}) as chats_answered,
        cast(chats_abandoned_in_queue as {{ bigint }}) as chats_abandoned_in_queue,
        cast(chats_deflected as {{ bigint }}) as chats_deflected,
        cast(chats_waiting_at_extract as {{ bigint }}) as chats_waiting_at_extract,
        cast(short_abandons as {{ bigint }}) as short_abandons,
        {%- for name, expr in counted.items() %}
        cast({{ expr }} as {{ bigint }}) as {{ name }},
        {%- endfor %}
        cast({{ rate_expr('abandonment_rate', counted) }} as {{ float }})
            as abandonment_rate,
        cast(answered_within_service_level as {{ bigint }})
            as answered_within_service_level,
        cast({{ rate_expr('service_level', counted) }} as {{ float }})
            as service_level,
        cast(answered_within_service_level_long as {{ bigint }})
            as answered_within_service_level_long,
        cast({{ rate_expr('service_level_long', counted) }} as {{ float }})
            as service_level_long,
        cast(total_answered_wait_seconds as {{ float }})
            as total_answered_wait_seconds,
        cast(answered_chats_with_wait as {{ bigint }}) as answered_chats_with_wait,
        cast({{ rate_expr('asa_seconds') }} as {{ float }}) as asa_seconds,
        cast(p50_wait_seconds as {{ float }}) as p50_wait_seconds,
        cast(p90_wait_seconds as {{ float }}) as p90_wait_seconds,
        cast(total_abandon_wait_seconds as {{ float }}) as total_abandon_wait_seconds,
        cast(abandoned_chats_with_wait as {{ bigint }}) as abandoned_chats_with_wait,
        cast({{ rate_expr('avg_abandon_wait_seconds') }} as {{ float }})
            as avg_abandon_wait_seconds,
        cast(total_initial_queue_position as {{ bigint }})
            as total_initial_queue_position,
        cast(chats_with_queue_position as {{ bigint }}) as chats_with_queue_position,
        cast({{ rate_expr('avg_initial_queue_position') }} as {{ float }})
            as avg_initial_queue_position,
        cast(chats_with_handle_time as {{ bigint }}) as chats_with_handle_time,
        cast(total_handle_seconds as {{ float }}) as total_handle_seconds,
        cast({{ rate_expr('avg_handle_seconds') }} as {{ float }}) as avg_handle_seconds,
        cast(p90_handle_seconds as {{ float }}) as p90_handle_seconds,
        cast(bot_handled_chats as {{ bigint }}) as bot_handled_chats,
        cast({{ rate_expr('bot_handled_share') }} as {{ float }}) as bot_handled_share,
        cast(transferred_chats as {{ bigint }}) as transferred_chats,
        cast(rated_chats as {{ bigint }}) as rated_chats,
        cast(total_rating as {{ bigint }}) as total_rating,
        cast({{ rate_expr('avg_rating') }} as {{ float }}) as avg_rating
{%- endmacro %}
