{#-
    Every landed row or record that could not be staged, with the reason. Rows are never
    silently dropped: landed = staged + superseded versions + rejected (see
    row_reconciliation and its tests). Personal data in raw_record is pseudonymised like
    in staging.
-#}
with

{% for entity in staged_entities() -%}
{{ entity.base }} as (
    select
        source_system,
        '{{ entity.entity }}' as source_entity,
        source_file,
        source_row_number,
        source_path,
        raw_record,
        rejection_reason,
        loaded_at
    from {{ ref(entity.base) }}
    where rejection_reason is not null
),

{% endfor -%}
final as (
    {%- for entity in staged_entities() %}
    select * from {{ entity.base }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
