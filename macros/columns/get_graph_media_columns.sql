{#-
    One Graph media object (microsoft-graph-docs-contrib, api-reference/v1.0/resources/
    callrecords-media.md, callrecords-networkinfo.md, callrecords-deviceinfo.md): the
    network and the devices of each side (caller / callee) of a segment's modality. IP,
    reflexive IP and MAC addresses are personal data: pseudonymised. The subnet is the
    key CQD maps to a building (REFERENCE.md section 7), so it is kept in clear.
-#}
{% macro get_graph__media_side_columns(side) -%}
{%- set net = side ~ 'Network' -%}
{%- set dev = side ~ 'Device' -%}
{{ return([
    {'name': net ~ '.connectionType', 'path': '$.' ~ net ~ '.connectionType', 'alias': side ~ '_connection_type', 'type': 'text'},
    {'name': net ~ '.ipAddress', 'path': '$.' ~ net ~ '.ipAddress', 'alias': side ~ '_ip_address_hash', 'type': 'pii'},
    {'name': net ~ '.subnet', 'path': '$.' ~ net ~ '.subnet', 'alias': side ~ '_subnet', 'type': 'text'},
    {'name': net ~ '.reflexiveIPAddress', 'path': '$.' ~ net ~ '.reflexiveIPAddress', 'alias': side ~ '_reflexive_ip_address_hash', 'type': 'pii'},
    {'name': net ~ '.macAddress', 'path': '$.' ~ net ~ '.macAddress', 'alias': side ~ '_mac_address_hash', 'type': 'pii'},
    {'name': net ~ '.linkSpeed', 'path': '$.' ~ net ~ '.linkSpeed', 'alias': side ~ '_link_speed', 'type': 'bigint'},
    {'name': net ~ '.wifiBand', 'path': '$.' ~ net ~ '.wifiBand', 'alias': side ~ '_wifi_band', 'type': 'text'},
    {'name': net ~ '.wifiRadioType', 'path': '$.' ~ net ~ '.wifiRadioType', 'alias': side ~ '_wifi_radio_type', 'type': 'text'},
    {'name': net ~ '.wifiSignalStrength', 'path': '$.' ~ net ~ '.wifiSignalStrength', 'alias': side ~ '_wifi_signal_strength', 'type': 'int'},
    {'name': net ~ '.networkTransportProtocol', 'path': '$.' ~ net ~ '.networkTransportProtocol', 'alias': side ~ '_transport_protocol', 'type': 'text'},
    {'name': dev ~ '.captureDeviceName', 'path': '$.' ~ dev ~ '.captureDeviceName', 'alias': side ~ '_capture_device_name', 'type': 'text'},
    {'name': dev ~ '.captureDeviceDriver', 'path': '$.' ~ dev ~ '.captureDeviceDriver', 'alias': side ~ '_capture_device_driver', 'type': 'text'},
    {'name': dev ~ '.renderDeviceName', 'path': '$.' ~ dev ~ '.renderDeviceName', 'alias': side ~ '_render_device_name', 'type': 'text'},
    {'name': dev ~ '.renderDeviceDriver', 'path': '$.' ~ dev ~ '.renderDeviceDriver', 'alias': side ~ '_render_device_driver', 'type': 'text'},
    {'name': dev ~ '.cpuName', 'path': '$.' ~ dev ~ '.cpuName', 'alias': side ~ '_cpu_name', 'type': 'text'},
    {'name': dev ~ '.cpuCoresCount', 'path': '$.' ~ dev ~ '.cpuCoresCount', 'alias': side ~ '_cpu_cores_count', 'type': 'int'},
    {'name': dev ~ '.cpuProcessorSpeedInMhz', 'path': '$.' ~ dev ~ '.cpuProcessorSpeedInMhz', 'alias': side ~ '_cpu_processor_speed_mhz', 'type': 'int'},
]) }}
{%- endmacro %}


{% macro get_graph__media_columns() -%}
{{ return([
    {'name': 'label', 'path': '$.label', 'alias': 'media_label', 'type': 'text'},
] + get_graph__media_side_columns('caller') + get_graph__media_side_columns('callee')) }}
{%- endmacro %}
