{#-
    Spark: continuous percentile. `percentile` is exact and interpolates linearly between
    the order statistics at rank (n - 1) * p, the definition of DuckDB's quantile_cont
    (Hyndman-Fan type 7), so both engines give the same value; NULLs are ignored and an
    empty group gives NULL on both. (percentile_approx would not be exact.) The parity
    test checks this on every percentile column of the marts, and on edge cases.
-#}
{% macro spark__percentile_cont(expr, p) -%}
    percentile({{ expr }}, {{ p }})
{%- endmacro %}
