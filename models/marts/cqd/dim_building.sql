{#-
    The CQD building data (REFERENCE.md section 7): one row per network row of every
    landed building file, with the period the file was valid. Streams point here by
    caller_building_network_key / callee_building_network_key.
-#}
with

buildings as (
    select * from {{ ref('stg_cqd__buildings') }}
),

final as (
    select
        building_network_key,
        building_name,
        network_name,
        network_ip,
        network_range,
        network_ip || '/' || cast(network_range as {{ dbt.type_string() }})
            as network_cidr,
        ownership_type,
        building_type,
        building_office_type,
        city,
        zip_code,
        country,
        state,
        region,
        is_inside_corp,
        is_express_route,
        is_vpn,
        valid_from,
        valid_to,
        valid_to is null as is_current,
        source_file,
        source_row_number
    from buildings
)

select * from final
