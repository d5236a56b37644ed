{#- Hour of day (0-23, integer) of a timestamp, dispatched per engine. -#}
{% macro queue_hour_of_day(expr) -%}
    {{- return(adapter.dispatch('queue_hour_of_day', 'session_analytics')(expr)) -}}
{%- endmacro %}

{% macro default__queue_hour_of_day(expr) -%}
    extract(hour from {{ expr }})
{%- endmacro %}

{% macro duckdb__queue_hour_of_day(expr) -%}
    hour({{ expr }})
{%- endmacro %}
