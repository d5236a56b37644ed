with

call_records as (
    select * from {{ ref('base_graph__call_records') }}
    where is_latest
),

final as (
    select
        {{- column_aliases(get_graph__call_record_columns()) }}
        {{ json_string_list('modalities_json', '$') }} as modalities,
        source_file,
        loaded_at
    from call_records
)

select * from final
