{#-
    SuperOffice chats with status and flags decoded, and the chat's source_status and
    queue_role (offered and answered / abandoned / deflected / waiting, or not offered)
    from the seed superoffice_chat_statuses, keyed by status name and whether an agent
    or the bot accepted the chat (when_started set). A NULL or undefined status is
    `unknown`. Incremental by chat (macros/landing/derived_rows.sql).
-#}
{{ config(**derived_rows_config(
    ['stg_superoffice__chat_sessions'], ['chat_session_id']
)) }}

with

chats as (
    select * from {{ ref('stg_superoffice__chat_sessions') }}
    where {{ rows_to_rebuild(inputs_version()) }}
),

chat_statuses as (
    select * from {{ ref('superoffice_chat_statuses') }}
),

decoded as (
    select
        {{ columns_staged_now('chats') }},
        {{ decode_enum('chats.status', 'superoffice_chat_session_status') }}
            as status_name,
        {{ decode_bitfield('chats.flags', 'superoffice_chat_session_flags', 'flags') }},
        case when chats.when_started is not null then 'true' else 'false' end
            as answered_key
    from chats
),

mapped as (
    select
        decoded.*,
        coalesce(chat_statuses.source_status, 'other') as chat_source_status,
        coalesce(chat_statuses.queue_role, 'not_offered') as queue_role
    from decoded
    left join chat_statuses
        on
            coalesce(decoded.status_name, 'unknown') = chat_statuses.status_name
            and chat_statuses.answered in (decoded.answered_key, 'any')
)

select * from mapped
