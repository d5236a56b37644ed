{#-
    Spark versions of the text conversions of macros/cross_db/conversions.sql and
    macros/landing/json_checks.sql. Like the DuckDB ones, each returns NULL (never an error)
    for text it cannot convert. Timestamps are Spark TIMESTAMP values in the session time
    zone, which the spark target sets to UTC (profiles/profiles.yml): the same instants
    as DuckDB's naive UTC timestamps.
-#}

{#- SQL Server datetime text in `timezone` -> timestamp in UTC. -#}
{% macro spark__sqlserver_datetime_to_utc(expr, timezone) -%}
    {%- if timezone | upper == 'UTC' -%}
        try_cast({{ expr }} as timestamp)
    {%- else -%}
        to_utc_timestamp(try_cast({{ expr }} as timestamp), '{{ timezone }}')
    {%- endif -%}
{%- endmacro %}


{#- ISO-8601 text with offset or Z -> UTC (the cast honours the offset). -#}
{% macro spark__iso8601_to_utc(expr) -%}
    try_cast({{ expr }} as timestamp)
{%- endmacro %}


{#- ISO-8601 duration text (PT0.016S, PT1M2.5S, P1DT2H) -> milliseconds (double). -#}
{% macro spark__iso8601_duration_ms(expr) -%}
    {%- set pattern = '^P(([0-9]+)D)?(T(([0-9]+)H)?(([0-9]+)M)?(([0-9]+([.][0-9]+)?)S)?)?$' -%}
    case
        when {{ expr }} rlike '{{ pattern }}' and {{ expr }} not in ('P', 'PT')
            then (
                coalesce(try_cast(nullif(regexp_extract({{ expr }}, '{{ pattern }}', 2), '')
                    as double), 0) * 86400000
                + coalesce(try_cast(nullif(regexp_extract({{ expr }}, '{{ pattern }}', 5), '')
                    as double), 0) * 3600000
                + coalesce(try_cast(nullif(regexp_extract({{ expr }}, '{{ pattern }}', 7), '')
                    as double), 0) * 60000
                + coalesce(try_cast(nullif(regexp_extract({{ expr }}, '{{ pattern }}', 9), '')
                    as double), 0) * 1000
            )
    end
{%- endmacro %}


{#- Does the whole text match (Java regex, anchored here)? -#}
{% macro spark__text_full_match(expr, pattern) -%}
    ({{ expr }} rlike {{ spark_string_literal('^(?:' ~ pattern ~ ')$') }})
{%- endmacro %}


{#- "No value" date text? (the same pattern as the default) -#}
{% macro spark__is_no_value_date(expr) -%}
    coalesce({{ expr }} rlike '{{ no_value_date_pattern() }}', false)
{%- endmacro %}


{#- Does datetime text end in a UTC offset or zone? (same pattern as the default) -#}
{% macro spark__has_utc_offset(expr) -%}
    coalesce({{ expr }} rlike
        '[0-9]:[0-9]{2}([.][0-9]*)?[ ]*(Z|[+-][0-9]{1,2}(:?[0-9]{2})?|[A-Za-z][A-Za-z_/+-]*)[ ]*$',
        false)
{%- endmacro %}


{#-
    Hashing: salted SHA-256 hex (lower case, as DuckDB's sha256). The salt is read from
    SESSION_ANALYTICS_SALT inside the JVM, never pasted into SQL; unset, the documented
    demo salt (the same fallback as session_analytics.pii on DuckDB).
-#}
{% macro spark__pseudonymize(expr) -%}
    {#- reflect() gives the text 'null' for an unset variable (a salt that publish
        refuses anyway: shorter than 16 characters) -#}
    sha2(coalesce(
        nullif(nullif(
            reflect('java.lang.System', 'getenv', 'SESSION_ANALYTICS_SALT'), ''), 'null'),
        {{ spark_string_literal(var('demo_salt')) }}
    ) || lower(trim({{ expr }})), 256)
{%- endmacro %}


{#- Bit operations: Spark's & is the same operator as DuckDB's. -#}
{% macro spark__bitand(expr, value) -%}
    ({{ expr }} & {{ value }})
{%- endmacro %}


{#- Text as a Spark SQL string literal (Spark reads backslash escapes in literals). -#}
{% macro spark_string_literal(text) -%}
    '{{ (text | string) | replace('\\', '\\\\') | replace("'", "\\'") }}'
{%- endmacro %}
