{#-
    One row per session of every system, in one conformed column set (docs/METRICS.md,
    "Conformed sessions"). Each system's CTE maps its decoded columns; the outcome comes
    from the outcome_mapping seed (one place), keyed by the system's `source_status`.
    Incremental by session (macros/landing/derived_rows.sql): each system's CTE reads
    the rows its int model built since the last build.
-#}
{%- set string = dbt.type_string() -%}
{%- set int = dbt.type_int() -%}
{%- set null_string = 'cast(null as ' ~ string ~ ')' -%}
{%- set null_int = 'cast(null as ' ~ int ~ ')' -%}
{%- set null_bigint = 'cast(null as ' ~ dbt.type_bigint() ~ ')' -%}
{%- set null_bool = 'cast(null as ' ~ dbt.type_boolean() ~ ')' -%}
{%- set null_float = 'cast(null as ' ~ type_double() ~ ')' -%}
{#- Each system's int model and the SQL of its source_session_id. -#}
{%- set systems = {
    'sfb_cdr': ('int_sfb_cdr__sessions_decoded', dbt.concat([
        'cast(session_id_time as ' ~ string ~ ')', "'|'",
        'cast(session_id_seq as ' ~ string ~ ')',
    ])),
    'sfb_qoe': ('int_sfb_qoe__sessions_decoded', dbt.concat([
        'cast(conference_date_time as ' ~ string ~ ')', "'|'",
        'cast(session_seq as ' ~ string ~ ')',
    ])),
    'graph': ('int_graph__sessions_decoded', dbt.concat([
        'call_record_id', "'|'", 'session_id',
    ])),
    'superoffice': (
        'int_superoffice__chat_sessions_decoded',
        'cast(chat_session_id as ' ~ string ~ ')',
    ),
    'syllable': ('int_syllable__sessions_decoded', 'session_id'),
    'pstn': ('int_pstn_calls_unioned', 'pstn_call_id'),
} -%}
{%- set parents, gone_from = [], [] -%}
{%- for system, source in systems.items() -%}
{%- do parents.append(source[0]) -%}
{%- do gone_from.append({'model': source[0], 'match': {
    'source_system': 'kept.source_system' if system == 'pstn' else "'" ~ system ~ "'",
    'source_session_id': source[1],
}}) -%}
{%- endfor -%}
{%- set version = inputs_version() -%}
{{ config(**derived_rows_config(parents, ['session_key'], gone_from=gone_from)) }}

with

cdr as (
    select * from {{ ref('int_sfb_cdr__sessions_decoded') }}
    where {{ rows_to_rebuild(version) }}
),

qoe as (
    select * from {{ ref('int_sfb_qoe__sessions_decoded') }}
    where {{ rows_to_rebuild(version) }}
),

graph_sessions as (
    select * from {{ ref('int_graph__sessions_decoded') }}
    where {{ rows_to_rebuild(version) }}
),

chats as (
    select * from {{ ref('int_superoffice__chat_sessions_decoded') }}
    where {{ rows_to_rebuild(version) }}
),

syllable as (
    select * from {{ ref('int_syllable__sessions_decoded') }}
    where {{ rows_to_rebuild(version) }}
),

pstn_calls as (
    select * from {{ ref('int_pstn_calls_unioned') }}
    where {{ rows_to_rebuild(version) }}
),

outcome_mapping as (
    select * from {{ ref('outcome_mapping') }}
),

{%- set cdr_modality = {
    'audio': 'media_audio', 'video': 'media_video', 'im': 'media_im',
    'app_sharing': 'media_app_sharing', 'file_transfer': 'media_file_transfer',
    'remote_assistance': 'media_remote_assistance',
} %}

cdr_conformed as (
    select
        'sfb_cdr' as source_system,
        {{ systems.sfb_cdr[1] }} as source_session_id,
        correlation_id as conversation_id,
        {{ conformed_channel({
            'video': 'media_video', 'audio': 'media_audio',
            'app_sharing': 'media_app_sharing', 'screen_sharing': 'false',
            'im': 'media_im', 'file_transfer': 'media_file_transfer',
            'data': 'false', 'remote_assistance': 'media_remote_assistance',
        }) }} as channel,
        coalesce(invite_time, session_id_time) as requested_at,
        case
            when sip_outcome_category = 'success' then response_time
        end as answered_at,
        {{ sfb_cdr_started_at() }} as started_at,
        session_end_time as ended_at,
        {{ null_float }} as queue_wait_seconds,
        {{ seconds_between('invite_time', 'response_time') }} as setup_seconds,
        {{ modality_columns(cdr_modality) }},
        case
            when sip_source_status = 'success' and session_end_time is null
                then 'success_no_end'
            else sip_source_status
        end as source_status,
        {{ null_string }} as queue_role,
        {#- A setup failure is a technical one (CQD) of a media session (audio,
            video, app sharing): busy, declined or not answered (expected failures)
            are missed calls, and IM / file-transfer sessions are not calls. -#}
        case
            when
                sip_outcome_category = 'unexpected_failure'
                and (
                    coalesce(media_audio, false)
                    or coalesce(media_video, false)
                    or coalesce(media_app_sharing, false)
                )
                then 'call_setup'
        end as failure_stage,
        case
            when sip_outcome_category <> 'success' and response_code is not null
                then {{ dbt.concat([
                    'cast(response_code as ' ~ string ~ ')', "' '",
                    "coalesce(sip_reason_phrase, '')",
                ]) }}
        end as failure_reason,
        response_code as sip_response_code,
        sip_outcome_category,
        {{ null_bool }} as is_poor_quality,
        {{ null_string }} as quality_label,
        {{ null_int }} as customer_rating,
        false as is_test,
        is_user1_internal and is_user2_internal as is_internal,
        call_flag_retried as is_retried,
        call_flag_response_group_agent as is_response_group,
        {{ party_key('sfb', 'user1_id') }} as caller_key,
        {{ party_key('sfb', 'user2_id') }} as callee_key,
        {{ null_string }} as agent_key,
        cast(pool_id as {{ string }}) as pool_id,
        {{ null_string }} as topic_id,
        {{ null_string }} as agent_id,
        case
            when user1_message_count is not null or user2_message_count is not null
                then
                    cast(coalesce(user1_message_count, 0) as {{ dbt.type_bigint() }})
                    + coalesce(user2_message_count, 0)
        end as message_count,
        {{ null_int }} as initial_queue_position,
        {{ null_bool }} as is_bot_handled,
        {{ null_bool }} as is_transferred
    from cdr
),

qoe_conformed as (
    select
        'sfb_qoe' as source_system,
        {{ systems.sfb_qoe[1] }} as source_session_id,
        cast(conference_key as {{ string }}) as conversation_id,
        'voice' as channel,
        start_time as requested_at,
        start_time as answered_at,
        start_time as started_at,
        end_time as ended_at,
        {{ null_float }} as queue_wait_seconds,
        {{ null_float }} as setup_seconds,
        {{ modality_columns({'audio': 'true'}) }},
        case when end_time is null then 'no_end' else 'ended' end as source_status,
        {{ null_string }} as queue_role,
        {{ null_string }} as failure_stage,
        {{ null_string }} as failure_reason,
        {{ null_int }} as sip_response_code,
        {{ null_string }} as sip_outcome_category,
        {#- ClassifiedPoorCall is deprecated (classified per media line, REFERENCE.md
            section 1) and MediaLine is not landed: no quality assessment. -#}
        {{ null_bool }} as is_poor_quality,
        {{ null_string }} as quality_label,
        {{ null_int }} as customer_rating,
        false as is_test,
        {{ null_bool }} as is_internal,
        {{ null_bool }} as is_retried,
        {{ null_bool }} as is_response_group,
        {{ party_key('sfb_qoe', 'caller_uri') }} as caller_key,
        {{ party_key('sfb_qoe', 'callee_uri') }} as callee_key,
        {{ null_string }} as agent_key,
        cast(caller_pool as {{ string }}) as pool_id,
        {{ null_string }} as topic_id,
        {{ null_string }} as agent_id,
        {{ null_bigint }} as message_count,
        {{ null_int }} as initial_queue_position,
        {{ null_bool }} as is_bot_handled,
        {{ null_bool }} as is_transferred
    from qoe
),

{%- set graph_modality = {
    'audio': 'modality_audio', 'video': 'modality_video',
    'screen_sharing': '(modality_screensharing or modality_videobasedscreensharing)',
    'data': 'modality_data',
} %}

graph_conformed as (
    select
        'graph' as source_system,
        {{ systems.graph[1] }} as source_session_id,
        call_record_id as conversation_id,
        {{ conformed_channel({
            'video': 'modality_video', 'audio': 'modality_audio', 'app_sharing': 'false',
            'screen_sharing': graph_modality.screen_sharing, 'im': 'false',
            'file_transfer': 'false', 'data': 'modality_data',
            'remote_assistance': 'false',
        }) }} as channel,
        started_at as requested_at,
        cast(null as {{ dbt.type_timestamp() }}) as answered_at,
        {#- A session whose setup failed never connected: no start (like a failed
            CDR call), so it has no duration. -#}
        case
            when coalesce(failure_stage_name, '') <> 'call_setup' then started_at
        end as started_at,
        ended_at,
        {{ null_float }} as queue_wait_seconds,
        {{ null_float }} as setup_seconds,
        {{ modality_columns(graph_modality) }},
        case
            when failure_stage_name = 'call_setup' then 'call_setup_failure'
            when failure_stage_name = 'midcall' then 'midcall_failure'
            when failure_stage is not null then 'unknown_failure'
            when ended_at is null then 'no_end'
            else 'ended'
        end as source_status,
        {{ null_string }} as queue_role,
        failure_stage_name as failure_stage,
        failure_reason,
        {{ null_int }} as sip_response_code,
        {{ null_string }} as sip_outcome_category,
        case
            when poor_stream_count > 0 then true
            when classified_stream_count > 0 then false
        end as is_poor_quality,
        coalesce(
            nullif(caller_feedback_rating_name, 'not_rated'),
            nullif(callee_feedback_rating_name, 'not_rated')
        ) as quality_label,
        least(caller_feedback_score, callee_feedback_score) as customer_rating,
        coalesce(is_test, false) as is_test,
        {{ null_bool }} as is_internal,
        {{ null_bool }} as is_retried,
        {{ null_bool }} as is_response_group,
        caller_user_id_hash as caller_key,
        callee_user_id_hash as callee_key,
        {{ null_string }} as agent_key,
        {{ null_string }} as pool_id,
        {{ null_string }} as topic_id,
        {{ null_string }} as agent_id,
        {{ null_bigint }} as message_count,
        {{ null_int }} as initial_queue_position,
        {{ null_bool }} as is_bot_handled,
        {{ null_bool }} as is_transferred
    from graph_sessions
),

chat_conformed as (
    select
        'superoffice' as source_system,
        {{ systems.superoffice[1] }} as source_session_id,
        {{ null_string }} as conversation_id,
        'chat' as channel,
        when_requested as requested_at,
        when_started as answered_at,
        when_started as started_at,
        when_ended as ended_at,
        case
            when queue_role = 'answered'
                then {{ seconds_between('when_requested', 'when_started') }}
            when queue_role = 'abandoned'
                then {{ seconds_between('when_requested', 'when_ended') }}
        end as queue_wait_seconds,
        {{ null_float }} as setup_seconds,
        {{ modality_columns({'im': 'true'}) }},
        chat_source_status as source_status,
        queue_role,
        case when when_started is null and when_ended is not null then 'queue' end
            as failure_stage,
        case when when_started is null then status_name end as failure_reason,
        {{ null_int }} as sip_response_code,
        {{ null_string }} as sip_outcome_category,
        {{ null_bool }} as is_poor_quality,
        {{ null_string }} as quality_label,
        {{ superoffice_customer_rating('rating') }} as customer_rating,
        false as is_test,
        {{ null_bool }} as is_internal,
        {{ null_bool }} as is_retried,
        {{ null_bool }} as is_response_group,
        coalesce(
            email_hash, phone_hash, name_hash, customer_alias_hash, customer_host_hash
        ) as caller_key,
        {{ party_key('superoffice', 'nullif(user_id, 0)') }} as callee_key,
        {{ party_key('superoffice', 'nullif(user_id, 0)') }} as agent_key,
        {{ null_string }} as pool_id,
        cast(topic_id as {{ string }}) as topic_id,
        cast(nullif(user_id, 0) as {{ string }}) as agent_id,
        {{ null_bigint }} as message_count,
        initial_queue_pos as initial_queue_position,
        chatbot_isactive as is_bot_handled,
        transfer_to is not null as is_transferred
    from chats
),

syllable_conformed as (
    select
        'syllable' as source_system,
        session_id as source_session_id,
        conversation_id,
        channel,
        session_timestamp as requested_at,
        session_timestamp as answered_at,
        session_timestamp as started_at,
        {{ dbt.dateadd(
            'millisecond',
            'cast(round(duration_seconds * 1000) as ' ~ dbt.type_bigint() ~ ')',
            'session_timestamp',
        ) }} as ended_at,
        {{ null_float }} as queue_wait_seconds,
        {{ null_float }} as setup_seconds,
        {{ modality_columns({
            'audio': "channel = 'ai_voice'", 'im': "channel = 'ai_chat'",
        }) }},
        syllable_source_status as source_status,
        {{ null_string }} as queue_role,
        {{ null_string }} as failure_stage,
        {{ null_string }} as failure_reason,
        {{ null_int }} as sip_response_code,
        {{ null_string }} as sip_outcome_category,
        case
            when quality_label = 'bad' then true
            when quality_label in ('good', 'ok') then false
        end as is_poor_quality,
        quality_label,
        {{ null_int }} as customer_rating,
        coalesce(is_test, false) as is_test,
        {{ null_bool }} as is_internal,
        {{ null_bool }} as is_retried,
        {{ null_bool }} as is_response_group,
        source_hash as caller_key,
        {{ party_key('syllable', 'agent_id') }} as callee_key,
        {{ party_key('syllable', 'agent_id') }} as agent_key,
        {{ null_string }} as pool_id,
        {{ null_string }} as topic_id,
        agent_id,
        {{ null_bigint }} as message_count,
        {{ null_int }} as initial_queue_position,
        true as is_bot_handled,
        {{ null_bool }} as is_transferred
    from syllable
),

{# Graph PSTN and Direct Routing report rows: channel pstn. The same call is also a
    Teams session of graph when its call record landed (conversation_id = the
    report's callId / correlationId). #}
pstn_conformed as (
    select
        source_system,
        pstn_call_id as source_session_id,
        correlation_id as conversation_id,
        'pstn' as channel,
        requested_at,
        case when is_answered then started_at end as answered_at,
        case when is_answered then started_at end as started_at,
        ended_at,
        {{ null_float }} as queue_wait_seconds,
        case
            when is_answered then {{ seconds_between('invited_at', 'started_at') }}
        end as setup_seconds,
        {{ modality_columns({'audio': 'true'}) }},
        source_status,
        {{ null_string }} as queue_role,
        case
            when sip_outcome_category = 'unexpected_failure' then 'call_setup'
        end as failure_stage,
        case
            when not is_answered and final_sip_code is not null
                then {{ dbt.concat([
                    'cast(final_sip_code as ' ~ string ~ ')', "' '",
                    "coalesce(final_sip_code_phrase, '')",
                ]) }}
        end as failure_reason,
        final_sip_code as sip_response_code,
        sip_outcome_category,
        {{ null_bool }} as is_poor_quality,
        {{ null_string }} as quality_label,
        {{ null_int }} as customer_rating,
        false as is_test,
        false as is_internal,
        {{ null_bool }} as is_retried,
        {{ null_bool }} as is_response_group,
        coalesce(caller_number_hash, user_id_hash) as caller_key,
        callee_number_hash as callee_key,
        {{ null_string }} as agent_key,
        {{ null_string }} as pool_id,
        {{ null_string }} as topic_id,
        {{ null_string }} as agent_id,
        {{ null_bigint }} as message_count,
        {{ null_int }} as initial_queue_position,
        {{ null_bool }} as is_bot_handled,
        {{ null_bool }} as is_transferred
    from pstn_calls
),

unioned as (
    select * from cdr_conformed
    union all
    select * from qoe_conformed
    union all
    select * from graph_conformed
    union all
    select * from chat_conformed
    union all
    select * from syllable_conformed
    union all
    select * from pstn_conformed
),

final as (
    select
        {{ session_key_expr('unioned.source_system', 'unioned.source_session_id') }}
            as session_key,
        unioned.*,
        cast(coalesce(unioned.requested_at, unioned.started_at) as date)
            as session_date,
        {{ seconds_between('unioned.started_at', 'unioned.ended_at') }}
            as duration_seconds,
        coalesce(outcome_mapping.outcome, 'unknown') as outcome,
        current_timestamp as staged_at
    from unioned
    left join outcome_mapping
        on
            unioned.source_system = outcome_mapping.source_system
            and unioned.source_status = outcome_mapping.source_status
)

select * from final
