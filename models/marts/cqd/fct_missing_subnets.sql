{#-
    CQD's Missing Subnet Report (REFERENCE.md section 7): the reported subnets of audio
    streams that the building file valid at the stream's time does not map, with at
    least var cqd_missing_subnet_min_audio_streams audio streams (each side of a stream
    counts: a stream whose caller and callee are both on the subnet counts twice). Test
    sessions are left out unless var include_test_sessions.
-#}
{%- set include_test_sessions = (
    var('include_test_sessions') | string | lower in ['true', '1', 'yes']
) -%}

with

streams as (
    select * from {{ ref('fct_graph_media_streams') }}
    where
        stream_type = 'audio'
        {%- if not include_test_sessions %}
        and not coalesce(is_test, false)
        {%- endif %}
),

unmapped_sides as (
    {%- for side in ['caller', 'callee'] %}
    select
        {{ side }}_subnet as subnet,
        session_key,
        session_date,
        is_poor
    from streams
    where {{ side }}_subnet is not null and not {{ side }}_is_mapped
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        subnet,
        cast(count(*) as {{ dbt.type_bigint() }}) as audio_streams,
        cast(sum(case when is_poor then 1 else 0 end) as {{ dbt.type_bigint() }})
            as poor_audio_streams,
        cast(count(distinct session_key) as {{ dbt.type_bigint() }}) as sessions,
        min(session_date) as first_session_date,
        max(session_date) as last_session_date
    from unmapped_sides
    group by subnet
    having count(*) >= {{ var('cqd_missing_subnet_min_audio_streams') }}
)

select * from final
