{#- SfB QoE `Session` (docs: Skype/SfbServer/schema-reference/.../session.md). -#}
{% macro get_sfb_qoe__session_columns() -%}
{{ return([
    {'name': 'ConferenceDateTime', 'alias': 'conference_date_time', 'type': 'datetime', 'key': true},
    {'name': 'SessionSeq', 'alias': 'session_seq', 'type': 'int', 'key': true},
    {'name': 'ConferenceKey', 'alias': 'conference_key', 'type': 'int'},
    {'name': 'CorrelationKey', 'alias': 'correlation_key', 'type': 'int'},
    {'name': 'DialogCategory', 'alias': 'dialog_category', 'type': 'bit'},
    {'name': 'MediationServerBypassFlag', 'alias': 'mediation_server_bypass_flag', 'type': 'bit'},
    {'name': 'MediaBypassWarningFlag', 'alias': 'media_bypass_warning_flag', 'type': 'int'},
    {'name': 'StartTime', 'alias': 'start_time', 'type': 'datetime'},
    {'name': 'EndTime', 'alias': 'end_time', 'type': 'datetime'},
    {'name': 'CallerPool', 'alias': 'caller_pool', 'type': 'int'},
    {'name': 'CalleePool', 'alias': 'callee_pool', 'type': 'int'},
    {'name': 'CalleePAI', 'alias': 'callee_pai', 'type': 'int'},
    {'name': 'CallerURI', 'alias': 'caller_uri', 'type': 'int'},
    {'name': 'CallerEndpoint', 'alias': 'caller_endpoint', 'type': 'int'},
    {'name': 'CallerUserAgent', 'alias': 'caller_user_agent', 'type': 'int'},
    {'name': 'CallPriority', 'alias': 'call_priority', 'type': 'smallint'},
    {'name': 'ClassifiedPoorCall', 'alias': 'classified_poor_call', 'type': 'bit'},
    {'name': 'CallerPAI', 'alias': 'caller_pai', 'type': 'int'},
    {'name': 'CalleeEndpoint', 'alias': 'callee_endpoint', 'type': 'int'},
    {'name': 'CalleeUserAgent', 'alias': 'callee_user_agent', 'type': 'int'},
    {'name': 'CalleeUri', 'alias': 'callee_uri', 'type': 'int'},
]) }}
{%- endmacro %}
