{#- Codes of `column_name` that the enum_values seed does not define for `enum_name`. -#}
{% test known_enum_codes(model, column_name, enum_name) %}
    select
        cast({{ column_name }} as {{ dbt.type_string() }}) as unknown_code,
        count(*) as n_rows
    from {{ model }}
    where
        {{ column_name }} is not null
        and cast({{ column_name }} as {{ dbt.type_string() }}) not in (
            select code from {{ ref('enum_values') }}
            where enum_name = '{{ enum_name }}'
        )
    group by 1
{% endtest %}
