{#-
    Every landed row or record that could not be staged, with the reason. Rows are never
    silently dropped: landed = staged + superseded versions + rejected (see the
    reconciliation test). Personal data in raw_record is pseudonymised like in staging.
-#}
{%- set bases = [
    ('base_sfb_qoe__sessions', 'session'),
    ('base_sfb_cdr__session_details', 'session_details'),
    ('base_graph__call_records', 'call_record'),
    ('base_graph__sessions', 'session'),
    ('base_graph__segments', 'segment'),
    ('base_graph__media_streams', 'media_stream'),
    ('base_superoffice__chat_sessions', 'chat_session'),
    ('base_syllable__sessions', 'session'),
    ('base_syllable__session_labels', 'session_label'),
] -%}
with

{% for base, entity in bases -%}
{{ base }} as (
    select
        source_system,
        '{{ entity }}' as source_entity,
        source_file,
        source_row_number,
        raw_record,
        rejection_reason,
        loaded_at
    from {{ ref(base) }}
    where rejection_reason is not null
),

{% endfor -%}
final as (
    {%- for base, entity in bases %}
    select * from {{ base }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
