{#-
    Syllable sessions with channel and label decoded, and the source_status from the
    ordered rules of the seed syllable_session_statuses (voicemail, duration,
    user_terminated). Incremental by session (macros/landing/derived_rows.sql): also
    the sessions whose label was staged or withdrawn since the last build.
-#}
{%- set label_id = 'cast(session_label_id as ' ~ dbt.type_string() ~ ')' -%}
{{ config(**derived_rows_config(
    ['stg_syllable__sessions', 'stg_syllable__session_labels'], ['session_id']
)) }}

with

sessions as (
    select * from {{ ref('stg_syllable__sessions') }}
    where
        {{ rows_to_rebuild(inputs_version()) }}
        or {{ joined_rows_changed(
            'stg_syllable__session_labels', 'session_label_id', label_id,
            '(built.label_type is not null or built.label_code is not null)'
        ) | indent(8) }}
),

labels as (
    select * from {{ ref('stg_syllable__session_labels') }}
),

decoded as (
    select
        {{ columns_staged_now('sessions') }},
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
