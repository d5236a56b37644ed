{#-
    Every media object (network and devices of each side) of the good segments
    (base_graph__segments) of `files`, typed by landed_rows like the other Graph levels
    (macros/landing/graph_rows.sql, whose helpers it uses unchanged). Only
    base_graph__media uses it; the raw JSON `record` is never stored.
-#}
{% macro graph_media_rows(files) -%}
with

located as (
    {{ graph_located_rows('media', files) }}
),

validated as (
    {{ landed_rows(
        system='graph',
        landed_sql='select * from located',
        columns=get_graph__media_columns(),
        json_records=true,
        carry=['call_record_id', 'session_id', 'segment_id', 'parent_path'],
    ) }}
)

select * from validated
{%- endmacro %}
