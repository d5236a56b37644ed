{#-
    Spark: arithmetic that must give DuckDB's doubles. On Spark, `x * 1.0` and `x / 60.0`
    are DECIMAL arithmetic, which rounds quotients to 6 decimal places; DuckDB divides
    in DOUBLE. So rates divide as doubles, as on DuckDB.
-#}
{% macro spark__safe_divide(numerator, denominator) -%}
    (cast(({{ numerator }}) as double) / nullif(cast(({{ denominator }}) as double), 0))
{%- endmacro %}


{#- The double type of the metric marts' contracts. -#}
{% macro spark__queue_type_double() -%}
    {{- return('double') -}}
{%- endmacro %}


{#-
    dbt's datediff / dateadd on Spark (dbt-spark) work in whole seconds for the clock
    parts: they drop the milliseconds of a timestamp. These overrides (dispatched for
    Spark from the root project) count milliseconds exactly as DuckDB's date_diff does:
    the number of unit boundaries between the two timestamps (epoch units truncated);
    the other dateparts fall back to dbt-spark's own macros.
-#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- set units = {
        'microsecond': 'unix_micros({t})',
        'millisecond': 'unix_millis({t})',
        'second': 'unix_seconds({t})',
        'minute': 'floor(unix_seconds({t}) / 60)',
        'hour': 'floor(unix_seconds({t}) / 3600)',
    } -%}
    {%- if datepart | lower in units -%}
        {%- set unit = units[datepart | lower] -%}
        ({{ unit | replace('{t}', 'cast(' ~ second_date ~ ' as timestamp)') }}
            - {{ unit | replace('{t}', 'cast(' ~ first_date ~ ' as timestamp)') }})
    {%- else -%}
        {{ dbt_spark.spark__datediff(first_date, second_date, datepart) }}
    {%- endif -%}
{%- endmacro %}


{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set units = ['microsecond', 'millisecond', 'second', 'minute', 'hour', 'day', 'week'] -%}
    {%- if datepart | lower in units -%}
        timestampadd({{ datepart | upper }}, {{ interval }},
            cast({{ from_date_or_timestamp }} as timestamp))
    {%- else -%}
        {{ dbt_spark.spark__dateadd(datepart, interval, from_date_or_timestamp) }}
    {%- endif -%}
{%- endmacro %}
