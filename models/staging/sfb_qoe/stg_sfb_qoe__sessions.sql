{%- set entity = staged_entity('stg_sfb_qoe__sessions') -%}
{{ latest_good_rows(
    ref(entity.base),
    keys=entity['keys'],
    columns=get_sfb_qoe__session_columns(),
    order_by=entity.order_by,
) }}
