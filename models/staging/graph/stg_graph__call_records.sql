{%- set entity = staged_entity('stg_graph__call_records') -%}
{{ config(**staged_config(entity)) }}

with

base as (
    select * from {{ ref('base_graph__call_records') }}
    where {{ staged_rows_to_restage(entity) | indent(4) }}
),

ranked as (
    {{ ranked_good_rows('base', entity['keys'], entity.order_by) | indent(4) }}
),

final as (
    select
        {{ json_string_list('modalities_json', '$') }} as modalities,
        not coalesce(has_sessions_next_link, false) as sessions_complete,
        source_row_number,
        source_path,
        {{- column_aliases(get_graph__call_record_columns()) }}
        source_file,
        loaded_at,
        current_timestamp as staged_at
    from ranked
    where version_rank = 1
)

select * from final
