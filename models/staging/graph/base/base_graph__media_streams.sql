{{ config(materialized='ephemeral') }}
with

segments as (
    select * from {{ ref('base_graph__segments') }}
    where rejection_reason is null
),

media as (
    select
        source_file,
        source_row_number,
        call_record_id,
        session_id,
        segment_id,
        cast({{ json_unnest('record', '$.media') }} as {{ dbt.type_string() }}) as media
    from segments
),

streams as (
    select
        source_file,
        source_row_number,
        cast(null as {{ dbt.type_string() }}) as landing_error,
        call_record_id,
        session_id,
        segment_id,
        {{ json_text('media', '$.label') }} as media_label,
        {{ json_text('media', '$.callerNetwork.connectionType') }}
            as caller_network_connection_type,
        {{ json_text('media', '$.calleeNetwork.connectionType') }}
            as callee_network_connection_type,
        cast({{ json_unnest('media', '$.streams') }} as {{ dbt.type_string() }})
            as record
    from media
),

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql='select * from streams',
        columns=get_graph__media_stream_columns(),
        json_records=true,
        carry=[
            'call_record_id', 'session_id', 'segment_id', 'media_label',
            'caller_network_connection_type', 'callee_network_connection_type',
        ],
        checks=[
            {'condition': 'average_packet_loss_rate < 0 or average_packet_loss_rate > 1',
                'reason': 'averagePacketLossRate outside [0, 1]'},
            {'condition': 'packet_utilization < 0', 'reason': 'negative packetUtilization'},
        ],
    ) }}
)

select * from validated
