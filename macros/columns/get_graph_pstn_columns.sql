{#-
    Microsoft Graph PSTN and Direct Routing call reports (microsoft-graph-docs-contrib,
    api-reference/v1.0/resources/callrecords-pstncallloginfo.md and
    callrecords-directroutingloginfo.md): one pstnCallLogRow / directRoutingLogRow per
    call. User ids, names and phone numbers are pseudonymised where they enter.
-#}
{% macro get_graph_pstn__call_columns() -%}
{{ return([
    {'name': 'id', 'path': '$.id', 'alias': 'pstn_call_id', 'type': 'text', 'key': true},
    {'name': 'callId', 'path': '$.callId', 'alias': 'call_id', 'type': 'text'},
    {'name': 'userId', 'path': '$.userId', 'alias': 'user_id_hash', 'type': 'pii'},
    {'name': 'userPrincipalName', 'path': '$.userPrincipalName', 'alias': 'user_principal_name_hash', 'type': 'pii'},
    {'name': 'userDisplayName', 'path': '$.userDisplayName', 'alias': 'user_display_name_hash', 'type': 'pii'},
    {'name': 'startDateTime', 'path': '$.startDateTime', 'alias': 'started_at', 'type': 'timestamp'},
    {'name': 'endDateTime', 'path': '$.endDateTime', 'alias': 'ended_at', 'type': 'timestamp'},
    {'name': 'duration', 'path': '$.duration', 'alias': 'duration_seconds', 'type': 'int'},
    {'name': 'charge', 'path': '$.charge', 'alias': 'charge', 'type': 'double'},
    {'name': 'connectionCharge', 'path': '$.connectionCharge', 'alias': 'connection_charge', 'type': 'double'},
    {'name': 'currency', 'path': '$.currency', 'alias': 'currency', 'type': 'text'},
    {'name': 'callType', 'path': '$.callType', 'alias': 'call_type', 'type': 'text'},
    {'name': 'calleeNumber', 'path': '$.calleeNumber', 'alias': 'callee_number_hash', 'type': 'pii'},
    {'name': 'callerNumber', 'path': '$.callerNumber', 'alias': 'caller_number_hash', 'type': 'pii'},
    {'name': 'usageCountryCode', 'path': '$.usageCountryCode', 'alias': 'usage_country_code', 'type': 'text'},
    {'name': 'tenantCountryCode', 'path': '$.tenantCountryCode', 'alias': 'tenant_country_code', 'type': 'text'},
    {'name': 'destinationContext', 'path': '$.destinationContext', 'alias': 'destination_context', 'type': 'text'},
    {'name': 'destinationName', 'path': '$.destinationName', 'alias': 'destination_name', 'type': 'text'},
    {'name': 'conferenceId', 'path': '$.conferenceId', 'alias': 'conference_id', 'type': 'text'},
    {'name': 'licenseCapability', 'path': '$.licenseCapability', 'alias': 'license_capability', 'type': 'text'},
    {'name': 'inventoryType', 'path': '$.inventoryType', 'alias': 'inventory_type', 'type': 'text'},
    {'name': 'operator', 'path': '$.operator', 'alias': 'operator_name', 'type': 'text'},
    {'name': 'callDurationSource', 'path': '$.callDurationSource', 'alias': 'call_duration_source', 'type': 'text'},
]) }}
{%- endmacro %}


{#-
    failureDateTime is staged as text: `0001-01-01T00:00:00Z` means "no failure" and is
    outside the plausible timestamp range, so stg_graph_direct_routing__calls turns it into
    failed_at with direct_routing_failed_at().
-#}
{% macro get_graph_direct_routing__call_columns() -%}
{{ return([
    {'name': 'id', 'path': '$.id', 'alias': 'direct_routing_call_id', 'type': 'text', 'key': true},
    {'name': 'correlationId', 'path': '$.correlationId', 'alias': 'correlation_id', 'type': 'text'},
    {'name': 'userId', 'path': '$.userId', 'alias': 'user_id_hash', 'type': 'pii'},
    {'name': 'userPrincipalName', 'path': '$.userPrincipalName', 'alias': 'user_principal_name_hash', 'type': 'pii'},
    {'name': 'userDisplayName', 'path': '$.userDisplayName', 'alias': 'user_display_name_hash', 'type': 'pii'},
    {'name': 'startDateTime', 'path': '$.startDateTime', 'alias': 'started_at', 'type': 'timestamp'},
    {'name': 'inviteDateTime', 'path': '$.inviteDateTime', 'alias': 'invited_at', 'type': 'timestamp'},
    {'name': 'failureDateTime', 'path': '$.failureDateTime', 'alias': 'failure_date_time_text', 'type': 'text'},
    {'name': 'endDateTime', 'path': '$.endDateTime', 'alias': 'ended_at', 'type': 'timestamp'},
    {'name': 'duration', 'path': '$.duration', 'alias': 'duration_seconds', 'type': 'int'},
    {'name': 'callType', 'path': '$.callType', 'alias': 'call_type', 'type': 'text'},
    {'name': 'successfulCall', 'path': '$.successfulCall', 'alias': 'is_successful_call', 'type': 'bit'},
    {'name': 'callerNumber', 'path': '$.callerNumber', 'alias': 'caller_number_hash', 'type': 'pii'},
    {'name': 'calleeNumber', 'path': '$.calleeNumber', 'alias': 'callee_number_hash', 'type': 'pii'},
    {'name': 'mediaPathLocation', 'path': '$.mediaPathLocation', 'alias': 'media_path_location', 'type': 'text'},
    {'name': 'signalingLocation', 'path': '$.signalingLocation', 'alias': 'signaling_location', 'type': 'text'},
    {'name': 'finalSipCode', 'path': '$.finalSipCode', 'alias': 'final_sip_code', 'type': 'int'},
    {'name': 'callEndSubReason', 'path': '$.callEndSubReason', 'alias': 'call_end_sub_reason', 'type': 'int'},
    {'name': 'finalSipCodePhrase', 'path': '$.finalSipCodePhrase', 'alias': 'final_sip_code_phrase', 'type': 'text'},
    {'name': 'trunkFullyQualifiedDomainName', 'path': '$.trunkFullyQualifiedDomainName', 'alias': 'trunk_fqdn', 'type': 'text'},
    {'name': 'mediaBypassEnabled', 'path': '$.mediaBypassEnabled', 'alias': 'is_media_bypass_enabled', 'type': 'bit'},
]) }}
{%- endmacro %}


{#-
    failureDateTime text -> UTC timestamp: NULL for the documented "no failure" value
    0001-01-01T00:00:00Z (any 0001-01-01 time) and for NULL. One place for the rule:
    the base model's check and the stg model both use it.
-#}
{% macro direct_routing_failed_at(text_expr) -%}
    case
        when {{ text_expr }} not like '0001-01-01%'
            then {{ plausible_timestamp(iso8601_to_utc(text_expr)) }}
    end
{%- endmacro %}
