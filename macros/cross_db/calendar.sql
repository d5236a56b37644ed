{#- Calendar helpers for dim_date, dispatched per engine. -#}

{#- One row per day from first to last (inclusive): column date_day. -#}
{% macro date_spine_days(first_expr, last_expr, from_relation) -%}
    {{- return(adapter.dispatch('date_spine_days', 'session_analytics')(
        first_expr, last_expr, from_relation)) -}}
{%- endmacro %}

{% macro duckdb__date_spine_days(first_expr, last_expr, from_relation) -%}
    select cast(unnest(generate_series(
        cast({{ first_expr }} as timestamp), cast({{ last_expr }} as timestamp),
        interval 1 day
    )) as date) as date_day
    from {{ from_relation }}
{%- endmacro %}


{#- ISO day of week: Monday 1 .. Sunday 7. -#}
{% macro iso_day_of_week(expr) -%}
    {{- return(adapter.dispatch('iso_day_of_week', 'session_analytics')(expr)) -}}
{%- endmacro %}

{% macro duckdb__iso_day_of_week(expr) -%}
    isodow({{ expr }})
{%- endmacro %}


{#- iso_year and iso_week columns. -#}
{% macro iso_week_fields(expr) -%}
    {{- return(adapter.dispatch('iso_week_fields', 'session_analytics')(expr)) -}}
{%- endmacro %}

{% macro duckdb__iso_week_fields(expr) -%}
    cast(isoyear({{ expr }}) as integer) as iso_year,
        cast(weekofyear({{ expr }}) as integer) as iso_week
{%- endmacro %}
