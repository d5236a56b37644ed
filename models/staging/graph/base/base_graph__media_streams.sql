{{ config(materialized='ephemeral') }}
{#-
    Every stream of every media object of the kept segments. A media object with no
    streams (or that is not an object, or whose streams is not an array) would vanish in
    the unnest: it lands as one row with landing_error set, so that it is counted and
    shows in staging.rejected_rows (raw_record holds its label).
-#}
with

segments as (
    select * from {{ ref('base_graph__segments') }}
    where is_latest
),

media as (
    select
        source_file,
        source_row_number,
        source_path as parent_path,
        call_record_id,
        session_id,
        segment_id,
        {{ json_unnest_ordinal('record', '$.media', 'media', 'media_ordinal') }}
    from segments
),

streams as (
    select
        source_file,
        source_row_number,
        parent_path,
        media_ordinal,
        call_record_id,
        session_id,
        segment_id,
        media,
        {{ json_text('media', '$.label') }} as media_label,
        {{ json_text('media', '$.callerNetwork.connectionType') }}
            as caller_network_connection_type,
        {{ json_text('media', '$.calleeNetwork.connectionType') }}
            as callee_network_connection_type,
        {{ json_unnest_ordinal('media', '$.streams', 'record', 'stream_ordinal',
            keep_empty=true) }}
    from media
),

located as (
    select
        source_file,
        source_row_number,
        concat_ws(
            '.',
            parent_path,
            'media[' || cast(media_ordinal - 1 as {{ dbt.type_string() }}) || ']',
            case
                when record is not null
                    then
                        'streams['
                        || cast(stream_ordinal - 1 as {{ dbt.type_string() }})
                        || ']'
            end
        ) as source_path,
        case
            when record is not null then null
            when not {{ json_is_object('media') }}
                then 'media element is not a JSON object'
            when {{ json_is_non_array_at('media', '$.streams') }}
                then 'media streams is not a JSON array'
            else 'media object without streams: nothing to stage'
        end as landing_error,
        case
            when record is null then {{ json_object_text([('label', 'media_label')]) }}
        end as landing_raw,
        call_record_id,
        session_id,
        segment_id,
        media_label,
        caller_network_connection_type,
        callee_network_connection_type,
        record
    from streams
),

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql='select * from located',
        columns=get_graph__media_stream_columns(),
        json_records=true,
        carry=[
            'call_record_id', 'session_id', 'segment_id', 'media_label',
            'caller_network_connection_type', 'callee_network_connection_type',
        ],
        checks=[
            {'condition': 'average_packet_loss_rate < 0 or average_packet_loss_rate > 1',
                'reason': 'averagePacketLossRate outside [0, 1]'},
            {'condition': 'max_packet_loss_rate < 0 or max_packet_loss_rate > 1',
                'reason': 'maxPacketLossRate outside [0, 1]'},
            {'condition': 'average_ratio_of_concealed_samples < 0'
                ~ ' or average_ratio_of_concealed_samples > 1',
                'reason': 'averageRatioOfConcealedSamples outside [0, 1]'},
            {'condition': 'post_fec_packet_loss_rate < 0 or post_fec_packet_loss_rate > 1',
                'reason': 'postForwardErrorCorrectionPacketLossRate outside [0, 1]'},
            {'condition': 'average_video_frame_loss_percentage < 0'
                ~ ' or average_video_frame_loss_percentage > 100',
                'reason': 'averageVideoFrameLossPercentage outside [0, 100]'},
            {'condition': 'packet_utilization < 0', 'reason': 'negative packetUtilization'},
        ],
    ) }}
)

select * from validated
