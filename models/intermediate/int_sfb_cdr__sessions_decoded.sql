with

sessions as (
    select * from {{ ref('stg_sfb_cdr__session_details') }}
),

sip_codes as (
    select * from {{ ref('sip_response_codes') }}
),

sip_classes as (
    select * from {{ ref('sip_response_classes') }}
),

decoded as (
    select
        sessions.*,
        {{ decode_bitfield('sessions.media_types', 'cdr_media_types', 'media') }},
        {{ decode_bitfield('sessions.user1_flag', 'cdr_user_flag', 'user1_flag') }},
        {{ decode_bitfield('sessions.user2_flag', 'cdr_user_flag', 'user2_flag') }},
        {{ decode_bitfield('sessions.call_flag', 'cdr_call_flag', 'call_flag') }},
        {{ decode_enum('sessions.call_priority', 'cdr_call_priority') }}
            as call_priority_name,
        sip_classes.response_class as sip_response_class,
        sip_classes.class_name as sip_response_class_name,
        sip_codes.reason_phrase as sip_reason_phrase,
        coalesce(
            sip_codes.outcome_category, sip_classes.default_outcome_category, 'unknown'
        ) as sip_outcome_category
    from sessions
    left join sip_codes
        on sessions.response_code = sip_codes.response_code
    left join sip_classes
        on
            cast(floor(sessions.response_code / 100) as {{ dbt.type_int() }})
            = sip_classes.response_class
)

select * from decoded
