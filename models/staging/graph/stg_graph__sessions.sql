{%- set entity = staged_entity('stg_graph__sessions') -%}
{{ config(**staged_config(entity)) }}

with

base as (
    select * from {{ ref('base_graph__sessions') }}
    where {{ staged_rows_to_restage(entity) | indent(4) }}
),

parent_rows as (
    select * from {{ ref('stg_graph__call_records') }}
),

ranked as (
    {{ ranked_good_rows(
        'base', entity['keys'], entity.order_by, parent='parent_rows',
    ) | indent(4) }}
),

final as (
    select
        call_record_id,
        {{ json_string_list('modalities_json', '$') }} as modalities,
        source_row_number,
        source_path,
        {{- column_aliases(get_graph__session_columns()) }}
        source_file,
        loaded_at,
        current_timestamp as staged_at
    from ranked
    where version_rank = 1
)

select * from final
