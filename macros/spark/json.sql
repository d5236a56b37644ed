{#-
    Spark versions of the JSON helpers (macros/cross_db/conversions.sql,
    macros/landing/json_checks.sql). JSON stays text, as on DuckDB: members are read with
    get_json_object (JSONPath `$.a.b`), arrays are unnested by parsing them with
    from_json(..., 'array<string>'), which gives each element as its JSON text (an object
    or array element) or its value (a string element).
-#}

{#- The JSON array at `path` of `expr` as array<string> (NULL if absent or not an array). -#}
{% macro spark_json_array(expr, path) -%}
    {%- if path == '$' -%}
        from_json({{ expr }}, 'array<string>')
    {%- else -%}
        from_json(get_json_object({{ expr }}, '{{ path }}'), 'array<string>')
    {%- endif -%}
{%- endmacro %}


{#- Is the text a JSON array? (json_array_length is NULL for anything else) -#}
{% macro spark_json_is_array_text(text) -%}
    coalesce(left(ltrim({{ text }}), 1) = '[' and json_array_length({{ text }}) is not null,
        false)
{%- endmacro %}


{% macro spark__json_text(expr, path) -%}
    get_json_object({{ expr }}, '{{ path }}')
{%- endmacro %}


{#- One row per element (a generator: alone in its select item). -#}
{% macro spark__json_unnest(expr, path) -%}
    explode({{ spark_json_array(expr, path) }})
{%- endmacro %}


{% macro spark__json_string_list(expr, path) -%}
    {{ spark_json_array(expr, path) }}
{%- endmacro %}


{#- JSON object text of key -> value pairs; NULL values are kept as JSON null. -#}
{% macro spark__json_object_text(pairs) -%}
    to_json(named_struct(
        {%- for key, value in pairs %}
        '{{ key }}', {{ value }}{{ ',' if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{%- endmacro %}


{#- json_object_keys is NULL for anything but a valid JSON object. -#}
{% macro spark__json_is_object(expr) -%}
    coalesce(left(ltrim({{ expr }}), 1) = '{' and json_object_keys({{ expr }}) is not null,
        false)
{%- endmacro %}


{#- Object or array at `path`: `text` (its json_text) is that object's or array's JSON text. -#}
{% macro spark__json_is_container_at(expr, path, text) -%}
    coalesce(
        (left({{ text }}, 1) = '{' and json_object_keys({{ text }}) is not null)
        or (left({{ text }}, 1) = '[' and json_array_length({{ text }}) is not null),
        false)
{%- endmacro %}


{#- Member at `path` present and not JSON null, but not an array. -#}
{% macro spark__json_is_non_array_at(expr, path) -%}
    coalesce(get_json_object({{ expr }}, '{{ path }}') is not null
        and not {{ spark_json_is_array_text("get_json_object(" ~ expr ~ ", '" ~ path ~ "')") }},
        false)
{%- endmacro %}


{#-
    Elements of the JSON array at `path` with their 1-based position, as two select-list
    columns from one generator (inline of an array of structs). With keep_empty, a
    missing, empty or non-array member gives one row with a NULL value (ordinal 1).
-#}
{% macro spark__json_unnest_ordinal(expr, path, value_alias, ordinal_alias, keep_empty) -%}
    {%- set elements = 'coalesce(' ~ spark_json_array(expr, path) ~ ', array())' -%}
    {%- set numbered = 'transform(' ~ elements
        ~ ', (element, position) -> named_struct(\'v\', element, \'o\', position + 1))' -%}
    {%- if keep_empty -%}
        inline(case
            when size({{ elements }}) = 0
                then array(named_struct('v', cast(null as string), 'o', 1))
            else {{ numbered }}
        end) as ({{ value_alias }}, {{ ordinal_alias }})
    {%- else -%}
        inline({{ numbered }}) as ({{ value_alias }}, {{ ordinal_alias }})
    {%- endif -%}
{%- endmacro %}


{#-
    The members at `paths` of the JSON text `expr`, parsed once (as a VARIANT; Spark
    evaluates the repeated try_parse_json once per row): the text of each member, as
    DuckDB's json_extract_string (an object or array as its JSON text, JSON null and an
    absent member as NULL).
-#}
{% macro spark__json_members_text(expr, paths) -%}
    array(
        {%- for path in paths %}
        try_variant_get(try_parse_json({{ expr }}), '{{ spark_json_path(path) }}', 'string')
        {{- ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}


{#- DuckDB's json_type names of the members: OBJECT, ARRAY, NULL (JSON null), VARCHAR,
    BIGINT, DOUBLE, BOOLEAN; NULL for an absent member or text that is not JSON. -#}
{% macro spark__json_members_type(expr, paths) -%}
    array(
        {%- for path in paths %}
        {%- set member = "try_variant_get(try_parse_json(" ~ expr ~ "), '"
            ~ spark_json_path(path) ~ "', 'variant')" %}
        case
            when {{ member }} is null then null
            when is_variant_null({{ member }}) then 'NULL'
            when try_variant_get({{ member }}, '$', 'map<string,variant>') is not null
                then 'OBJECT'
            when try_variant_get({{ member }}, '$', 'array<variant>') is not null
                then 'ARRAY'
            else case regexp_extract(schema_of_variant({{ member }}), '^[A-Z]+', 0)
                when 'STRING' then 'VARCHAR'
                when 'BOOLEAN' then 'BOOLEAN'
                when 'BIGINT' then 'BIGINT'
                else 'DOUBLE'
            end
        end
        {{- ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}


{#-
    A DuckDB JSONPath in Spark's spelling: a quoted member (`$."sessions@odata.nextLink"`,
    for names with dots or @) becomes `$["sessions@odata.nextLink"]`.
-#}
{% macro spark_json_path(path) -%}
    {{- modules.re.sub('[.]"([^"]+)"', '["\\1"]', path) -}}
{%- endmacro %}


{#- Element `index` (1-based) of a json_members_* list. -#}
{% macro spark__json_member(list_expr, index) -%}
    element_at({{ list_expr }}, {{ index }})
{%- endmacro %}
