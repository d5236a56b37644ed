{#-
    Chat-queue metrics of fct_chat_queue_daily and fct_chat_queue_hourly, in one place
    so that both grains compute every metric identically. Definitions, denominators and
    references: docs/METRICS.md, "Duration, chat queue and agents" (REFERENCE.md
    sections 4 and 6).
-#}

{#-
    Source statuses (int_sessions_unioned.source_status of a SuperOffice chat) of chats
    that entered the queue: InQueue / RequestPosted (in_queue), CustomerLast / UserLast
    (active), Finished / Closed (answered_closed, unanswered_closed), ClosedFromQueue.
    PreChatForm, Faq (pre_chat) and OfflineForm never reach the queue.
-#}
{% macro queue_offered_source_statuses() -%}
    {{- return([
        'in_queue', 'active', 'answered_closed', 'unanswered_closed',
        'closed_from_queue',
    ]) -}}
{%- endmacro %}


{#-
    Is a fct_sessions row an offered chat: a SuperOffice chat with a request time whose
    status says it entered the queue, or, for the statuses that do not tell (0 Invalid,
    8 Deleted, NULL: source_status other), that an agent accepted (when_started set).
-#}
{% macro queue_is_offered() -%}
    (
        source_system = 'superoffice'
        and requested_at is not null
        and (
            source_status in (
                {%- for status in queue_offered_source_statuses() %}
                '{{ status }}'{{ ',' if not loop.last }}
                {%- endfor %}
            )
            or (source_status = 'other' and answered_at is not null)
        )
    )
{%- endmacro %}


{#-
    Select list of one offered chat (from fct_sessions): its flags and times. A chat is
    answered when an agent accepted it (when_started set); abandoned in queue when it
    was never accepted and either closed from the queue or ended; otherwise it was still
    waiting when the data was extracted. The three are exclusive.
-#}
{% macro queue_chat_columns() -%}
        topic_id,
        requested_at,
        initial_queue_position,
        customer_rating,
        coalesce(is_bot_handled, false) as is_bot_handled,
        coalesce(is_transferred, false) as is_transferred,
        answered_at is not null as is_answered,
        (
            answered_at is null
            and (source_status = 'closed_from_queue' or ended_at is not null)
        ) as is_abandoned,
        queue_wait_seconds as wait_seconds,
        case
            when answered_at is not null
                then {{ seconds_between('answered_at', 'ended_at') }}
        end as handle_seconds
{%- endmacro %}


{#- Aggregates of the offered chats of one group (use with group by the grain). -#}
{% macro queue_aggregates() -%}
    {%- set answered_wait = 'case when is_answered then wait_seconds end' -%}
        count(*) as chats_offered,
        count(case when is_answered then 1 end) as chats_answered,
        count(case when is_abandoned then 1 end) as chats_abandoned_in_queue,
        count(case when not is_answered and not is_abandoned then 1 end)
            as chats_waiting_at_extract,
        count(
            case
                when
                    is_abandoned
                    and wait_seconds < {{ var('short_abandon_seconds', 0) }}
                    then 1
            end
        ) as short_abandons,
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
        avg({{ answered_wait }}) as asa_seconds,
        {{ percentile_cont(answered_wait, 0.5) }} as p50_wait_seconds,
        {{ percentile_cont(answered_wait, 0.9) }} as p90_wait_seconds,
        avg(case when is_abandoned then wait_seconds end) as avg_abandon_wait_seconds,
        avg(initial_queue_position) as avg_initial_queue_position,
        count(handle_seconds) as chats_with_handle_time,
        avg(handle_seconds) as avg_handle_seconds,
        {{ percentile_cont('handle_seconds', 0.9) }} as p90_handle_seconds,
        count(case when is_bot_handled then 1 end) as bot_handled_chats,
        count(case when is_transferred then 1 end) as transferred_chats,
        count(customer_rating) as rated_chats,
        avg(customer_rating) as avg_rating
{%- endmacro %}


{#- The measure columns of the queue marts, typed, from the queue_aggregates() CTE. -#}
{% macro queue_measure_columns() -%}
    {%- set bigint = dbt.type_bigint() -%}
    {%- set float = type_double() -%}
        cast(chats_offered as {{ bigint }}) as chats_offered,
        cast(chats_answered as {{ bigint }}) as chats_answered,
        cast(chats_abandoned_in_queue as {{ bigint }}) as chats_abandoned_in_queue,
        cast(chats_waiting_at_extract as {{ bigint }}) as chats_waiting_at_extract,
        cast(short_abandons as {{ bigint }}) as short_abandons,
        cast({{ safe_divide('chats_abandoned_in_queue', 'chats_offered') }}
            as {{ float }}) as abandonment_rate,
        cast(answered_within_service_level as {{ bigint }})
            as answered_within_service_level,
        cast({{ safe_divide(
            'answered_within_service_level', 'chats_offered - short_abandons'
        ) }} as {{ float }}) as service_level,
        cast(answered_within_service_level_long as {{ bigint }})
            as answered_within_service_level_long,
        cast({{ safe_divide(
            'answered_within_service_level_long', 'chats_offered - short_abandons'
        ) }} as {{ float }}) as service_level_long,
        cast(asa_seconds as {{ float }}) as asa_seconds,
        cast(p50_wait_seconds as {{ float }}) as p50_wait_seconds,
        cast(p90_wait_seconds as {{ float }}) as p90_wait_seconds,
        cast(avg_abandon_wait_seconds as {{ float }}) as avg_abandon_wait_seconds,
        cast(avg_initial_queue_position as {{ float }}) as avg_initial_queue_position,
        cast(chats_with_handle_time as {{ bigint }}) as chats_with_handle_time,
        cast(avg_handle_seconds as {{ float }}) as avg_handle_seconds,
        cast(p90_handle_seconds as {{ float }}) as p90_handle_seconds,
        cast(bot_handled_chats as {{ bigint }}) as bot_handled_chats,
        cast({{ safe_divide('bot_handled_chats', 'chats_offered') }} as {{ float }})
            as bot_handled_share,
        cast(transferred_chats as {{ bigint }}) as transferred_chats,
        cast(rated_chats as {{ bigint }}) as rated_chats,
        cast(avg_rating as {{ float }}) as avg_rating
{%- endmacro %}
