{#- Syllable `Session` and `SessionLabel` (asksyllable/syllable-sdk-python models). -#}
{% macro get_syllable__session_columns() -%}
{{ return([
    {'name': 'timestamp', 'path': '$.timestamp', 'alias': 'session_timestamp', 'type': 'timestamp', 'key': true},
    {'name': 'session_id', 'path': '$.session_id', 'alias': 'session_id', 'type': 'text', 'key': true},
    {'name': 'conversation_id', 'path': '$.conversation_id', 'alias': 'conversation_id', 'type': 'text'},
    {'name': 'channel_manager_service', 'path': '$.channel_manager_service', 'alias': 'channel_manager_service', 'type': 'text'},
    {'name': 'channel_manager_type', 'path': '$.channel_manager_type', 'alias': 'channel_manager_type', 'type': 'text'},
    {'name': 'channel_manager_sid', 'path': '$.channel_manager_sid', 'alias': 'channel_manager_sid', 'type': 'text'},
    {'name': 'agent_id', 'path': '$.agent_id', 'alias': 'agent_id', 'type': 'text'},
    {'name': 'agent_name', 'path': '$.agent_name', 'alias': 'agent_name', 'type': 'text'},
    {'name': 'agent_type', 'path': '$.agent_type', 'alias': 'agent_type', 'type': 'text'},
    {'name': 'agent_timezone', 'path': '$.agent_timezone', 'alias': 'agent_timezone', 'type': 'text'},
    {'name': 'prompt_id', 'path': '$.prompt_id', 'alias': 'prompt_id', 'type': 'text'},
    {'name': 'prompt_name', 'path': '$.prompt_name', 'alias': 'prompt_name', 'type': 'text'},
    {'name': 'prompt_version', 'path': '$.prompt_version', 'alias': 'prompt_version', 'type': 'text'},
    {'name': 'prompt_version_number', 'path': '$.prompt_version_number', 'alias': 'prompt_version_number', 'type': 'int'},
    {'name': 'duration', 'path': '$.duration', 'alias': 'duration_seconds', 'type': 'double'},
    {'name': 'session_label_id', 'path': '$.session_label_id', 'alias': 'session_label_id', 'type': 'text'},
    {'name': 'source', 'path': '$.source', 'alias': 'source_hash', 'type': 'pii'},
    {'name': 'target', 'path': '$.target', 'alias': 'target', 'type': 'text'},
    {'name': 'is_legacy', 'path': '$.is_legacy', 'alias': 'is_legacy', 'type': 'bit'},
    {'name': 'is_test', 'path': '$.is_test', 'alias': 'is_test', 'type': 'bit'},
    {'name': 'is_outbound', 'path': '$.is_outbound', 'alias': 'is_outbound', 'type': 'bit'},
    {'name': 'user_terminated', 'path': '$.user_terminated', 'alias': 'user_terminated', 'type': 'bit'},
    {'name': 'transfer_voicemail_detected', 'path': '$.transfer_voicemail_detected', 'alias': 'transfer_voicemail_detected', 'type': 'bit'},
]) }}
{%- endmacro %}


{% macro get_syllable__session_label_columns() -%}
{{ return([
    {'name': 'id', 'path': '$.id', 'alias': 'session_label_id', 'type': 'bigint', 'key': true},
    {'name': 'session_id', 'path': '$.session_id', 'alias': 'session_id', 'type': 'bigint'},
    {'name': 'type', 'path': '$.type', 'alias': 'label_type', 'type': 'text'},
    {'name': 'code', 'path': '$.code', 'alias': 'label_code', 'type': 'text'},
    {'name': 'user_email', 'path': '$.user_email', 'alias': 'user_email_hash', 'type': 'pii'},
    {'name': 'timestamp', 'path': '$.timestamp', 'alias': 'labelled_at', 'type': 'timestamp'},
    {'name': 'comments', 'path': '$.comments', 'alias': 'comments_hash', 'type': 'pii'},
    {'name': 'issue_categories', 'path': '$.issue_categories', 'alias': 'issue_categories_json', 'type': 'json'},
]) }}
{%- endmacro %}
