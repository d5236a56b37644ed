{#-
    Call quality per day × source system × channel (docs/METRICS.md ("Call quality")): outcomes,
    CQD-style setup and drop failure rates over sessions, SfB SIP failure categories,
    CQD poor-stream rate over classified Graph streams, poor-call rate, and the feedback
    / label distribution. Test sessions are left out unless var include_test_sessions.
    Every rate goes through safe_divide: NULL (not an error) when its denominator is 0.
-#}
{%- set include_test_sessions = (
    var('include_test_sessions') | string | lower in ['true', '1', 'yes']
) -%}
{%- set bigint = dbt.type_bigint() -%}

{#- Session counts: column name -> condition on one fct_sessions row. -#}
{%- set session_counts = [
    ('succeeded', "outcome = 'succeeded'"),
    ('failed', "outcome = 'failed'"),
    ('cancelled', "outcome = 'cancelled'"),
    ('missed', "outcome = 'missed'"),
    ('abandoned', "outcome = 'abandoned'"),
    ('in_progress', "outcome = 'in_progress'"),
    ('unknown_outcome', "outcome = 'unknown'"),
    ('final_outcome_sessions', "outcome not in ('in_progress', 'unknown')"),
    ('setup_failures', "failure_stage = 'call_setup'"),
    ('midcall_drops', "failure_stage = 'midcall'"),
    ('sip_sessions', 'sip_outcome_category is not null'),
    ('sip_successes', "sip_outcome_category = 'success'"),
    ('expected_failures', "sip_outcome_category = 'expected_failure'"),
    ('unexpected_failures', "sip_outcome_category = 'unexpected_failure'"),
    ('sip_uncategorized', "sip_outcome_category = 'unknown'"),
    ('quality_assessed_sessions', 'is_poor_quality is not null'),
    ('poor_quality_sessions', 'is_poor_quality'),
    ('rated_sessions', 'customer_rating is not null'),
    ('poor_rating_sessions', 'customer_rating <= 2'),
] -%}

{#- Feedback distribution: Graph rating names, Syllable label values. -#}
{%- set graph_ratings = ['bad', 'poor', 'fair', 'good', 'excellent'] -%}
{%- set syllable_labels = ['good', 'ok', 'bad', 'not_applicable'] -%}
{%- for rating in graph_ratings -%}
    {%- do session_counts.append((
        'rating_' ~ rating,
        "source_system = 'graph' and quality_label = '" ~ rating ~ "'",
    )) -%}
{%- endfor -%}
{%- for label in syllable_labels -%}
    {%- do session_counts.append((
        'label_' ~ label,
        "source_system = 'syllable' and quality_label = '" ~ label ~ "'",
    )) -%}
{%- endfor -%}

{#- Stream counts per session, summed per day. -#}
{%- set stream_counts = [
    ('streams', 'true'),
    ('classified_streams', 'is_classified'),
    ('poor_streams', 'is_poor'),
    ('classified_audio_streams', "is_classified and stream_type = 'audio'"),
    ('poor_audio_streams', "is_poor and stream_type = 'audio'"),
] -%}

with

sessions as (
    select * from {{ ref('fct_sessions') }}
    {%- if not include_test_sessions %}
    where not is_test
    {%- endif %}
),

streams as (
    select * from {{ ref('fct_graph_media_streams') }}
),

session_streams as (
    select
        {%- for name, condition in stream_counts %}
        cast(sum(case when {{ condition }} then 1 else 0 end) as {{ bigint }})
            as {{ name }},
        {%- endfor %}
        session_key
    from streams
    group by session_key
),

daily as (
    select
        sessions.session_date,
        sessions.source_system,
        sessions.channel,
        cast(count(*) as {{ bigint }}) as sessions,
        {%- for name, condition in session_counts %}
        cast(sum(case when {{ condition }} then 1 else 0 end) as {{ bigint }})
            as {{ name }},
        {%- endfor %}
        {%- for name, condition in stream_counts %}
        cast(coalesce(sum(session_streams.{{ name }}), 0) as {{ bigint }})
            as {{ name }},
        {%- endfor %}
        avg(sessions.customer_rating) as avg_customer_rating
    from sessions
    left join session_streams
        on sessions.session_key = session_streams.session_key
    group by
        sessions.session_date,
        sessions.source_system,
        sessions.channel
),

final as (
    select
        session_date,
        source_system,
        channel,
        sessions,
        final_outcome_sessions,
        succeeded,
        failed,
        cancelled,
        missed,
        abandoned,
        in_progress,
        unknown_outcome,
        {{ safe_divide('succeeded', 'final_outcome_sessions') }} as success_rate,
        setup_failures,
        {{ safe_divide('setup_failures', 'sessions') }} as setup_failure_rate,
        midcall_drops,
        {{ safe_divide('midcall_drops', 'sessions - setup_failures') }}
            as drop_failure_rate,
        sip_sessions,
        sip_successes,
        expected_failures,
        unexpected_failures,
        sip_uncategorized,
        {{ safe_divide('expected_failures', 'sip_sessions') }} as expected_failure_rate,
        {{ safe_divide('unexpected_failures', 'sip_sessions') }}
            as unexpected_failure_rate,
        streams,
        classified_streams,
        poor_streams,
        {{ safe_divide('poor_streams', 'classified_streams') }} as poor_stream_rate,
        classified_audio_streams,
        poor_audio_streams,
        {{ safe_divide('poor_audio_streams', 'classified_audio_streams') }}
            as poor_audio_stream_rate,
        quality_assessed_sessions,
        poor_quality_sessions,
        {{ safe_divide('poor_quality_sessions', 'quality_assessed_sessions') }}
            as poor_call_rate,
        {%- for rating in graph_ratings %}
        rating_{{ rating }},
        {%- endfor %}
        {%- for label in syllable_labels %}
        label_{{ label }},
        {%- endfor %}
        rated_sessions,
        poor_rating_sessions,
        {{ safe_divide('poor_rating_sessions', 'rated_sessions') }} as poor_rating_rate,
        avg_customer_rating
    from daily
)

select * from final
