{#-
    Warns (severity warn in the YAML) when landed JSON files have member paths that are
    no documented column: one failing row per file, with its paths. Their values are not
    loaded; see staging.landed_members and docs/LANDING.md.
-#}
{% test no_undocumented_json_members(model) %}
    select
        source_file,
        count(*) as undocumented_member_paths,
        {{ dbt.listagg('member_path', "', '", "order by member_path") }} as member_paths
    from {{ model }}
    group by source_file
{% endtest %}
