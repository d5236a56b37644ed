{#- An 8-byte floating point type (dbt.type_float() is the 4-byte REAL on DuckDB). -#}
{% macro type_double() -%}
    {{- return(adapter.dispatch('type_double', 'session_analytics')()) -}}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}
