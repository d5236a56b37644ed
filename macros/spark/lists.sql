{#- Spark: list columns are arrays (DuckDB LIST <-> Spark ARRAY). -#}

{#- Array of the non-NULL values among the given expressions. -#}
{% macro spark__list_compact(items) -%}
    filter(array({{ items | join(', ') }}), x -> x is not null)
{%- endmacro %}


{% macro spark__list_has(list_expr, value) -%}
    array_contains({{ list_expr }}, {{ value }})
{%- endmacro %}


{#- Spark's string_agg has no ORDER BY: sort the collected numbers, then join. -#}
{% macro spark__sorted_numbers_text(expr, delimiter) -%}
    array_join(
        transform(array_sort(collect_list({{ expr }})), x -> cast(x as string)),
        '{{ delimiter }}'
    )
{%- endmacro %}


{#- Spark has no range() list: explode a sequence (empty for a count below 1). -#}
{% macro spark__integer_series(count_expr) -%}
    explode(case
        when {{ count_expr }} > 0
            then sequence(cast(0 as bigint), cast({{ count_expr }} as bigint) - 1)
        else cast(array() as array<bigint>)
    end)
{%- endmacro %}
