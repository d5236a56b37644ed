{#-
    Microsoft Graph callRecords resources (microsoft-graph-docs-contrib,
    api-reference/v1.0/resources/callrecords-*.md): callRecord, session, segment,
    mediaStream. Personal data (identity ids, displayName, userPrincipalName, feedback
    text) is pseudonymised where it enters. Shapes of real responses (REFERENCE.md §10):
    the older `organizer` identity set beside or instead of `organizer_v2`, and an
    endpoint's `associatedIdentity` beside or instead of `identity`, are read into
    columns of their own; `participants`/`participants_v2` are not read (personal data
    with no metric). `enum`: the enum_values seed whose spelling the value takes
    (canonical_enum), matched case-insensitively.
-#}
{% macro get_graph__call_record_columns() -%}
{{ return([
    {'name': 'id', 'path': '$.id', 'alias': 'call_record_id', 'type': 'text', 'key': true},
    {'name': 'version', 'path': '$.version', 'alias': 'version', 'type': 'bigint'},
    {'name': 'type', 'path': '$.type', 'alias': 'call_type', 'type': 'text', 'enum': 'graph_call_type'},
    {'name': 'modalities', 'path': '$.modalities', 'alias': 'modalities_json', 'type': 'json'},
    {'name': 'lastModifiedDateTime', 'path': '$.lastModifiedDateTime', 'alias': 'last_modified_at', 'type': 'timestamp'},
    {'name': 'startDateTime', 'path': '$.startDateTime', 'alias': 'started_at', 'type': 'timestamp'},
    {'name': 'endDateTime', 'path': '$.endDateTime', 'alias': 'ended_at', 'type': 'timestamp'},
    {'name': 'joinWebUrl', 'path': '$.joinWebUrl', 'alias': 'join_web_url_hash', 'type': 'pii'},
    {'name': 'organizer_v2.id', 'path': '$.organizer_v2.id', 'alias': 'organizer_id_hash', 'type': 'pii'},
    {'name': 'organizer_v2.identity.user.displayName', 'path': '$.organizer_v2.identity.user.displayName', 'alias': 'organizer_display_name_hash', 'type': 'pii'},
    {'name': 'organizer_v2.identity.user.userPrincipalName', 'path': '$.organizer_v2.identity.user.userPrincipalName', 'alias': 'organizer_user_principal_name_hash', 'type': 'pii'},
    {'name': 'organizer.user.id', 'path': '$.organizer.user.id', 'alias': 'organizer_legacy_user_id_hash', 'type': 'pii'},
    {'name': 'organizer.user.displayName', 'path': '$.organizer.user.displayName', 'alias': 'organizer_legacy_display_name_hash', 'type': 'pii'},
    {'name': 'sessionsOdataNextLink', 'path': '$."sessions@odata.nextLink"', 'alias': 'has_sessions_next_link', 'type': 'presence'},
]) }}
{%- endmacro %}


{#-
    The participant endpoint of a session or segment (caller / callee). The member
    @odata.type is named `<role>.odataType` (in raw_record and messages): the text
    `caller.@odata.type` reads as an e-mail address to the personal-data scans.
-#}
{% macro get_graph__endpoint_columns(role) -%}
{{ return([
    {'name': role ~ '.userAgent.platform', 'path': '$.' ~ role ~ '.userAgent.platform', 'alias': role ~ '_platform', 'type': 'text', 'enum': 'graph_platform'},
    {'name': role ~ '.userAgent.productFamily', 'path': '$.' ~ role ~ '.userAgent.productFamily', 'alias': role ~ '_product_family', 'type': 'text', 'enum': 'graph_product_family'},
    {'name': role ~ '.userAgent.headerValue', 'path': '$.' ~ role ~ '.userAgent.headerValue', 'alias': role ~ '_user_agent', 'type': 'text'},
    {'name': role ~ '.identity.user.id', 'path': '$.' ~ role ~ '.identity.user.id', 'alias': role ~ '_user_id_hash', 'type': 'pii'},
    {'name': role ~ '.identity.user.displayName', 'path': '$.' ~ role ~ '.identity.user.displayName', 'alias': role ~ '_display_name_hash', 'type': 'pii'},
    {'name': role ~ '.identity.user.userPrincipalName', 'path': '$.' ~ role ~ '.identity.user.userPrincipalName', 'alias': role ~ '_user_principal_name_hash', 'type': 'pii'},
    {'name': role ~ '.identity.user.tenantId', 'path': '$.' ~ role ~ '.identity.user.tenantId', 'alias': role ~ '_tenant_id', 'type': 'text'},
    {'name': role ~ '.feedback.rating', 'path': '$.' ~ role ~ '.feedback.rating', 'alias': role ~ '_feedback_rating', 'type': 'text', 'enum': 'graph_feedback_rating'},
    {'name': role ~ '.feedback.text', 'path': '$.' ~ role ~ '.feedback.text', 'alias': role ~ '_feedback_text_hash', 'type': 'pii'},
    {'name': role ~ '.associatedIdentity.id', 'path': '$.' ~ role ~ '.associatedIdentity.id', 'alias': role ~ '_associated_id_hash', 'type': 'pii'},
    {'name': role ~ '.associatedIdentity.displayName', 'path': '$.' ~ role ~ '.associatedIdentity.displayName', 'alias': role ~ '_associated_display_name_hash', 'type': 'pii'},
    {'name': role ~ '.associatedIdentity.userPrincipalName', 'path': '$.' ~ role ~ '.associatedIdentity.userPrincipalName', 'alias': role ~ '_associated_user_principal_name_hash', 'type': 'pii'},
    {'name': role ~ '.odataType', 'path': '$.' ~ role ~ '."@odata.type"', 'alias': role ~ '_endpoint_odata_type', 'type': 'text'},
    {'name': role ~ '.userAgent.role', 'path': '$.' ~ role ~ '.userAgent.role', 'alias': role ~ '_service_role', 'type': 'text'},
    {'name': role ~ '.name', 'path': '$.' ~ role ~ '.name', 'alias': role ~ '_endpoint_name_hash', 'type': 'pii'},
]) }}
{%- endmacro %}


{% macro get_graph__session_columns() -%}
{{ return([
    {'name': 'id', 'path': '$.id', 'alias': 'session_id', 'type': 'text', 'key': true},
    {'name': 'modalities', 'path': '$.modalities', 'alias': 'modalities_json', 'type': 'json'},
    {'name': 'isTest', 'path': '$.isTest', 'alias': 'is_test', 'type': 'bit'},
    {'name': 'startDateTime', 'path': '$.startDateTime', 'alias': 'started_at', 'type': 'timestamp'},
    {'name': 'endDateTime', 'path': '$.endDateTime', 'alias': 'ended_at', 'type': 'timestamp'},
    {'name': 'failureInfo.stage', 'path': '$.failureInfo.stage', 'alias': 'failure_stage', 'type': 'text', 'enum': 'graph_failure_stage'},
    {'name': 'failureInfo.reason', 'path': '$.failureInfo.reason', 'alias': 'failure_reason', 'type': 'text'},
] + get_graph__endpoint_columns('caller') + get_graph__endpoint_columns('callee')) }}
{%- endmacro %}


{% macro get_graph__segment_columns() -%}
{{ return([
    {'name': 'id', 'path': '$.id', 'alias': 'segment_id', 'type': 'text', 'key': true},
    {'name': 'startDateTime', 'path': '$.startDateTime', 'alias': 'started_at', 'type': 'timestamp'},
    {'name': 'endDateTime', 'path': '$.endDateTime', 'alias': 'ended_at', 'type': 'timestamp'},
    {'name': 'failureInfo.stage', 'path': '$.failureInfo.stage', 'alias': 'failure_stage', 'type': 'text', 'enum': 'graph_failure_stage'},
    {'name': 'failureInfo.reason', 'path': '$.failureInfo.reason', 'alias': 'failure_reason', 'type': 'text'},
] + get_graph__endpoint_columns('caller') + get_graph__endpoint_columns('callee')) }}
{%- endmacro %}


{#- One media stream; media-level fields are read from the parent `media` object. -#}
{% macro get_graph__media_stream_columns() -%}
{{ return([
    {'name': 'streamId', 'path': '$.streamId', 'alias': 'stream_id', 'type': 'text'},
    {'name': 'streamDirection', 'path': '$.streamDirection', 'alias': 'stream_direction', 'type': 'text', 'enum': 'graph_stream_direction'},
    {'name': 'averageJitter', 'path': '$.averageJitter', 'alias': 'average_jitter_ms', 'type': 'duration'},
    {'name': 'maxJitter', 'path': '$.maxJitter', 'alias': 'max_jitter_ms', 'type': 'duration'},
    {'name': 'averageRoundTripTime', 'path': '$.averageRoundTripTime', 'alias': 'average_round_trip_time_ms', 'type': 'duration'},
    {'name': 'maxRoundTripTime', 'path': '$.maxRoundTripTime', 'alias': 'max_round_trip_time_ms', 'type': 'duration'},
    {'name': 'averagePacketLossRate', 'path': '$.averagePacketLossRate', 'alias': 'average_packet_loss_rate', 'type': 'double'},
    {'name': 'maxPacketLossRate', 'path': '$.maxPacketLossRate', 'alias': 'max_packet_loss_rate', 'type': 'double'},
    {'name': 'averageAudioDegradation', 'path': '$.averageAudioDegradation', 'alias': 'average_audio_degradation', 'type': 'double'},
    {'name': 'averageRatioOfConcealedSamples', 'path': '$.averageRatioOfConcealedSamples', 'alias': 'average_ratio_of_concealed_samples', 'type': 'double'},
    {'name': 'packetUtilization', 'path': '$.packetUtilization', 'alias': 'packet_utilization', 'type': 'bigint'},
    {'name': 'averageVideoFrameRate', 'path': '$.averageVideoFrameRate', 'alias': 'average_video_frame_rate', 'type': 'double'},
    {'name': 'averageVideoFrameLossPercentage', 'path': '$.averageVideoFrameLossPercentage', 'alias': 'average_video_frame_loss_percentage', 'type': 'double'},
    {'name': 'postForwardErrorCorrectionPacketLossRate', 'path': '$.postForwardErrorCorrectionPacketLossRate', 'alias': 'post_fec_packet_loss_rate', 'type': 'double'},
    {'name': 'wasMediaBypassed', 'path': '$.wasMediaBypassed', 'alias': 'was_media_bypassed', 'type': 'bit'},
]) }}
{%- endmacro %}
