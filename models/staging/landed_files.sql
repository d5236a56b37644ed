{#-
    One row per file found in the landing folders (docs/LANDING.md), loaded or not: its
    size, how many top-level records it landed and whether it was loaded, had no records
    (0-byte, blank or header-only) or was quarantined as a bad file
    (var('on_bad_file') = 'quarantine'; with the default `fail` the build stops instead).
    JSON files with records: how many undocumented member paths (staging.landed_members)
    and top-level duplicated keys they have. A file of the previous build that is no
    longer landed stays as `removed` (its rows left the base models: delete_unlisted_files)
    until a --full-refresh.
-#}
{%- set previous = previous_landed_files() -%}
with

{#- listed while the build runs (landing_listing): the SQL names no landed file #}
files as (
    {%- for folder in landing_folders() %}
    select
        '{{ folder.system }}' as source_system,
        '{{ folder.folder }}' as landing_folder,
        '{{ folder.entities[0] }}' as source_entity,
        listed.path as source_file,
        cast(listed.file_bytes as {{ dbt.type_bigint() }}) as file_bytes
    from (
        {{- landing_listing(folder.folder) | indent(4) }}
    ) as listed
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

records as (
    {%- for folder in landing_folders() %}
    {%- set entity = (staged_entities() | selectattr('folder', 'equalto', folder.folder)
        | first) %}
    select
        '{{ folder.folder }}' as landing_folder,
        source_file,
        count(*) as landed_records,
        count(case when source_row_number is null then 1 end) as bad_file_rows,
        max(case when source_row_number is null then rejection_reason end) as problem,
        {%- if folder.format == 'csv' %}
        max(source_unexpected_columns) as unexpected_columns
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as unexpected_columns
        {%- endif %}
    from {{ ref(entity.base) }}
    group by source_file
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

json_members as (
    select
        paths.source_file,
        max(paths.duplicate_keys) as duplicate_keys,
        count(distinct members.member_path) as undocumented_members
    from {{ ref('base_landing__json_member_paths') }} as paths
    left join {{ ref('landed_members') }} as members
        on
            paths.source_file = members.source_file
            and paths.member_path = members.member_path
    group by paths.source_file
),

current_files as (
    select
        files.source_system,
        files.landing_folder,
        files.source_entity,
        files.source_file,
        files.file_bytes,
        case
            when records.bad_file_rows > 0 then 'quarantined'
            when coalesce(records.landed_records, 0) = 0 then 'no records'
            else 'loaded'
        end as file_status,
        case
            when records.bad_file_rows > 0 then 0
            else coalesce(records.landed_records, 0)
        end as landed_records,
        records.problem,
        records.unexpected_columns,
        json_members.undocumented_members,
        json_members.duplicate_keys,
        cast(null as {{ dbt.type_timestamp() }}) as removed_at
    from files
    left join records
        on
            files.landing_folder = records.landing_folder
            and files.source_file = records.source_file
    left join json_members
        on files.source_file = json_members.source_file
),

{# files of the previous build that are gone now (none on a first or full build) #}
removed as (
    {%- if previous is not none %}
    select
        previous.source_system,
        previous.landing_folder,
        previous.source_entity,
        previous.source_file,
        previous.file_bytes,
        'removed' as file_status,
        0 as landed_records,
        'no longer in the landing folder: its rows left the warehouse' as problem,
        cast(null as {{ dbt.type_string() }}) as unexpected_columns,
        cast(null as {{ dbt.type_bigint() }}) as undocumented_members,
        cast(null as {{ dbt.type_bigint() }}) as duplicate_keys,
        {%- if 'removed_at' in previous_columns(previous) %}
        coalesce(previous.removed_at, current_timestamp) as removed_at
        {%- else %}
        current_timestamp as removed_at
        {%- endif %}
    from {{ previous }} as previous
    where
        not exists (
            select 1 as found
            from current_files
            where current_files.source_file = previous.source_file
        )
    {%- else %}
    select * from current_files
    where 1 = 0
    {%- endif %}
),

final as (
    select * from current_files
    union all
    select * from removed
)

select * from final
