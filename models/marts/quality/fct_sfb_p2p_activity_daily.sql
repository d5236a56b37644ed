{#-
    The Skype for Business Server "Peer-to-Peer Activity Summary Report" by day
    (REFERENCE.md §1; docs/METRICS.md ("Call quality")), from the LcsCDR SessionDetails rows.
    Counted: successful sessions — SIP outcome category success with a SessionEndTime,
    i.e. the CDR sessions that fct_sessions calls `succeeded`; failed, cancelled and
    still-open sessions have no conversation time. A video session also counts as an
    audio session (and its minutes as audio minutes), as in the report.
-#}
{%- set bigint = dbt.type_bigint() -%}

{{ config(**dated_rows_config('session_date', 'int_sfb_cdr__sessions_decoded')) }}

with

cdr_sessions as (
    select * from {{ ref('int_sfb_cdr__sessions_decoded') }}
    where
        {{ dates_to_rebuild(
            sfb_cdr_session_date(), 'int_sfb_cdr__sessions_decoded', inputs_version()
        ) | indent(8) }}
),

calendar as (
    select * from {{ ref('dim_date') }}
),

successful as (
    select
        {{ sfb_cdr_session_date() }} as session_date,
        coalesce(media_im, false) as is_im,
        coalesce(media_audio, false) or coalesce(media_video, false) as is_audio,
        coalesce(media_video, false) as is_video,
        coalesce(media_file_transfer, false) as is_file_transfer,
        coalesce(media_app_sharing, false) as is_app_sharing,
        cast(coalesce(user1_message_count, 0) as {{ dbt.type_bigint() }})
        + coalesce(user2_message_count, 0) as im_messages,
        {#- fct_sessions.started_at, the one CDR start rule. -#}
        {{ seconds_between(sfb_cdr_started_at(), 'session_end_time') }} / 60.0
            as session_minutes
    from cdr_sessions
    where
        sip_outcome_category = 'success'
        and session_end_time is not null
),

daily as (
    select
        session_date,
        cast(count(*) as {{ bigint }}) as sessions,
        cast(sum(case when is_im then 1 else 0 end) as {{ bigint }}) as im_sessions,
        cast(sum(im_messages) as {{ bigint }}) as im_messages,
        cast(sum(case when is_audio then 1 else 0 end) as {{ bigint }})
            as audio_sessions,
        coalesce(sum(case when is_audio then session_minutes end), 0)
            as audio_minutes,
        cast(sum(case when is_video then 1 else 0 end) as {{ bigint }})
            as video_sessions,
        coalesce(sum(case when is_video then session_minutes end), 0)
            as video_minutes,
        cast(sum(case when is_file_transfer then 1 else 0 end) as {{ bigint }})
            as file_transfer_sessions,
        cast(sum(case when is_app_sharing then 1 else 0 end) as {{ bigint }})
            as app_sharing_sessions,
        coalesce(sum(session_minutes), 0) as total_minutes
    from successful
    group by session_date
),

final as (
    select
        daily.session_date,
        calendar.sunday_week_start,
        daily.sessions,
        daily.im_sessions,
        daily.im_messages,
        daily.audio_sessions,
        daily.audio_minutes,
        {{ rate_column('average_audio_minutes', 'daily.') }},
        daily.video_sessions,
        daily.video_minutes,
        {{ rate_column('average_video_minutes', 'daily.') }},
        daily.file_transfer_sessions,
        daily.app_sharing_sessions,
        daily.total_minutes,
        {{ rate_column('average_minutes', 'daily.') }}
    from daily
    left join calendar
        on daily.session_date = calendar.date_day
)

select * from final
