{#-
    CQD's First / Second endpoint of every Graph segment (REFERENCE.md section 7;
    docs/METRICS.md "First and Second"): a server endpoint (Graph serviceEndpoint) is
    First when one takes part; two endpoints of the same kind are ordered by the seed
    cqd_user_agent_categories (servers by userAgent.role, clients by platform; a
    category not in the seed sorts last); a tie puts the caller First. The segment's
    endpoint fields fall back to its session's when the segment has none. The endpoint
    model and type come from the CQD endpoint file, joined on the pseudonymised name.
    Incremental by call record (macros/landing/derived_rows.sql); a changed endpoint
    file, seed row or var rebuilds every row (graph_segments_ordered_version).
-#}
{%- set parents = ['stg_graph__segments', 'stg_graph__sessions'] -%}
{%- set version = graph_segments_ordered_version() -%}
{{ config(**derived_rows_config(
    parents, ['call_record_id'], 'graph_segments_ordered_version',
)) }}

with

segments as (
    select * from {{ ref('stg_graph__segments') }}
    where {{ units_to_rebuild(parents, ['call_record_id'], version) | indent(4) }}
),

sessions as (
    select * from {{ ref('stg_graph__sessions') }}
    where {{ units_to_rebuild(parents, ['call_record_id'], version) | indent(4) }}
),

categories as (
    select * from {{ ref('cqd_user_agent_categories') }}
),

endpoint_data as (
    select * from {{ ref('stg_cqd__endpoints') }}
),

endpoints as (
    select
        segments.call_record_id,
        segments.session_id,
        segments.segment_id,
        {%- for side in ['caller', 'callee'] %}
        {%- for column in ['endpoint_odata_type', 'service_role', 'platform',
            'product_family', 'user_agent', 'endpoint_name_hash'] %}
        coalesce(
            segments.{{ side }}_{{ column }}, sessions.{{ side }}_{{ column }}
        ) as {{ side }}_{{ column }},
        {%- endfor %}
        {%- endfor %}
        segments.started_at
    from segments
    left join sessions
        on
            segments.call_record_id = sessions.call_record_id
            and segments.session_id = sessions.session_id
),

kinds as (
    select
        *,
        case
            when lower(caller_endpoint_odata_type) like '%serviceendpoint'
                then 'server'
            else 'client'
        end as caller_endpoint_kind,
        case
            when lower(callee_endpoint_odata_type) like '%serviceendpoint'
                then 'server'
            else 'client'
        end as callee_endpoint_kind,
        case
            when lower(caller_endpoint_odata_type) like '%serviceendpoint'
                then caller_service_role
            else caller_platform
        end as caller_user_agent_category,
        case
            when lower(callee_endpoint_odata_type) like '%serviceendpoint'
                then callee_service_role
            else callee_platform
        end as callee_user_agent_category
    from endpoints
),

ranked as (
    select
        kinds.*,
        case when kinds.caller_endpoint_kind = 'server' then 0 else 1 end
            as caller_kind_rank,
        case when kinds.callee_endpoint_kind = 'server' then 0 else 1 end
            as callee_kind_rank,
        coalesce(caller_categories.sort_order, 1000000) as caller_category_rank,
        coalesce(callee_categories.sort_order, 1000000) as callee_category_rank
    from kinds
    left join categories as caller_categories
        on
            kinds.caller_endpoint_kind = caller_categories.endpoint_kind
            and kinds.caller_user_agent_category = caller_categories.user_agent_category
    left join categories as callee_categories
        on
            kinds.callee_endpoint_kind = callee_categories.endpoint_kind
            and kinds.callee_user_agent_category = callee_categories.user_agent_category
),

final as (
    select
        ranked.call_record_id,
        ranked.session_id,
        ranked.segment_id,
        {%- for side in ['caller', 'callee'] %}
        ranked.{{ side }}_endpoint_kind,
        ranked.{{ side }}_user_agent_category,
        ranked.{{ side }}_platform,
        ranked.{{ side }}_product_family,
        ranked.{{ side }}_user_agent,
        {%- endfor %}
        caller_endpoint_data.endpoint_model as caller_endpoint_model,
        caller_endpoint_data.endpoint_type as caller_endpoint_type,
        callee_endpoint_data.endpoint_model as callee_endpoint_model,
        callee_endpoint_data.endpoint_type as callee_endpoint_type,
        ranked.caller_kind_rank < ranked.callee_kind_rank
        or (
            ranked.caller_kind_rank = ranked.callee_kind_rank
            and ranked.caller_category_rank <= ranked.callee_category_rank
        ) as first_is_caller,
        current_timestamp as staged_at
    from ranked
    left join endpoint_data as caller_endpoint_data
        on ranked.caller_endpoint_name_hash = caller_endpoint_data.endpoint_name_hash
    left join endpoint_data as callee_endpoint_data
        on ranked.callee_endpoint_name_hash = callee_endpoint_data.endpoint_name_hash
)

select * from final
