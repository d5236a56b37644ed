{#-
    Every rate and mean that the marts publish, as numerator ÷ denominator of two count
    (or sum) columns of the same mart: the one definition per metric. The marts compute
    each with rate_column(); the semantic layer (models/marts/_semantic__models.yml)
    defines each as a ratio metric of the same two columns, so summing the counts over
    any grain and dividing gives the same figure in both. Populations, numerators and
    denominators in words: docs/METRICS.md, "Rate definitions".
-#}
{% macro rate_definitions() -%}
    {{- return({
        'success_rate': ('succeeded', 'final_outcome_sessions'),
        'setup_failure_rate': ('setup_failures', 'setup_population_sessions'),
        'drop_failure_rate': ('midcall_drops', 'drop_population_sessions'),
        'stream_setup_failure_rate': (
            'setup_failed_streams', 'setup_population_streams'),
        'stream_drop_failure_rate': ('dropped_streams', 'drop_population_streams'),
        'expected_failure_rate': ('expected_failures', 'sip_sessions'),
        'unexpected_failure_rate': ('unexpected_failures', 'sip_sessions'),
        'poor_stream_rate': ('poor_streams', 'classified_streams'),
        'poor_audio_stream_rate': ('poor_audio_streams', 'classified_audio_streams'),
        'poor_call_rate': ('poor_quality_sessions', 'quality_assessed_sessions'),
        'poor_rating_rate': ('poor_rating_sessions', 'rated_sessions'),
        'avg_customer_rating': ('total_customer_rating', 'rated_sessions'),
        'mean_duration_seconds': ('total_duration_seconds', 'sessions_with_duration'),
        'short_call_share': ('short_sessions', 'sessions_with_duration'),
        'answer_seizure_share': ('answer_seizure_sessions', 'sessions_with_duration'),
        'abandonment_rate': ('counted_abandoned_chats', 'counted_offered_chats'),
        'service_level': ('answered_within_service_level', 'counted_offered_chats'),
        'service_level_long': (
            'answered_within_service_level_long', 'counted_offered_chats'),
        'asa_seconds': ('total_answered_wait_seconds', 'answered_chats_with_wait'),
        'avg_abandon_wait_seconds': (
            'total_abandon_wait_seconds', 'abandoned_chats_with_wait'),
        'avg_initial_queue_position': (
            'total_initial_queue_position', 'chats_with_queue_position'),
        'avg_handle_seconds': ('total_handle_seconds', 'chats_with_handle_time'),
        'bot_handled_share': ('bot_handled_chats', 'chats_offered'),
        'avg_rating': ('total_rating', 'rated_chats'),
        'average_minutes': ('total_minutes', 'sessions'),
        'average_audio_minutes': ('audio_minutes', 'audio_sessions'),
        'average_video_minutes': ('video_minutes', 'video_sessions'),
        'avg_handle_minutes': ('total_handle_minutes', 'sessions_with_handle_time'),
        'agent_avg_rating': ('total_rating', 'rated_sessions'),
    }) -}}
{%- endmacro %}


{#- `<numerator> ÷ <denominator>` (a double, NULL when the denominator is 0) of a rate
    of rate_definitions(). `prefix` qualifies both columns; or, as a mapping, replaces
    a column by the expression that computes it (within the same select list). -#}
{% macro rate_expr(name, prefix='') -%}
    {%- set definition = rate_definitions().get(name) -%}
    {%- if definition is none -%}
        {{- exceptions.raise_compiler_error('rate_expr: no rate named ' ~ name) -}}
    {%- endif -%}
    {%- if prefix is mapping -%}
        {%- set numerator = prefix.get(definition[0], definition[0]) -%}
        {%- set denominator = prefix.get(definition[1], definition[1]) -%}
    {%- else -%}
        {%- set numerator = prefix ~ definition[0] -%}
        {%- set denominator = prefix ~ definition[1] -%}
    {%- endif -%}
    {{ safe_divide(numerator, denominator) }}
{%- endmacro %}


{#- The same, as a select-list column `<expression> as <name>`. -#}
{% macro rate_column(name, prefix='') -%}
    {{ rate_expr(name, prefix) }} as {{ name }}
{%- endmacro %}
