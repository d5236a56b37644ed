{%- set entity = staged_entity('stg_sfb_cdr__session_details') -%}
{{ config(**staged_config(entity)) }}

with

base as (
    select * from {{ ref('base_sfb_cdr__session_details') }}
    where {{ staged_rows_to_restage(entity) | indent(4) }}
),

ranked as (
    {{ ranked_good_rows('base', entity['keys'], entity.order_by) | indent(4) }}
),

final as (
    select
        {{- column_aliases(get_sfb_cdr__session_details_columns()) }}
        source_file,
        loaded_at,
        current_timestamp as staged_at
    from ranked
    where version_rank = 1
)

select * from final
