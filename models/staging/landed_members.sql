{#-
    Undocumented JSON member paths per landed file (names only, never values: they can
    hold personal data): one row per (landing_folder, source_file, member_path) with the
    records carrying the path. Documented: a column path of the folder's entities
    (json_documented_paths), a container on the way to one, anything inside one (a JSON
    column's members) and OData annotations (`@odata.` in the name). Only the top-most
    undocumented path is listed (its children are not).
-#}
with

paths as (
    select * from {{ ref('base_landing__json_member_paths') }}
),

documented_paths as (
    {%- for folder in landing_folders() if folder.format == 'json' %}
    {%- for path in json_documented_paths(folder.folder) %}
    select
        '{{ folder.folder }}' as landing_folder,
        '{{ path }}' as documented_path
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

matches as (
    {#- a documented path equal to, below (container) or above (inside) the path -#}
    select
        paths.source_file,
        paths.member_path
    from paths
    inner join documented_paths as documented
        on
            paths.landing_folder = documented.landing_folder
            and (
                paths.member_path = documented.documented_path
                or substr(documented.documented_path, 1, length(paths.member_path) + 1)
                in (paths.member_path || '.', paths.member_path || '[')
                or substr(paths.member_path, 1, length(documented.documented_path) + 1)
                in (
                    documented.documented_path || '.',
                    documented.documented_path || '['
                )
            )
),

classified as (
    select
        paths.landing_folder,
        paths.source_file,
        paths.member_path,
        paths.parent_path,
        paths.records,
        paths.member_path = '$'
        or {{ dbt.position("'@odata.'", 'paths.member_path') }} > 0
        or paths.member_path in (
            select matches.member_path from matches
            where matches.source_file = paths.source_file
        ) as is_documented
    from paths
),

final as (
    select
        children.landing_folder,
        children.source_file,
        children.member_path,
        children.records
    from classified as children
    inner join classified as parents
        on
            children.source_file = parents.source_file
            and children.parent_path = parents.member_path
    where not children.is_documented and parents.is_documented
)

select * from final
