{#-
    JSON and value checks of the landing layer, dispatched per engine where the SQL is
    engine-specific.
-#}

{#- Is the member at `path` present (not JSON null) but not an array? -#}
{% macro json_is_non_array_at(expr, path) -%}
    {{- return(adapter.dispatch('json_is_non_array_at', 'session_analytics')(expr, path)) -}}
{%- endmacro %}

{% macro duckdb__json_is_non_array_at(expr, path) -%}
    coalesce(json_type({{ expr }}, '{{ path }}') not in ('ARRAY', 'NULL'), false)
{%- endmacro %}


{#-
    Select-list items unnesting the JSON array at `path` of `expr`: `value_alias` (each
    element as JSON text) and `ordinal_alias` (its 1-based position). With keep_empty, a
    missing, empty or non-array member gives one row with a NULL value (ordinal 1).
-#}
{% macro json_unnest_ordinal(expr, path, value_alias, ordinal_alias, keep_empty=false) -%}
    {{- return(adapter.dispatch('json_unnest_ordinal', 'session_analytics')(
        expr, path, value_alias, ordinal_alias, keep_empty)) -}}
{%- endmacro %}

{% macro duckdb__json_unnest_ordinal(expr, path, value_alias, ordinal_alias, keep_empty) -%}
    {%- set elements = "coalesce(json_extract(" ~ expr ~ ", '" ~ path ~ "[*]'), [])" -%}
    {%- if keep_empty -%}
        {%- set listed = 'case when len(' ~ elements ~ ') = 0 then [cast(null as json)] else '
            ~ elements ~ ' end' -%}
        cast(unnest({{ listed }}) as varchar) as {{ value_alias }},
        generate_subscripts({{ listed }}, 1) as {{ ordinal_alias }}
    {%- else -%}
        cast(unnest({{ elements }}) as varchar) as {{ value_alias }},
        generate_subscripts({{ elements }}, 1) as {{ ordinal_alias }}
    {%- endif -%}
{%- endmacro %}


{#- A finite number, or NULL (for inf, -inf and NaN, which text like 1e999 or NaN casts to). -#}
{% macro finite_or_null(expr) -%}
    {{- return(adapter.dispatch('finite_or_null', 'session_analytics')(expr)) -}}
{%- endmacro %}

{% macro default__finite_or_null(expr) -%}
    case
        when {{ expr }} between -1.7976931348623157e308 and 1.7976931348623157e308
            then {{ expr }}
    end
{%- endmacro %}


{#- Does datetime text end in a UTC offset or zone (Z, +02, +05:45, -0800, UTC, a zone
    name)? SQL Server datetime text has none; such text would otherwise be read as local. -#}
{% macro has_utc_offset(expr) -%}
    {{- return(adapter.dispatch('has_utc_offset', 'session_analytics')(expr)) -}}
{%- endmacro %}

{% macro default__has_utc_offset(expr) -%}
    coalesce(regexp_matches({{ expr }},
        '[0-9]:[0-9]{2}([.][0-9]*)?[ ]*(Z|[+-][0-9]{1,2}(:?[0-9]{2})?|[A-Za-z][A-Za-z_/+-]*)[ ]*$'),
        false)
{%- endmacro %}


{#-
    Is datetime or timestamp text one of the "no value" dates of real exports: SQL
    Server's minimum `1753-01-01` or `0001-01-01` (Graph's failureDateTime of a call that
    did not fail), at midnight or with no time (REFERENCE.md §10)?
-#}
{% macro is_no_value_date(expr) -%}
    {{- return(adapter.dispatch('is_no_value_date', 'session_analytics')(expr)) -}}
{%- endmacro %}

{% macro default__is_no_value_date(expr) -%}
    coalesce(regexp_matches({{ expr }}, '{{ no_value_date_pattern() }}'), false)
{%- endmacro %}

{% macro no_value_date_pattern() -%}
    ^[ ]*(1753|0001)-01-01([ T]00:00(:00([.]0*)?)?)?[ ]*(Z|[+-]00(:?00)?)?[ ]*$
{%- endmacro %}


{#-
    A timestamp inside the plausible range of a session (1970 up to 2100), or NULL: text
    like 0001-01-01, 9999-12-31 or infinity parses but is no real session time, and would
    stretch every calendar built from the data.
-#}
{% macro plausible_timestamp(expr) -%}
    case
        when {{ expr }} >= cast('1970-01-01' as timestamp)
            and {{ expr }} < cast('2100-01-01' as timestamp)
            then {{ expr }}
    end
{%- endmacro %}


{#-
    The members at `paths` of the JSON text `expr`, parsed once: as a list of text
    (json_text of each) or of JSON type names (OBJECT, ARRAY, VARCHAR, BIGINT, DOUBLE,
    BOOLEAN, NULL, ...; NULL for an absent member or text that is not JSON). Read one
    with json_member(list, 1-based index).
-#}
{% macro json_members_text(expr, paths) -%}
    {{- return(adapter.dispatch('json_members_text', 'session_analytics')(expr, paths)) -}}
{%- endmacro %}

{% macro duckdb__json_members_text(expr, paths) -%}
    json_extract_string({{ expr }}, [
        {%- for path in paths %}'{{ path }}'{{ ', ' if not loop.last }}{% endfor -%}
    ])
{%- endmacro %}


{% macro json_members_type(expr, paths) -%}
    {{- return(adapter.dispatch('json_members_type', 'session_analytics')(expr, paths)) -}}
{%- endmacro %}

{% macro duckdb__json_members_type(expr, paths) -%}
    json_type({{ expr }}, [
        {%- for path in paths %}'{{ path }}'{{ ', ' if not loop.last }}{% endfor -%}
    ])
{%- endmacro %}


{% macro json_member(list_expr, index) -%}
    {{- return(adapter.dispatch('json_member', 'session_analytics')(list_expr, index)) -}}
{%- endmacro %}

{% macro duckdb__json_member(list_expr, index) -%}
    {{ list_expr }}[{{ index }}]
{%- endmacro %}
