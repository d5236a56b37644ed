{#-
    numerator ÷ denominator as a double-precision rate, NULL when the denominator is 0
    or NULL (never a division-by-zero error). The one place every mart divides.

        {{ safe_divide('sum(succeeded)', 'sum(final_outcome_sessions)') }}

    Arguments are SQL expressions; each is parenthesised, so `a - b` is safe to pass.
-#}
{% macro safe_divide(numerator, denominator) -%}
    {{- return(adapter.dispatch('safe_divide', 'session_analytics')(
        numerator, denominator)) -}}
{%- endmacro %}

{#- `* 1.0` avoids integer division on engines where int / int is an int. -#}
{% macro default__safe_divide(numerator, denominator) -%}
    (({{ numerator }}) * 1.0 / nullif(({{ denominator }}), 0))
{%- endmacro %}

{% macro duckdb__safe_divide(numerator, denominator) -%}
    (cast(({{ numerator }}) as double) / nullif(({{ denominator }}), 0))
{%- endmacro %}
