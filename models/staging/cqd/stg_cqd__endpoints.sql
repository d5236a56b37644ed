{#-
    The good rows of the CQD endpoint files: the latest file's row of each endpoint
    name (files ordered by name, e.g. endpoints_2024-03-01.csv before
    endpoints_2024-04-01.csv).
-#}
with

endpoints as (
    select * from {{ ref('base_cqd__endpoints') }}
    where rejection_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by endpoint_name_hash order by source_file desc
        ) as file_rank
    from endpoints
),

final as (
    select
        endpoint_name_hash,
        endpoint_model,
        endpoint_type,
        endpoint_label_1,
        endpoint_label_2,
        endpoint_label_3,
        source_file,
        loaded_at
    from ranked
    where file_rank = 1
)

select * from final
