{#-
    Drill-down of the CQD poor-stream rate (docs/METRICS.md "Drill-downs"): per day ×
    stream type × dimension × value, where a dimension is one attribute of an endpoint
    side (building, network, subnet, city, country, inside corp, VPN, platform, product
    family, client version, capture / render device, CPU, Wi-Fi band and radio type,
    connection type, endpoint kind). Each stream counts once for its caller side and
    once for its callee side (CQD's "either side" view); a side without a value counts
    under '(unknown)'. Test sessions are left out unless var include_test_sessions.
-#}
{%- set include_test_sessions = (
    var('include_test_sessions') | string | lower in ['true', '1', 'yes']
) -%}
{%- set dimensions = {
    'building': 'building_name',
    'network': 'network_name',
    'subnet': 'subnet',
    'city': 'city',
    'country': 'country',
    'inside_corp': 'is_inside_corp',
    'vpn': 'is_vpn',
    'endpoint_kind': 'endpoint_kind',
    'platform': 'platform',
    'product_family': 'product_family',
    'client_version': 'user_agent',
    'endpoint_model': 'endpoint_model',
    'endpoint_type': 'endpoint_type',
    'capture_device': 'capture_device_name',
    'render_device': 'render_device_name',
    'cpu': 'cpu_name',
    'wifi_band': 'wifi_band',
    'wifi_radio_type': 'wifi_radio_type',
    'connection_type': 'network_connection_type',
} -%}
{%- set bigint = dbt.type_bigint() -%}
{#- Incremental by date (macros/landing/derived_rows.sql): the dates the streams mart
    touched since the last build. -#}
{{ config(**dated_rows_config('session_date', 'fct_graph_media_streams')) }}

with

streams as (
    select * from {{ ref('fct_graph_media_streams') }}
    where
        {{ dates_to_rebuild(
            'session_date', 'fct_graph_media_streams', inputs_version()
        ) | indent(8) }}
        {%- if not include_test_sessions %}
        and not coalesce(is_test, false)
        {%- endif %}
),

sides as (
    {%- for side in ['caller', 'callee'] %}
    {%- set side_loop = loop %}
    {%- for dimension, column in dimensions.items() %}
    select
        session_date,
        stream_type,
        '{{ dimension }}' as drill_dimension,
        coalesce(
            cast({{ side }}_{{ column }} as {{ dbt.type_string() }}), '(unknown)'
        ) as drill_value,
        is_classified,
        is_poor
    from streams
    {%- if not (side_loop.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
),

final as (
    select
        session_date,
        stream_type,
        drill_dimension,
        drill_value,
        cast(count(*) as {{ bigint }}) as stream_sides,
        cast(sum(case when is_classified then 1 else 0 end) as {{ bigint }})
            as classified_stream_sides,
        cast(sum(case when is_poor then 1 else 0 end) as {{ bigint }})
            as poor_stream_sides,
        {{ safe_divide(
            'sum(case when is_poor then 1 else 0 end)',
            'sum(case when is_classified then 1 else 0 end)',
        ) }} as poor_stream_rate
    from sides
    group by session_date, stream_type, drill_dimension, drill_value
)

select * from final
