{%- set entity = staged_entity('stg_graph__call_records') -%}
{{ latest_good_rows(
    ref(entity.base),
    keys=entity['keys'],
    columns=get_graph__call_record_columns(),
    order_by=entity.order_by,
    extra=[
        json_string_list('modalities_json', '$') ~ ' as modalities',
        'not coalesce(has_sessions_next_link, false) as sessions_complete',
        'source_row_number',
        'source_path',
    ],
) }}
