{%- set entity = staged_entity('stg_sfb_cdr__session_details') -%}
{{ latest_good_rows(
    ref(entity.base),
    keys=entity['keys'],
    columns=get_sfb_cdr__session_details_columns(),
    order_by=entity.order_by,
) }}
