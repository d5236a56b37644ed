{#-
    Call quality per day × source system × channel (docs/METRICS.md ("Call quality")): outcomes,
    CQD setup and drop failure rates over the sessions (and the streams) that can record
    them, SfB SIP failure categories, CQD poor-stream rate over classified Graph streams,
    poor-call rate, and the feedback / label distribution. Test sessions are left out
    unless var include_test_sessions. Populations: macros/metrics/populations.sql; every
    rate is one entry of rate_definitions() (NULL when its denominator is 0).
-#}
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
    ('final_outcome_sessions', is_final_outcome()),
    ('setup_population_sessions', is_setup_failure_population()),
    ('setup_failures', is_setup_failure()),
    ('drop_population_sessions', is_drop_failure_population()),
    ('midcall_drops', is_drop_failure()),
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

{#- Stream-based CQD setup / drop failure: a stream counts with its session. -#}
{%- set session_stream_counts = [
    ('setup_population_streams', is_setup_failure_population()),
    ('setup_failed_streams', is_setup_failure()),
    ('drop_population_streams', is_drop_failure_population()),
    ('dropped_streams', is_drop_failure()),
] -%}

{#- Stream counts per session, summed per day. -#}
{%- set stream_counts = [
    ('streams', 'true'),
    ('classified_streams', 'is_classified'),
    ('poor_streams', 'is_poor'),
    ('classified_audio_streams', "is_classified and stream_type = 'audio'"),
    ('poor_audio_streams', "is_poor and stream_type = 'audio'"),
] -%}
{#- Incremental by date (macros/landing/derived_rows.sql): the dates fct_sessions or the
    streams mart touched since the last build. -#}
{%- set dates_of = ['fct_sessions', 'fct_graph_media_streams'] -%}
{{ config(**dated_rows_config('session_date', dates_of)) }}

with

sessions as (
    select * from {{ ref('fct_sessions') }}
    where
        {{ dates_to_rebuild('session_date', dates_of, inputs_version()) | indent(8) }}
        and {{ test_sessions_filter() }}
),

{# A stream's session_date is its session's (fct_graph_media_streams). #}
streams as (
    select * from {{ ref('fct_graph_media_streams') }}
    where {{ dates_to_rebuild('session_date', dates_of, inputs_version()) | indent(4) }}
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
        {%- for name, condition in session_stream_counts %}
        cast(
            coalesce(sum(case when {{ condition }} then session_streams.streams end), 0)
            as {{ bigint }}
        ) as {{ name }},
        {%- endfor %}
        cast(coalesce(sum(sessions.customer_rating), 0) as {{ bigint }})
            as total_customer_rating
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
        {{ rate_column('success_rate') }},
        setup_population_sessions,
        setup_failures,
        {{ rate_column('setup_failure_rate') }},
        drop_population_sessions,
        midcall_drops,
        {{ rate_column('drop_failure_rate') }},
        setup_population_streams,
        setup_failed_streams,
        {{ rate_column('stream_setup_failure_rate') }},
        drop_population_streams,
        dropped_streams,
        {{ rate_column('stream_drop_failure_rate') }},
        sip_sessions,
        sip_successes,
        expected_failures,
        unexpected_failures,
        sip_uncategorized,
        {{ rate_column('expected_failure_rate') }},
        {{ rate_column('unexpected_failure_rate') }},
        streams,
        classified_streams,
        poor_streams,
        {{ rate_column('poor_stream_rate') }},
        classified_audio_streams,
        poor_audio_streams,
        {{ rate_column('poor_audio_stream_rate') }},
        quality_assessed_sessions,
        poor_quality_sessions,
        {{ rate_column('poor_call_rate') }},
        {%- for rating in graph_ratings %}
        rating_{{ rating }},
        {%- endfor %}
        {%- for label in syllable_labels %}
        label_{{ label }},
        {%- endfor %}
        rated_sessions,
        poor_rating_sessions,
        {{ rate_column('poor_rating_rate') }},
        total_customer_rating,
        {{ rate_column('avg_customer_rating') }}
    from daily
)

select * from final
