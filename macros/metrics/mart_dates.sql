{#-
    The date of a row of the marts by date that are not by session_date (one rule each,
    shared by the mart and the int model or fct_sessions that records the dates it
    touches: macros/landing/derived_rows.sql).
-#}

{#-
    The UTC date of the request (requested_at): the date of the PSTN marts and of the
    chat queue marts.
-#}
{% macro requested_date() -%}
    cast(requested_at as date)
{%- endmacro %}


{#-
    The UTC date of an SfB CDR session in the peer-to-peer activity mart: its INVITE,
    else its SessionIdTime.
-#}
{% macro sfb_cdr_session_date() -%}
    cast(coalesce(invite_time, session_id_time) as date)
{%- endmacro %}
