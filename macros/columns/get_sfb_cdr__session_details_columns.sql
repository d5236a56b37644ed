{#-
    SfB LcsCDR `SessionDetails` (docs: Skype/SfbServer/schema-reference/.../sessiondetails.md).
    `aliases`: the known alternative spellings of a column in real exports, the one mapping
    of this source (csv_header_match): the live database spells the two ReplaceDialogId
    columns `ReplacesDialogIdTime` / `ReplacesDialogIdSeq` (REFERENCE.md §10, from the
    index scripts run against production LcsCDR databases), so a `SELECT *` or bcp
    export carries those names.
-#}
{% macro get_sfb_cdr__session_details_columns() -%}
{{ return([
    {'name': 'SessionIdTime', 'alias': 'session_id_time', 'type': 'datetime', 'key': true},
    {'name': 'SessionIdSeq', 'alias': 'session_id_seq', 'type': 'int', 'key': true},
    {'name': 'CorrelationId', 'alias': 'correlation_id', 'type': 'guid'},
    {'name': 'ReplaceDialogIdTime', 'alias': 'replace_dialog_id_time', 'type': 'datetime',
        'aliases': ['ReplacesDialogIdTime']},
    {'name': 'ReplaceDialogIdSeq', 'alias': 'replace_dialog_id_seq', 'type': 'int',
        'aliases': ['ReplacesDialogIdSeq']},
    {'name': 'User1Id', 'alias': 'user1_id', 'type': 'int'},
    {'name': 'User2Id', 'alias': 'user2_id', 'type': 'int'},
    {'name': 'User1EndpointId', 'alias': 'user1_endpoint_id', 'type': 'guid'},
    {'name': 'User2EndpointId', 'alias': 'user2_endpoint_id', 'type': 'guid'},
    {'name': 'TargetUserId', 'alias': 'target_user_id', 'type': 'int'},
    {'name': 'SessionStartedById', 'alias': 'session_started_by_id', 'type': 'int'},
    {'name': 'OnBehalfOfId', 'alias': 'on_behalf_of_id', 'type': 'int'},
    {'name': 'ReferredById', 'alias': 'referred_by_id', 'type': 'int'},
    {'name': 'ServerId', 'alias': 'server_id', 'type': 'int'},
    {'name': 'PoolId', 'alias': 'pool_id', 'type': 'int'},
    {'name': 'ContentTypeID', 'alias': 'content_type_id', 'type': 'int'},
    {'name': 'User1ClientVerId', 'alias': 'user1_client_ver_id', 'type': 'int'},
    {'name': 'User2ClientVerId', 'alias': 'user2_client_ver_id', 'type': 'int'},
    {'name': 'User1EdgeServerid', 'alias': 'user1_edge_server_id', 'type': 'int'},
    {'name': 'User2EdgeServerid', 'alias': 'user2_edge_server_id', 'type': 'int'},
    {'name': 'IsUser1Internal', 'alias': 'is_user1_internal', 'type': 'bit'},
    {'name': 'IsUser2Internal', 'alias': 'is_user2_internal', 'type': 'bit'},
    {'name': 'InviteTime', 'alias': 'invite_time', 'type': 'datetime'},
    {'name': 'ResponseTime', 'alias': 'response_time', 'type': 'datetime'},
    {'name': 'ResponseCode', 'alias': 'response_code', 'type': 'int'},
    {'name': 'DiagnosticId', 'alias': 'diagnostic_id', 'type': 'int'},
    {'name': 'CallPriority', 'alias': 'call_priority', 'type': 'int'},
    {'name': 'User1MessageCount', 'alias': 'user1_message_count', 'type': 'int'},
    {'name': 'User2MessageCount', 'alias': 'user2_message_count', 'type': 'int'},
    {'name': 'SessionEndTime', 'alias': 'session_end_time', 'type': 'datetime'},
    {'name': 'MediaTypes', 'alias': 'media_types', 'type': 'int'},
    {'name': 'User1Flag', 'alias': 'user1_flag', 'type': 'smallint'},
    {'name': 'User2Flag', 'alias': 'user2_flag', 'type': 'smallint'},
    {'name': 'CallFlag', 'alias': 'call_flag', 'type': 'smallint'},
    {'name': 'Processed', 'alias': 'processed', 'type': 'bit'},
    {'name': 'LastModifiedTime', 'alias': 'last_modified_time', 'type': 'datetime'},
]) }}
{%- endmacro %}
