{#-
    Syllable sessions with channel and label decoded, and the source_status from the
    ordered rules of the seed syllable_session_statuses (voicemail, duration,
    user_terminated).
-#}
with

sessions as (
    select * from {{ ref('stg_syllable__sessions') }}
),

labels as (
    select * from {{ ref('stg_syllable__session_labels') }}
),

decoded as (
    select
        sessions.*,
        {{ conform_enum(
            'sessions.channel_manager_type',
            'syllable_channel_manager_type',
            "'ai_other'",
        ) }} as channel,
        labels.label_type,
        labels.label_code,
        {{ decode_enum('labels.label_code', 'syllable_label_code') }}
            as label_code_name,
        {{ conform_enum('labels.label_code', 'syllable_label_code') }} as quality_label
    from sessions
    left join labels
        on
            sessions.session_label_id
            = cast(labels.session_label_id as {{ dbt.type_string() }})
),

with_status as (
    select
        *,
        {{ syllable_source_status() }} as syllable_source_status
    from decoded
)

select * from with_status
