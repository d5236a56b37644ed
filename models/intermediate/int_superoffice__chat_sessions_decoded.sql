with

chats as (
    select * from {{ ref('stg_superoffice__chat_sessions') }}
),

decoded as (
    select
        *,
        {{ decode_enum('status', 'superoffice_chat_session_status') }} as status_name,
        {{ decode_bitfield('flags', 'superoffice_chat_session_flags', 'flags') }}
    from chats
)

select * from decoded
