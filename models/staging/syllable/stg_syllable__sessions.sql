{%- set entity = staged_entity('stg_syllable__sessions') -%}
{{ latest_good_rows(
    ref(entity.base),
    keys=entity['keys'],
    columns=get_syllable__session_columns(),
    order_by=entity.order_by,
) }}
