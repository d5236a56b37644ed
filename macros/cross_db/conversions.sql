{#-
    Engine-specific conversions, each behind adapter.dispatch with one job.
    Every macro returns NULL (never an error) for text it cannot convert, so that the
    landing layer can quarantine the row with a reason.
-#}

{#- SQL Server datetime text in `timezone` -> timestamp in UTC. -#}
{% macro sqlserver_datetime_to_utc(expr, timezone) -%}
    {{- return(adapter.dispatch('sqlserver_datetime_to_utc', 'session_analytics')(
        expr, timezone)) -}}
{%- endmacro %}

{% macro duckdb__sqlserver_datetime_to_utc(expr, timezone) -%}
    {%- if timezone | upper == 'UTC' -%}
        try_cast({{ expr }} as timestamp)
    {%- else -%}
        timezone('UTC', timezone('{{ timezone }}', try_cast({{ expr }} as timestamp)))
    {%- endif -%}
{%- endmacro %}


{#- ISO-8601 timestamp text with offset or Z (up to 7 fractional digits) -> UTC. -#}
{% macro iso8601_to_utc(expr) -%}
    {{- return(adapter.dispatch('iso8601_to_utc', 'session_analytics')(expr)) -}}
{%- endmacro %}

{% macro duckdb__iso8601_to_utc(expr) -%}
    timezone('UTC', try_cast({{ expr }} as timestamptz))
{%- endmacro %}


{#- ISO-8601 duration text (PT0.016S, PT1M2.5S, P1DT2H) -> milliseconds (double). -#}
{% macro iso8601_duration_ms(expr) -%}
    {{- return(adapter.dispatch('iso8601_duration_ms', 'session_analytics')(expr)) -}}
{%- endmacro %}

{% macro default__iso8601_duration_ms(expr) -%}
    {%- set pattern = '^P(([0-9]+)D)?(T(([0-9]+)H)?(([0-9]+)M)?(([0-9]+([.][0-9]+)?)S)?)?$' -%}
    case
        when regexp_matches({{ expr }}, '{{ pattern }}') and {{ expr }} not in ('P', 'PT')
            then (
                coalesce(cast(nullif(regexp_extract({{ expr }}, '{{ pattern }}', 2), '')
                    as double), 0) * 86400000
                + coalesce(cast(nullif(regexp_extract({{ expr }}, '{{ pattern }}', 5), '')
                    as double), 0) * 3600000
                + coalesce(cast(nullif(regexp_extract({{ expr }}, '{{ pattern }}', 7), '')
                    as double), 0) * 60000
                + coalesce(cast(nullif(regexp_extract({{ expr }}, '{{ pattern }}', 9), '')
                    as double), 0) * 1000
            )
    end
{%- endmacro %}


{#- Text -> number or other scalar type, NULL when it does not convert. -#}
{% macro safe_cast(expr, data_type) -%}
    {{- return(adapter.dispatch('safe_cast', 'session_analytics')(expr, data_type)) -}}
{%- endmacro %}

{% macro default__safe_cast(expr, data_type) -%}
    try_cast({{ expr }} as {{ data_type }})
{%- endmacro %}


{#- Does the whole text match the regular expression (no anchors in `pattern`)? -#}
{% macro text_full_match(expr, pattern) -%}
    {{- return(adapter.dispatch('text_full_match', 'session_analytics')(expr, pattern)) -}}
{%- endmacro %}

{% macro default__text_full_match(expr, pattern) -%}
    regexp_full_match({{ expr }}, '{{ pattern }}')
{%- endmacro %}


{#- 0/1/true/false text -> boolean. -#}
{% macro text_to_boolean(expr) -%}
    case
        when lower({{ expr }}) in ('1', 'true') then true
        when lower({{ expr }}) in ('0', 'false') then false
    end
{%- endmacro %}


{#-
    Personal data -> salted SHA-256 hex of the trimmed, lower-cased text, so that the same
    e-mail in different case gives the same key (docs/RELIABILITY.md, "PII").
    The salt is never pasted into SQL: it stays in the process that runs the query
    (docs/RELIABILITY.md, "The salt never leaves the process").
-#}
{% macro pseudonymize(expr) -%}
    {{- return(adapter.dispatch('pseudonymize', 'session_analytics')(expr)) -}}
{%- endmacro %}

{#-
    DuckDB: the session variable that the dbt-duckdb plugin
    `session_analytics.duckdb_plugin` sets on each connection; a connection without it
    (a profile without the plugin) fails instead of hashing with no salt.
-#}
{% macro duckdb__pseudonymize(expr) -%}
    sha256(coalesce(cast(getvariable('session_analytics_salt') as varchar), error(
        'session_analytics: the pseudonymisation salt is not set on this connection;'
        || ' add the session_analytics.duckdb_plugin plugin to the profile'
    )) || lower(trim({{ expr }})))
{%- endmacro %}


{#- JSON member at a JSONPath as text. -#}
{% macro json_text(expr, path) -%}
    {{- return(adapter.dispatch('json_text', 'session_analytics')(expr, path)) -}}
{%- endmacro %}

{% macro duckdb__json_text(expr, path) -%}
    json_extract_string({{ expr }}, '{{ path }}')
{%- endmacro %}


{#- JSON array at a JSONPath -> one row per element (use in a select list). -#}
{% macro json_unnest(expr, path) -%}
    {{- return(adapter.dispatch('json_unnest', 'session_analytics')(expr, path)) -}}
{%- endmacro %}

{% macro duckdb__json_unnest(expr, path) -%}
    unnest(json_extract({{ expr }}, '{{ path }}[*]'))
{%- endmacro %}


{#- JSON array of strings at a JSONPath -> list/array of text. -#}
{% macro json_string_list(expr, path) -%}
    {{- return(adapter.dispatch('json_string_list', 'session_analytics')(expr, path)) -}}
{%- endmacro %}

{% macro duckdb__json_string_list(expr, path) -%}
    json_extract_string({{ expr }}, '{{ path }}[*]')
{%- endmacro %}


{#- Object of key -> text value pairs as JSON text (for quarantined raw records). -#}
{% macro json_object_text(pairs) -%}
    {{- return(adapter.dispatch('json_object_text', 'session_analytics')(pairs)) -}}
{%- endmacro %}

{% macro duckdb__json_object_text(pairs) -%}
    cast(json_object(
        {%- for key, value in pairs %}
        '{{ key }}', {{ value }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as varchar)
{%- endmacro %}


{#- Is the JSON text an object (not an array, scalar or invalid text)? -#}
{% macro json_is_object(expr) -%}
    {{- return(adapter.dispatch('json_is_object', 'session_analytics')(expr)) -}}
{%- endmacro %}

{% macro duckdb__json_is_object(expr) -%}
    coalesce(json_type({{ expr }}) = 'OBJECT', false)
{%- endmacro %}


{#- Bitwise AND of an integer expression and an integer. -#}
{% macro bitand(expr, value) -%}
    {{- return(adapter.dispatch('bitand', 'session_analytics')(expr, value)) -}}
{%- endmacro %}

{% macro default__bitand(expr, value) -%}
    ({{ expr }} & {{ value }})
{%- endmacro %}


{#- List of the non-NULL values among the given expressions (DuckDB list / Spark array). -#}
{% macro list_compact(items) -%}
    {{- return(adapter.dispatch('list_compact', 'session_analytics')(items)) -}}
{%- endmacro %}

{% macro duckdb__list_compact(items) -%}
    list_filter([{{ items | join(', ') }}], lambda x: x is not null)
{%- endmacro %}


{#- Aggregate: the numbers of a group in ascending order, as text joined by `delimiter`. -#}
{% macro sorted_numbers_text(expr, delimiter) -%}
    {{- return(adapter.dispatch('sorted_numbers_text', 'session_analytics')(
        expr, delimiter)) -}}
{%- endmacro %}

{% macro default__sorted_numbers_text(expr, delimiter) -%}
    string_agg(
        cast({{ expr }} as {{ dbt.type_string() }}), '{{ delimiter }}' order by {{ expr }}
    )
{%- endmacro %}


{#- One row per integer 0 .. `count_expr` - 1 (a set-returning select-list item). -#}
{% macro integer_series(count_expr) -%}
    {{- return(adapter.dispatch('integer_series', 'session_analytics')(count_expr)) -}}
{%- endmacro %}

{% macro default__integer_series(count_expr) -%}
    unnest(range(0, {{ count_expr }}))
{%- endmacro %}


{#- Does a list/array contain a value? -#}
{% macro list_has(list_expr, value) -%}
    {{- return(adapter.dispatch('list_has', 'session_analytics')(list_expr, value)) -}}
{%- endmacro %}

{% macro duckdb__list_has(list_expr, value) -%}
    list_contains({{ list_expr }}, {{ value }})
{%- endmacro %}


{#- Continuous percentile (linear interpolation between ranks), p in [0, 1]. -#}
{% macro percentile_cont(expr, p) -%}
    {{- return(adapter.dispatch('percentile_cont', 'session_analytics')(expr, p)) -}}
{%- endmacro %}

{% macro duckdb__percentile_cont(expr, p) -%}
    quantile_cont({{ expr }}, {{ p }})
{%- endmacro %}


{#-
    Is the text empty or only white space (space, tab, CR, LF)? A regular expression, not
    trim(): DuckDB's trim() and rtrim() walk the whole string (about 1.5 s per 78 MB of
    JSON lines, measured on the 1M benchmark's Graph files), and every landed line of every
    Graph level paid that for a blank test.
-#}
{% macro text_is_blank(expr) -%}
    coalesce({{ text_full_match(expr, '[ \\t\\r\\n]*') }}, false)
{%- endmacro %}


{#-
    DuckDB: the text without the carriage returns that end it (a CRLF line split on LF),
    as rtrim(text, CR) but without walking the whole string when it ends in at most one.
-#}
{% macro without_trailing_cr(expr) -%}
    case
        when not ends_with({{ expr }}, chr(13)) then {{ expr }}
        when not ends_with({{ expr }}, chr(13) || chr(13)) then left({{ expr }}, -1)
        else rtrim({{ expr }}, chr(13))
    end
{%- endmacro %}
