{#-
    SuperOffice `chat_session` (docs: superoffice-docs docs/en/database/tables/chat-session.md).
    `session_key` (an authentication secret) is deliberately absent: it is never read.
-#}
{% macro get_superoffice__chat_session_columns() -%}
{{ return([
    {'name': 'id', 'alias': 'chat_session_id', 'type': 'int', 'key': true},
    {'name': 'topic_id', 'alias': 'topic_id', 'type': 'int'},
    {'name': 'user_id', 'alias': 'user_id', 'type': 'int'},
    {'name': 'customer_id', 'alias': 'customer_id', 'type': 'int'},
    {'name': 'customer_alias', 'alias': 'customer_alias_hash', 'type': 'pii'},
    {'name': 'status', 'alias': 'status', 'type': 'smallint'},
    {'name': 'when_requested', 'alias': 'when_requested', 'type': 'datetime'},
    {'name': 'when_started', 'alias': 'when_started', 'type': 'datetime'},
    {'name': 'when_ended', 'alias': 'when_ended', 'type': 'datetime'},
    {'name': 'idle', 'alias': 'idle', 'type': 'datetime'},
    {'name': 'customer_fetch', 'alias': 'customer_fetch', 'type': 'datetime'},
    {'name': 'initial_queue_pos', 'alias': 'initial_queue_pos', 'type': 'int'},
    {'name': 'customer_host', 'alias': 'customer_host_hash', 'type': 'pii'},
    {'name': 'alert_level', 'alias': 'alert_level', 'type': 'int'},
    {'name': 'rank', 'alias': 'rank', 'type': 'int'},
    {'name': 'name', 'alias': 'name_hash', 'type': 'pii'},
    {'name': 'company_name', 'alias': 'company_name_hash', 'type': 'pii'},
    {'name': 'email', 'alias': 'email_hash', 'type': 'pii'},
    {'name': 'phone', 'alias': 'phone_hash', 'type': 'pii'},
    {'name': 'first_message', 'alias': 'first_message_hash', 'type': 'pii'},
    {'name': 'last_message', 'alias': 'last_message_hash', 'type': 'pii'},
    {'name': 'flags', 'alias': 'flags', 'type': 'int'},
    {'name': 'project_id', 'alias': 'project_id', 'type': 'int'},
    {'name': 'sale_id', 'alias': 'sale_id', 'type': 'int'},
    {'name': 'ticket_id', 'alias': 'ticket_id', 'type': 'int'},
    {'name': 'contact_id', 'alias': 'contact_id', 'type': 'int'},
    {'name': 'transfer_to', 'alias': 'transfer_to', 'type': 'int'},
    {'name': 'consented', 'alias': 'consented', 'type': 'bit'},
    {'name': 'chatbot_isactive', 'alias': 'chatbot_isactive', 'type': 'bit'},
    {'name': 'country', 'alias': 'country', 'type': 'int'},
    {'name': 'rating', 'alias': 'rating', 'type': 'int'},
]) }}
{%- endmacro %}
