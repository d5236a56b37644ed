{#-
    CQD's First / Second endpoint of every Graph segment (REFERENCE.md section 7;
    docs/METRICS.md "First and Second"): a server endpoint (Graph serviceEndpoint) is
    First when one takes part; two endpoints of the same kind are ordered by the seed
    cqd_user_agent_categories (servers by userAgent.role, clients by platform; a
    category not in the seed sorts last); a tie puts the caller First. The segment's
    endpoint fields fall back to its session's when the segment has none.
-#}
with

segments as (
    select * from {{ ref('stg_graph__segments') }}
),

sessions as (
    select * from {{ ref('stg_graph__sessions') }}
),

categories as (
    select * from {{ ref('cqd_user_agent_categories') }}
),

endpoints as (
    select
        segments.call_record_id,
        segments.session_id,
        segments.segment_id,
        {%- for side in ['caller', 'callee'] %}
        {%- for column in ['endpoint_odata_type', 'service_role', 'platform',
            'product_family', 'user_agent'] %}
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
        call_record_id,
        session_id,
        segment_id,
        {%- for side in ['caller', 'callee'] %}
        {{ side }}_endpoint_kind,
        {{ side }}_user_agent_category,
        {{ side }}_platform,
        {{ side }}_product_family,
        {{ side }}_user_agent,
        {%- endfor %}
        caller_kind_rank < callee_kind_rank
        or (
            caller_kind_rank = callee_kind_rank
            and caller_category_rank <= callee_category_rank
        ) as first_is_caller
    from ranked
)

select * from final
