{%- set entity = staged_entity('stg_graph__sessions') -%}
{{ latest_good_rows(
    ref(entity.base),
    keys=entity['keys'],
    columns=get_graph__session_columns(),
    order_by=entity.order_by,
    extra=[
        'call_record_id',
        json_string_list('modalities_json', '$') ~ ' as modalities',
        'source_row_number',
        'source_path',
    ],
    parent=ref(entity.parent),
) }}
