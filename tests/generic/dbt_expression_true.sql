{#- Rows where `expression` is false (NULL counts as passing: unknown is not a violation). -#}
{% test dbt_expression_true(model, column_name, expression) %}
    select *
    from {{ model }}
    where not coalesce({{ expression }}, true)
{% endtest %}
