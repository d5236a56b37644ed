{#-
    One row per Graph media object × side (caller, callee) with the CQD building of its
    network (REFERENCE.md section 7; docs/METRICS.md "Buildings and networks"): the
    building file row valid at the segment's start whose range holds the reported subnet,
    the longest prefix winning; a VPN row (is_vpn) of prefix >= var
    cqd_vpn_min_expanded_prefix also matches every address of its range by the
    pseudonymised IP address (VPN clients misreport their subnet), as a /32 match. A
    side that matches no row is unmapped (is_mapped false): CQD counts it as outside.
    The side's Wi-Fi band and radio type, capture / render devices and CPU ride along.
-#}
{%- set keys = ['call_record_id', 'session_id', 'segment_id', 'media_label', 'side'] -%}
{#- The side's devices and Wi-Fi, carried for the stream fact's drill-downs. -#}
{%- set device_columns = [
    'wifi_band', 'wifi_radio_type', 'capture_device_name', 'render_device_name',
    'cpu_name',
] -%}
{#- Incremental by call record (macros/landing/derived_rows.sql): the call records the
    media level staged since the last build; every row when the building rows or a var
    change (graph_media_buildings_version). Each row's logic_version names the VPN var
    and building rows it was mapped with. -#}
{%- set version = graph_media_buildings_version() -%}
{%- set vpn_version = local_md5(var('cqd_vpn_min_expanded_prefix') | string) -%}
{{ config(**derived_rows_config(
    ['stg_graph__media'], ['call_record_id'], 'graph_media_buildings_version',
)) }}

with

buildings as (
    select * from {{ ref('stg_cqd__buildings') }}
),

rules as (
    select '{{ vpn_version }}|' || {{ cqd_buildings_fingerprint() }} as logic_version
),

media as (
    select * from {{ ref('stg_graph__media') }}
    where {{ rows_to_rebuild(version) }}
),

segments as (
    select * from {{ ref('stg_graph__segments') }}
),

sides as (
    {%- for side in ['caller', 'callee'] %}
    select
        media.call_record_id,
        media.session_id,
        media.segment_id,
        media.media_label,
        '{{ side }}' as side,
        media.{{ side }}_subnet as subnet,
        {{ ipv4_to_int('media.' ~ side ~ '_subnet') }} as subnet_int,
        media.{{ side }}_ip_address_hash as ip_address_hash,
        {%- for column in device_columns %}
        media.{{ side }}_{{ column }} as {{ column }},
        {%- endfor %}
        segments.started_at
    from media
    left join segments
        on
            media.call_record_id = segments.call_record_id
            and media.session_id = segments.session_id
            and media.segment_id = segments.segment_id
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

prefix_lengths as (
    select distinct network_range from buildings
),

subnet_matches as (
    select
        {%- for key in keys %}
        sides.{{ key }},
        {%- endfor %}
        buildings.building_network_key,
        buildings.network_range as matched_prefix,
        false as is_address_match
    from sides
    cross join prefix_lengths
    inner join buildings
        on
            prefix_lengths.network_range = buildings.network_range
            and {{ ipv4_prefix('sides.subnet_int', 'prefix_lengths.network_range') }}
            = {{ ipv4_prefix('buildings.network_ip_int', 'buildings.network_range') }}
            and sides.started_at >= buildings.valid_from
            and (buildings.valid_to is null or sides.started_at < buildings.valid_to)
),

vpn_offsets as (
    select
        building_network_key,
        network_ip_int,
        valid_from,
        valid_to,
        {{ integer_series('cast(pow(2, 32 - network_range) as bigint)') }}
            as address_offset
    from buildings
    where is_vpn and network_range >= {{ var('cqd_vpn_min_expanded_prefix') }}
),

vpn_addresses as (
    select
        building_network_key,
        valid_from,
        valid_to,
        {{ pseudonymize(int_to_ipv4('network_ip_int + address_offset')) }}
            as address_hash
    from vpn_offsets
),

address_matches as (
    select
        {%- for key in keys %}
        sides.{{ key }},
        {%- endfor %}
        vpn_addresses.building_network_key,
        32 as matched_prefix,
        true as is_address_match
    from sides
    inner join vpn_addresses
        on
            sides.ip_address_hash = vpn_addresses.address_hash
            and sides.started_at >= vpn_addresses.valid_from
            and (
                vpn_addresses.valid_to is null
                or sides.started_at < vpn_addresses.valid_to
            )
),

candidates as (
    select * from subnet_matches
    union all
    select * from address_matches
),

best as (
    select
        *,
        row_number() over (
            partition by {{ keys | join(', ') }}
            order by
                matched_prefix desc,
                is_address_match desc,
                building_network_key asc
        ) as match_rank
    from candidates
),

final as (
    select
        {%- for key in keys %}
        sides.{{ key }},
        {%- endfor %}
        sides.subnet,
        {%- for column in device_columns %}
        sides.{{ column }},
        {%- endfor %}
        sides.started_at,
        best.building_network_key is not null as is_mapped,
        best.matched_prefix,
        best.is_address_match,
        buildings.building_network_key,
        buildings.building_name,
        buildings.network_name,
        buildings.network_ip,
        buildings.network_range,
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
        rules.logic_version,
        current_timestamp as staged_at
    from sides
    cross join rules
    left join best
        on
            {%- for key in keys %}
            sides.{{ key }} = best.{{ key }}
            {%- if not loop.last %} and{% endif %}
            {%- endfor %}
            and best.match_rank = 1
    left join buildings
        on best.building_network_key = buildings.building_network_key
)

select * from final
