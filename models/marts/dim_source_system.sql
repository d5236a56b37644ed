with

systems as (
    select * from {{ ref('source_systems') }}
),

final as (
    select
        source_system,
        system_name,
        vendor,
        source_table,
        landing_folder,
        description
    from systems
)

select * from final
