{#-
    The one parser of boolean vars (e.g. include_test_sessions): true / false as YAML
    booleans or as text (true/false, 1/0, yes/no, on/off, any case). Anything else stops
    the build with a message naming the var, so `--vars '{x: flase}'` is never read as
    true (or as false).
-#}
{% macro var_flag(name, default=false) -%}
    {%- set value = var(name, default) -%}
    {%- if value is sameas true or value is sameas false -%}
        {{- return(value) -}}
    {%- endif -%}
    {%- set text = value | string | trim | lower -%}
    {%- if text in ['true', '1', 'yes', 'on'] -%}
        {{- return(true) -}}
    {%- elif text in ['false', '0', 'no', 'off'] -%}
        {{- return(false) -}}
    {%- endif -%}
    {{- exceptions.raise_compiler_error(
        "var '" ~ name ~ "' must be a boolean (true/false, 1/0, yes/no, on/off), got '"
        ~ value ~ "'") -}}
{%- endmacro %}


{#-
    Filter of the marts on fct_sessions rows: test sessions (Graph isTest, Syllable
    is_test) are left out unless var include_test_sessions is true.
-#}
{% macro test_sessions_filter(is_test='is_test') -%}
    {%- if var_flag('include_test_sessions') -%}
        true
    {%- else -%}
        not {{ is_test }}
    {%- endif -%}
{%- endmacro %}
