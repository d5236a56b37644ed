{%- set entity = staged_entity('stg_superoffice__chat_sessions') -%}
{{ latest_good_rows(
    ref(entity.base),
    keys=entity['keys'],
    columns=get_superoffice__chat_session_columns(),
    order_by=entity.order_by,
) }}
