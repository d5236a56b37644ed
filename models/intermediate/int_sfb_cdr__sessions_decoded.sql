{#-
    SfB CDR sessions with their bitfields and enums decoded and the SIP outcome from the
    seeds: a row of sip_response_codes for the ResponseCode and DiagnosticId wins over
    the code's row for any DiagnosticId (blank diagnostic_id), which wins over the class
    default of sip_response_classes (docs/METRICS.md, "Outcome"). Incremental by
    session (macros/landing/derived_rows.sql); it records the session dates it touches
    for fct_sfb_p2p_activity_daily.
-#}
{%- set unit = ['session_id_time', 'session_id_seq'] -%}
{{ config(**derived_rows_config(
    ['stg_sfb_cdr__session_details'], unit, touched_dates=sfb_cdr_session_date(),
)) }}

with

sessions as (
    select * from {{ ref('stg_sfb_cdr__session_details') }}
    where {{ rows_to_rebuild(inputs_version()) }}
),

sip_codes as (
    select * from {{ ref('sip_response_codes') }}
),

sip_classes as (
    select * from {{ ref('sip_response_classes') }}
),

decoded as (
    select
        {{ columns_staged_now('sessions') }},
        {{ decode_bitfield('sessions.media_types', 'cdr_media_types', 'media') }},
        {{ decode_bitfield('sessions.user1_flag', 'cdr_user_flag', 'user1_flag') }},
        {{ decode_bitfield('sessions.user2_flag', 'cdr_user_flag', 'user2_flag') }},
        {{ decode_bitfield('sessions.call_flag', 'cdr_call_flag', 'call_flag') }},
        {{ decode_enum('sessions.call_priority', 'cdr_call_priority') }}
            as call_priority_name,
        sip_classes.response_class as sip_response_class,
        sip_classes.class_name as sip_response_class_name,
        coalesce(diagnostic_codes.reason_phrase, any_codes.reason_phrase)
            as sip_reason_phrase,
        coalesce(
            diagnostic_codes.outcome_category,
            any_codes.outcome_category,
            sip_classes.default_outcome_category,
            'unknown'
        ) as sip_outcome_category,
        coalesce(
            diagnostic_codes.source_status,
            any_codes.source_status,
            sip_classes.default_source_status,
            'unknown'
        ) as sip_source_status
    from sessions
    left join sip_codes as diagnostic_codes
        on
            sessions.response_code = diagnostic_codes.response_code
            and sessions.diagnostic_id = diagnostic_codes.diagnostic_id
    left join sip_codes as any_codes
        on
            sessions.response_code = any_codes.response_code
            and any_codes.diagnostic_id is null
    left join sip_classes
        on
            cast(floor(sessions.response_code / 100) as {{ dbt.type_int() }})
            = sip_classes.response_class
)

select * from decoded
