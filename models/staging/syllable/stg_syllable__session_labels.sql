{%- set entity = staged_entity('stg_syllable__session_labels') -%}
{{ latest_good_rows(
    ref(entity.base),
    keys=entity['keys'],
    columns=get_syllable__session_label_columns(),
    order_by=entity.order_by,
) }}
