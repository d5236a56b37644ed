{#- Spark: list columns are arrays (DuckDB LIST <-> Spark ARRAY). -#}

{#- Array of the non-NULL values among the given expressions. -#}
{% macro spark__list_compact(items) -%}
    filter(array({{ items | join(', ') }}), x -> x is not null)
{%- endmacro %}


{% macro spark__list_has(list_expr, value) -%}
    array_contains({{ list_expr }}, {{ value }})
{%- endmacro %}
