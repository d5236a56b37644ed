{#-
    Nothing lost: per group (by default per source system, entity and file) the rows landed
    must equal the rows staged + superseded + rejected. Returns the groups that do not
    reconcile.
-#}
{% test rows_reconcile(model, group_by=['source_system', 'source_entity', 'source_file']) %}
    select
        {{ group_by | join(', ') }},
        sum(landed_rows) as landed_rows,
        sum(staged_rows) as staged_rows,
        sum(superseded_rows) as superseded_rows,
        sum(rejected_rows) as rejected_rows
    from {{ model }}
    group by {{ group_by | join(', ') }}
    having sum(landed_rows) <> sum(staged_rows) + sum(superseded_rows) + sum(rejected_rows)
{% endtest %}
