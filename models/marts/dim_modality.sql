with

modalities as (
    select * from {{ ref('conformed_modalities') }}
),

final as (
    select
        modality,
        sort_order,
        description
    from modalities
)

select * from final
