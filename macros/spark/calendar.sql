{#- Spark versions of the calendar helpers (macros/cross_db/calendar.sql). -#}

{% macro spark__date_spine_days(first_expr, last_expr, from_relation) -%}
    select explode(sequence(
        cast({{ first_expr }} as date), cast({{ last_expr }} as date), interval 1 day
    )) as date_day
    from {{ from_relation }}
{%- endmacro %}


{#- ISO day of week: Monday 1 .. Sunday 7. -#}
{% macro spark__iso_day_of_week(expr) -%}
    extract(dayofweek_iso from {{ expr }})
{%- endmacro %}


{#- ISO 8601 week-numbering year and week. -#}
{% macro spark__iso_week_fields(expr) -%}
    cast(extract(yearofweek from {{ expr }}) as int) as iso_year,
        cast(weekofyear({{ expr }}) as int) as iso_week
{%- endmacro %}


{#- Hour of day (0-23). -#}
{% macro spark__queue_hour_of_day(expr) -%}
    hour({{ expr }})
{%- endmacro %}
