-- depends_on: {{ source('cqd', 'building') }}
{#-
    Every line of the CQD building data files in buildings/ (REFERENCE.md section 7;
    docs/LANDING.md), typed and validated like CQD's upload: 14 or 15 fields in CQD's
    order, NetworkIP an IPv4 network address of its NetworkRange (8 to 32), InsideCorp /
    ExpressRoute / VPN 0 or 1, and no two rows of a file for the same range (same
    prefix length and network: overlapping ranges). A bad line stops the build naming
    the file and line (var on_bad_file = fail), or is a rejected row (quarantine).
    A file is valid from the date YYYY-MM-DD in its name (stg_cqd__buildings).
-#}
{{ config(**cqd_base_config('buildings', 'cqd building')) }}
{%- set files = landing_files_to_read('buildings') -%}
{%- set string = dbt.type_string() -%}
{%- set names = [
    'NetworkIP', 'NetworkName', 'NetworkRange', 'BuildingName', 'OwnershipType',
    'BuildingType', 'BuildingOfficeType', 'City', 'ZipCode', 'Country', 'State',
    'Region', 'InsideCorp', 'ExpressRoute', 'VPN',
] %}
with

lines as (
    {{ read_landing_delimited('cqd', files, names | length) }}
),

typed as (
    select
        source_file,
        source_row_number,
        field_count,
        field_1,
        field_2,
        field_3,
        field_4,
        field_5,
        field_6,
        field_7,
        field_8,
        field_9,
        field_10,
        field_11,
        field_12,
        field_13,
        field_14,
        field_15,
        landing_error,
        field_1 as network_ip,
        field_2 as network_name,
        {{ safe_cast('field_3', dbt.type_int()) }} as network_range,
        field_4 as building_name,
        field_5 as ownership_type,
        field_6 as building_type,
        field_7 as building_office_type,
        field_8 as city,
        field_9 as zip_code,
        field_10 as country,
        field_11 as state,
        field_12 as region,
        {{ text_to_boolean('field_13') }} as is_inside_corp,
        {{ text_to_boolean('field_14') }} as is_express_route,
        coalesce({{ text_to_boolean('field_15') }}, false) as is_vpn,
        {{ ipv4_to_int('field_1') }} as network_ip_int
    from lines
),

checked as (
    select
        *,
        concat_ws(
            '; ',
            landing_error,
            case
                when landing_error is null and field_count not in (14, 15)
                    then
                        'expected 14 or 15 fields (CQD building file, no header),'
                        || ' found ' || cast(field_count as {{ string }})
            end,
            case
                when landing_error is null and field_count in (14, 15)
                    then concat_ws(
                        '; ',
                        case
                            when network_ip_int is null
                                then 'NetworkIP: not an IPv4 address'
                        end,
                        case
                            when
                                network_range is null
                                or network_range not between 8 and 32
                                then 'NetworkRange: not an integer from 8 to 32'
                        end,
                        case
                            when
                                network_ip_int is not null
                                and network_range between 8 and 32
                                and network_ip_int
                                % cast(pow(2, 32 - network_range) as bigint) <> 0
                                then
                                    'NetworkIP: not the network address of its /'
                                    || cast(network_range as {{ string }})
                                    || ' range'
                        end,
                        case
                            when is_inside_corp is null or field_13 not in ('0', '1')
                                then 'InsideCorp: not 0 or 1'
                        end,
                        case
                            when is_express_route is null or field_14 not in ('0', '1')
                                then 'ExpressRoute: not 0 or 1'
                        end,
                        case
                            when
                                field_count = 15 and field_15 is not null
                                and field_15 not in ('0', '1')
                                then 'VPN: not 0 or 1'
                        end,
                        cast(null as {{ string }})
                    )
            end,
            cast(null as {{ string }})
        ) as line_error
    from typed
),

{# two good rows of one file for the same range: CQD rejects the upload #}
overlapping as (
    select
        this_line.source_file,
        this_line.source_row_number,
        'overlapping ranges: ' || this_line.network_ip || '/'
        || cast(this_line.network_range as {{ string }}) || ' is also on line '
        || {{ sorted_numbers_text('other.source_row_number', ', ') }} as overlap_error
    from checked as this_line
    inner join checked as other
        on
            this_line.source_file = other.source_file
            and this_line.network_range = other.network_range
            and this_line.network_ip_int = other.network_ip_int
            and this_line.source_row_number <> other.source_row_number
    where this_line.line_error = '' and other.line_error = ''
    group by
        this_line.source_file,
        this_line.source_row_number,
        this_line.network_ip,
        this_line.network_range
),

final as (
    select
        checked.network_ip,
        checked.network_ip_int,
        checked.network_name,
        checked.network_range,
        checked.building_name,
        checked.ownership_type,
        checked.building_type,
        checked.building_office_type,
        checked.city,
        checked.zip_code,
        checked.country,
        checked.state,
        checked.region,
        checked.is_inside_corp,
        checked.is_express_route,
        checked.is_vpn,
        'cqd' as source_system,
        checked.source_file,
        checked.source_row_number,
        cast(null as {{ string }}) as source_path,
        case
            when
                checked.source_row_number is not null
                and nullif(concat_ws(
                    '; ', nullif(checked.line_error, ''),
                    overlapping.overlap_error
                ), '') is not null
                then {{ delimited_raw_record(names, 'checked') }}
        end as raw_record,
        nullif(
            concat_ws('; ', nullif(checked.line_error, ''), overlapping.overlap_error),
            ''
        ) as rejection_reason,
        current_timestamp as loaded_at
    from checked
    left join overlapping
        on
            checked.source_file = overlapping.source_file
            and checked.source_row_number = overlapping.source_row_number
)

select * from final
