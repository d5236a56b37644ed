{#-
    fct_sessions must hold exactly one row per staged session of every system: a system
    whose staged count differs from its count in the fact fails this test.
-#}
{% test sessions_reconcile_with_staging(model) %}
    with

    staged as (
        select 'sfb_qoe' as source_system, count(*) as staged_rows
        from {{ ref('stg_sfb_qoe__sessions') }}
        union all
        select 'sfb_cdr' as source_system, count(*) as staged_rows
        from {{ ref('stg_sfb_cdr__session_details') }}
        union all
        select 'graph' as source_system, count(*) as staged_rows
        from {{ ref('stg_graph__sessions') }}
        union all
        select 'superoffice' as source_system, count(*) as staged_rows
        from {{ ref('stg_superoffice__chat_sessions') }}
        union all
        select 'syllable' as source_system, count(*) as staged_rows
        from {{ ref('stg_syllable__sessions') }}
        union all
        select 'graph_pstn' as source_system, count(*) as staged_rows
        from {{ ref('stg_graph_pstn__calls') }}
        union all
        select 'graph_direct_routing' as source_system, count(*) as staged_rows
        from {{ ref('stg_graph_direct_routing__calls') }}
    ),

    facts as (
        select
            source_system,
            count(*) as fact_rows
        from {{ model }}
        group by source_system
    )

    select
        staged.source_system,
        staged.staged_rows,
        coalesce(facts.fact_rows, 0) as fact_rows
    from staged
    left join facts
        on staged.source_system = facts.source_system
    where staged.staged_rows <> coalesce(facts.fact_rows, 0)
{% endtest %}
