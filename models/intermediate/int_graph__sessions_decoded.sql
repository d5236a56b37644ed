{#- Graph sessions with their enums decoded and their streams' CQD classes counted.
    Incremental by call record (macros/landing/derived_rows.sql): the call records
    whose sessions, call record or streams were staged since the last build. -#}
{%- set parents = [
    'stg_graph__sessions', 'stg_graph__call_records',
    'int_graph__media_streams_classified',
] -%}
{%- set rebuilt_calls = units_to_rebuild(
    parents, ['call_record_id'], inputs_version()
) -%}
{{ config(**derived_rows_config(parents, ['call_record_id'])) }}

with

sessions as (
    select * from {{ ref('stg_graph__sessions') }}
    where {{ rebuilt_calls | indent(4) }}
),

call_records as (
    select * from {{ ref('stg_graph__call_records') }}
    where {{ rebuilt_calls | indent(4) }}
),

streams as (
    select * from {{ ref('int_graph__media_streams_classified') }}
    where {{ rebuilt_calls | indent(4) }}
),

session_quality as (
    select
        call_record_id,
        session_id,
        count(*) as stream_count,
        cast(
            sum(case when cqd_class <> 'unclassified' then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as classified_stream_count,
        cast(
            sum(case when cqd_class = 'poor' then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as poor_stream_count
    from streams
    group by call_record_id, session_id
),

decoded as (
    select
        {{ columns_staged_now('sessions') }},
        call_records.call_type,
        {{ decode_enum('call_records.call_type', 'graph_call_type') }}
            as call_type_name,
        {{ decode_enum('sessions.failure_stage', 'graph_failure_stage') }}
            as failure_stage_name,
        {{ decode_enum('sessions.caller_platform', 'graph_platform') }}
            as caller_platform_name,
        {{ decode_enum('sessions.callee_platform', 'graph_platform') }}
            as callee_platform_name,
        {{ decode_enum('sessions.caller_product_family', 'graph_product_family') }}
            as caller_product_family_name,
        {{ decode_enum('sessions.callee_product_family', 'graph_product_family') }}
            as callee_product_family_name,
        {{ decode_enum('sessions.caller_feedback_rating', 'graph_feedback_rating') }}
            as caller_feedback_rating_name,
        {{ decode_enum('sessions.callee_feedback_rating', 'graph_feedback_rating') }}
            as callee_feedback_rating_name,
        cast(
            {{ conform_enum(
                'sessions.caller_feedback_rating', 'graph_feedback_rating'
            ) }}
            as {{ dbt.type_int() }}
        ) as caller_feedback_score,
        cast(
            {{ conform_enum(
                'sessions.callee_feedback_rating', 'graph_feedback_rating'
            ) }}
            as {{ dbt.type_int() }}
        ) as callee_feedback_score,
        {%- for modality in [
            'audio', 'video', 'videoBasedScreenSharing', 'screenSharing', 'data',
        ] %}
        coalesce({{ list_has('sessions.modalities', "'" ~ modality ~ "'") }}, false)
            as modality_{{ modality | lower }},
        {%- endfor %}
        coalesce(session_quality.stream_count, 0) as stream_count,
        coalesce(session_quality.classified_stream_count, 0) as classified_stream_count,
        coalesce(session_quality.poor_stream_count, 0) as poor_stream_count
    from sessions
    left join call_records
        on sessions.call_record_id = call_records.call_record_id
    left join session_quality
        on
            sessions.call_record_id = session_quality.call_record_id
            and sessions.session_id = session_quality.session_id
)

select * from decoded
