{#-
    The CQD endpoint data (REFERENCE.md section 7): one row per client endpoint of the
    latest endpoint file that lists it, keyed by the pseudonymised endpoint name (the
    key fct_graph_media_streams joins on for caller_ / callee_endpoint_model and _type).
-#}
with

endpoints as (
    select * from {{ ref('stg_cqd__endpoints') }}
),

final as (
    select
        endpoint_name_hash,
        endpoint_model,
        endpoint_type,
        endpoint_label_1,
        endpoint_label_2,
        endpoint_label_3,
        source_file
    from endpoints
)

select * from final
