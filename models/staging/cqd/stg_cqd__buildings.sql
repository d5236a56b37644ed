{#-
    The good rows of the CQD building files, effective dated: a file is valid from the
    date YYYY-MM-DD in its name (00:00 UTC; 1970-01-01 when the name holds no date)
    until the next file's start (files ordered by start date, then name). A stream maps
    by the file valid at its start (int_graph__media_buildings_mapped).
-#}
{%- set entity = staged_entity('stg_cqd__buildings') -%}
with

buildings as (
    select * from {{ ref(entity.base) }}
    where rejection_reason is null
),

files as (
    select distinct
        source_file,
        coalesce(
            {{ safe_cast(
                "regexp_extract(source_file, '([0-9]{4}-[0-9]{2}-[0-9]{2})[^/]*$', 1)",
                'date',
            ) }},
            cast('1970-01-01' as date)
        ) as valid_from_date
    from buildings
),

file_periods as (
    select
        source_file,
        cast(valid_from_date as timestamp) as valid_from,
        lead(cast(valid_from_date as timestamp)) over (
            order by valid_from_date, source_file
        ) as valid_to
    from files
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'buildings.source_file', "'|'", 'buildings.network_ip', "'/'",
            'cast(buildings.network_range as ' ~ dbt.type_string() ~ ')',
        ])) }} as building_network_key,
        buildings.network_ip,
        buildings.network_ip_int,
        buildings.network_range,
        buildings.network_name,
        buildings.building_name,
        buildings.ownership_type,
        buildings.building_type,
        buildings.building_office_type,
        buildings.city,
        buildings.zip_code,
        buildings.country,
        buildings.state,
        buildings.region,
        buildings.is_inside_corp,
        buildings.is_express_route,
        buildings.is_vpn,
        file_periods.valid_from,
        file_periods.valid_to,
        buildings.source_file,
        buildings.source_row_number,
        buildings.loaded_at
    from buildings
    inner join file_periods
        on buildings.source_file = file_periods.source_file
)

select * from final
