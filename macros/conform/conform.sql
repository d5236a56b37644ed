{#- Conforming helpers for int_sessions_unioned: one place per rule. -#}

{#- Seconds between two timestamps (NULL when either is NULL), millisecond precision,
    as a double on every engine (`/ 1000.0` would be DECIMAL arithmetic on Spark). -#}
{% macro seconds_between(start_expr, end_expr) -%}
    (cast({{ dbt.datediff(start_expr, end_expr, 'millisecond') }} as double) / 1000)
{%- endmacro %}


{#-
    The conformed channel of a session from its modality flags, most specific first:
    video > voice > app_sharing > im > file_transfer > data > other. A video session
    also has audio; it is a video session.
-#}
{% macro conformed_channel(modality) -%}
    case
        when {{ modality.video }} then 'video'
        when {{ modality.audio }} then 'voice'
        when {{ modality.app_sharing }} or {{ modality.screen_sharing }} then 'app_sharing'
        when {{ modality.im }} then 'im'
        when {{ modality.file_transfer }} then 'file_transfer'
        when {{ modality.data }} or {{ modality.remote_assistance }} then 'data'
        else 'other'
    end
{%- endmacro %}


{#- The conformed modalities (seed conformed_modalities), in the order of dim_modality. -#}
{% macro conformed_modalities() -%}
    {%- set rows = seed_rows('conformed_modalities', 'modality', 'true', 'sort_order') -%}
    {{- return(rows | map('first') | list) -}}
{%- endmacro %}


{#-
    Select-list columns has_<modality> for every conformed modality and the `modalities`
    list of those that are true. `modality` maps a conformed name to a boolean SQL
    expression; a modality the system cannot have is `false`.
-#}
{% macro modality_columns(modality) -%}
    {%- for name in conformed_modalities() %}
        coalesce({{ modality.get(name, 'false') }}, false) as has_{{ name }},
    {%- endfor %}
        {{ list_compact(modality_names(modality)) }} as modalities
{%- endmacro %}


{% macro modality_names(modality) -%}
    {%- set items = [] -%}
    {%- for name in conformed_modalities() if modality.get(name, 'false') != 'false' -%}
        {%- do items.append('case when ' ~ modality[name] ~ " then '" ~ name ~ "' end") -%}
    {%- endfor -%}
    {%- if not items -%}
        {%- do items.append('cast(null as ' ~ dbt.type_string() ~ ')') -%}
    {%- endif -%}
    {{- return(items) -}}
{%- endmacro %}


{#- Stable surrogate key of a session: hash of system + natural key. -#}
{% macro session_key_expr(system_expr, natural_key_expr) -%}
    {{ dbt.hash(dbt.concat([system_expr, "'|'", natural_key_expr])) }}
{%- endmacro %}


{#- Pseudonymous key of a person/endpoint from an integer id of a system. -#}
{% macro party_key(system, id_expr) -%}
    case
        when {{ id_expr }} is not null then
            {{ dbt.hash(dbt.concat([
                "'" ~ system ~ "|'", 'cast(' ~ id_expr ~ ' as ' ~ dbt.type_string() ~ ')'
            ])) }}
    end
{%- endmacro %}


{#- md5 of key columns joined by '|', NULLs as empty text: never NULL, no collisions of
    shifted values ('a|bc' vs 'ab|c'). -#}
{% macro stream_key_expr(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string()
            ~ "), '')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
