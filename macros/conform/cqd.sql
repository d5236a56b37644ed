{#-
    Call Quality Dashboard stream classification (REFERENCE.md §3, MicrosoftDocs
    OfficeDocs-SkypeForBusiness Teams/stream-classification-in-call-quality-dashboard.md).
    Returns 'poor', 'good' or 'unclassified'. Every threshold is a var in dbt_project.yml.
-#}

{#- The CQD stream type of a Graph media label. -#}
{% macro cqd_stream_type(media_label) -%}
    case {{ media_label }}
        when 'main-audio' then 'audio'
        when 'main-video' then 'video'
        when 'applicationsharing-video' then 'video_based_screen_sharing'
        when 'applicationsharing-rdp' then 'app_sharing'
        else 'other'
    end
{%- endmacro %}


{% macro cqd_audio_class(s) -%}
    {%- set round_trip = s.round_trip_ms ~ ' > ' ~ var('cqd_audio_round_trip_ms') -%}
    {%- set loss = s.packet_loss_rate ~ ' > ' ~ var('cqd_audio_packet_loss_rate') -%}
    {%- set jitter = s.jitter_ms ~ ' > ' ~ var('cqd_audio_jitter_ms') -%}
    {%- if var('cqd_audio_rule') == 'legacy' -%}
    case
        when {{ round_trip }} or {{ loss }} or {{ jitter }}
            or {{ s.degradation }} > {{ var('cqd_audio_degradation') }}
            or {{ s.concealed_ratio }} > {{ var('cqd_audio_concealed_ratio') }}
            then 'poor'
        when {{ s.round_trip_ms }} is null and {{ s.packet_loss_rate }} is null
            and {{ s.jitter_ms }} is null and {{ s.degradation }} is null
            and {{ s.concealed_ratio }} is null
            then 'unclassified'
        else 'good'
    end
    {%- elif var('cqd_audio_rule') == 'current' -%}
    case
        when coalesce({{ s.packet_utilization }}, 0)
            <= {{ var('cqd_audio_min_packet_utilization') }}
            then 'unclassified'
        when {{ round_trip }} or {{ loss }} or {{ jitter }} then 'poor'
        when {{ s.round_trip_ms }} is null and {{ s.packet_loss_rate }} is null
            and {{ s.jitter_ms }} is null
            then 'unclassified'
        else 'good'
    end
    {%- else -%}
        {{- exceptions.raise_compiler_error(
            "var cqd_audio_rule must be 'current' or 'legacy', not "
            ~ var('cqd_audio_rule')) -}}
    {%- endif -%}
{%- endmacro %}


{#- Video and video-based screen sharing: the first available metric decides. -#}
{% macro cqd_video_class(s, min_frame_rate) -%}
    case
        when {{ s.frame_loss_percentage }} is not null then
            case
                when {{ s.frame_loss_percentage }}
                    > {{ var('cqd_video_frame_loss_percentage') }}
                    then 'poor'
                else 'good'
            end
        when {{ s.frame_rate }} is not null then
            case when {{ s.frame_rate }} < {{ min_frame_rate }} then 'poor' else 'good' end
        when {{ s.post_fec_loss }} is not null then
            case
                when {{ s.post_fec_loss }} > {{ var('cqd_video_post_fec_packet_loss_rate') }}
                    then 'poor'
                else 'good'
            end
        else 'unclassified'
    end
{%- endmacro %}


{#-
    CQD class of one stream. `s` maps metric names to column expressions. App sharing
    needs RDP tile metrics that Graph does not expose: it stays 'unclassified'.
-#}
{% macro cqd_stream_class(stream_type, s) -%}
    case {{ stream_type }}
        when 'audio' then {{ cqd_audio_class(s) }}
        when 'video' then {{ cqd_video_class(s, var('cqd_video_frame_rate')) }}
        when 'video_based_screen_sharing'
            then {{ cqd_video_class(s, var('cqd_screen_sharing_frame_rate')) }}
        else 'unclassified'
    end
{%- endmacro %}


{#-
    A fingerprint of the CQD building rows as mapped (a scalar subquery): a landed,
    changed or removed building file changes it.
-#}
{% macro cqd_buildings_fingerprint() -%}
    {%- set building_columns = [
        'building_network_key', 'network_ip', 'network_ip_int', 'network_range',
        'valid_from', 'valid_to', 'building_name', 'network_name', 'ownership_type',
        'building_type', 'building_office_type', 'city', 'zip_code', 'country', 'state',
        'region', 'is_inside_corp', 'is_express_route', 'is_vpn',
    ] -%}
    (
        select {{ rows_fingerprint(building_columns) }}
        from {{ ref('stg_cqd__buildings') }}
    )
{%- endmacro %}


{#-
    The version of int_graph__media_buildings_mapped (an SQL string expression): its
    vars (inputs_version; the VPN prefix among them) and the building rows it maps to.
-#}
{% macro graph_media_buildings_version() -%}
    {{ inputs_version() }} || '|' || {{ cqd_buildings_fingerprint() }}
{%- endmacro %}


{#-
    The version of int_graph__segments_ordered (an SQL string expression): its vars and
    seed (inputs_version) and the CQD endpoint rows it joins.
-#}
{% macro graph_segments_ordered_version() -%}
    {{ inputs_version() }} || '|' || (
        select {{ rows_fingerprint(['endpoint_name_hash', 'endpoint_model', 'endpoint_type']) }}
        from {{ ref('stg_cqd__endpoints') }}
    )
{%- endmacro %}
