{#-
    Nothing lost: per source system, entity and landed file, the rows landed (every row of
    the base model: a CSV data record, a JSON record, or a nested Graph entity of a good
    call record), staged (in the stg model, as the latest version of its key), superseded
    (a good row replaced by a later version of the same key: CDR re-exports by
    LastModifiedTime, Graph call records by version, duplicated keys by file and row; the
    sessions, segments and streams of a superseded Graph call record version too) and
    rejected (in staging.rejected_rows). The data tests on this model require
    landed = staged + superseded + rejected per file and per system. A quarantined bad
    file counts as one landed and one rejected row (its records cannot be counted).
-#}
with

files as (
    select
        source_system,
        landing_folder,
        source_file
    from {{ ref('landed_files') }}
    where file_status != 'removed'
),

entity_files as (
    {%- for entity in staged_entities() %}
    select
        source_system,
        '{{ entity.entity }}' as source_entity,
        source_file
    from files
    where landing_folder = '{{ entity.folder }}'
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

rejected as (
    select
        source_system,
        source_entity,
        source_file,
        count(*) as rejected_rows
    from {{ ref('rejected_rows') }}
    group by source_system, source_entity, source_file
),

{% for entity in staged_entities() -%}
{%- set name = entity.system ~ '__' ~ entity.entity %}
{{ name }}_landed as (
    select
        source_file,
        count(*) as landed_rows
    from {{ ref(entity.base) }}
    group by source_file
),

{{ name }}_ranked as (
    {{ ranked_good_rows(
        ref(entity.base), entity['keys'], entity.order_by,
        ref(entity.parent) if entity.parent else none,
    ) }}
),

{{ name }}_superseded as (
    select
        source_file,
        count(*) as superseded_rows
    from {{ name }}_ranked
    where version_rank is null or version_rank > 1
    group by source_file
),

{{ name }}_staged as (
    select
        source_file,
        count(*) as staged_rows
    from {{ ref(entity.stg) }}
    group by source_file
),

{{ name }}_counts as (
    select
        '{{ entity.system }}' as source_system,
        '{{ entity.entity }}' as source_entity,
        landed.source_file,
        landed.landed_rows,
        coalesce(superseded.superseded_rows, 0) as superseded_rows,
        coalesce(staged.staged_rows, 0) as staged_rows
    from {{ name }}_landed as landed
    left join {{ name }}_superseded as superseded
        on landed.source_file = superseded.source_file
    left join {{ name }}_staged as staged
        on landed.source_file = staged.source_file
),

{% endfor -%}
counts as (
    {%- for entity in staged_entities() %}
    select * from {{ entity.system ~ '__' ~ entity.entity }}_counts
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        coalesce(entity_files.source_system, counts.source_system) as source_system,
        coalesce(entity_files.source_entity, counts.source_entity) as source_entity,
        coalesce(entity_files.source_file, counts.source_file) as source_file,
        coalesce(counts.landed_rows, 0) as landed_rows,
        coalesce(counts.staged_rows, 0) as staged_rows,
        coalesce(counts.superseded_rows, 0) as superseded_rows,
        coalesce(rejected.rejected_rows, 0) as rejected_rows
    from entity_files
    full outer join counts
        on
            entity_files.source_system = counts.source_system
            and entity_files.source_entity = counts.source_entity
            and entity_files.source_file = counts.source_file
    left join rejected
        on
            coalesce(entity_files.source_system, counts.source_system)
            = rejected.source_system
            and coalesce(entity_files.source_entity, counts.source_entity)
            = rejected.source_entity
            and coalesce(entity_files.source_file, counts.source_file)
            = rejected.source_file
)

select * from final
