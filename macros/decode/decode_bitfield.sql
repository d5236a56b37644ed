{#-
    decode_bitfield(expr, bitfield, prefix): the select-list columns that decode one
    integer bitset, driven by the `bitfield_bits` seed (one row per defined bit):
      <prefix>_<bit_name>   boolean per defined bit
      <prefix>_names        list of the names of the bits that are set
      <prefix>_unknown_bits the value with every known bit masked off (0 = fully decoded)
    NULL stays NULL (unknown) in every column; 0 means no bits set.
-#}
{% macro decode_bitfield(expr, bitfield, prefix) -%}
    {%- set bits = seed_rows(
        'bitfield_bits', 'bit_value, bit_name',
        "bitfield = '" ~ bitfield ~ "'", 'bit_value') -%}
    {%- set mask = bits | sum(attribute=0) -%}
    {%- for bit_value, bit_name in bits %}
    case
        when {{ expr }} is not null then {{ bitand(expr, bit_value) }} <> 0
    end as {{ prefix }}_{{ bit_name }},
    {%- endfor %}
    case
        when {{ expr }} is not null then {{ list_compact(bits_names_case(expr, bits)) }}
    end as {{ prefix }}_names,
    {{ expr }} - {{ bitand(expr, mask) }} as {{ prefix }}_unknown_bits
{%- endmacro %}


{#- The (value, name) CASEs that name each set bit, for list_compact. -#}
{% macro bits_names_case(expr, bits) -%}
    {%- set items = [] -%}
    {%- for bit_value, bit_name in bits -%}
        {%- do items.append(
            'case when ' ~ bitand(expr, bit_value) ~ " <> 0 then '" ~ bit_name ~ "' end") -%}
    {%- endfor -%}
    {{- return(items) -}}
{%- endmacro %}


{#-
    decode_enum(expr, enum_name): the name of a code from the `enum_values` seed;
    NULL stays NULL, a code the seed does not know decodes to 'unknown' (and is counted
    by the warning-level `known_enum_codes` test).
-#}
{% macro decode_enum(expr, enum_name) -%}
    {%- set codes = seed_rows(
        'enum_values', 'code, name', "enum_name = '" ~ enum_name ~ "'", 'sort_order') -%}
    case
        when {{ expr }} is null then null
        {%- for code, name in codes %}
        when cast({{ expr }} as {{ dbt.type_string() }}) = '{{ code }}' then '{{ name }}'
        {%- endfor %}
        else 'unknown'
    end
{%- endmacro %}


{#-
    canonical_enum(expr, enum_name): landed enum text in the spelling of the
    `enum_values` seed (its `code`), matched case-insensitively: Graph sends `Windows`,
    `Teams` or `Wifi` for the documented `windows`, `teams`, `wifi` (REFERENCE.md §10).
    A value the seed does not know stays as landed (the warning-level accepted_values
    tests of staging report it).
-#}
{% macro canonical_enum(expr, enum_name) -%}
    {#- the seed's codes written into the SQL (seed_rows: the seed table, or its CSV on
        a fresh database): a correlated lookup made DuckDB buffer every landed row of
        the model to decorrelate it (a delim join; out of memory at 1M sessions). When
        two codes differ in case only, the greatest wins, as max() did. -#}
    {%- set spellings = {} -%}
    {%- for row in seed_rows('enum_values', 'code', "enum_name = '" ~ enum_name ~ "'",
            'code') -%}
        {%- set code = row[0] | string -%}
        {%- if code | lower not in spellings or code > spellings[code | lower] -%}
            {%- do spellings.update({code | lower: code}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if spellings -%}
    case lower({{ expr }})
        {%- for lowered, code in spellings | dictsort %}
        when '{{ lowered | replace("'", "''") }}' then '{{ code | replace("'", "''") }}'
        {%- endfor %}
        else {{ expr }}
    end
    {%- else -%}
    {{ expr }}
    {%- endif -%}
{%- endmacro %}


{#- conformed_value of a code from the `enum_conformed` seed, else `default`. -#}
{% macro conform_enum(expr, enum_name, default='null') -%}
    {%- set codes = seed_rows(
        'enum_conformed', 'code, conformed_value',
        "enum_name = '" ~ enum_name ~ "'", 'code') -%}
    case
        {%- for code, value in codes %}
        when cast({{ expr }} as {{ dbt.type_string() }}) = '{{ code }}' then '{{ value }}'
        {%- endfor %}
        else {{ default }}
    end
{%- endmacro %}


{#-
    Rows of a reference seed, read while the model compiles: from the seed's table when
    it is loaded (`dbt build` builds the seed first: the ref() below makes it a parent;
    inside unit tests too, where ref() names a fixture), else from the seed's CSV file
    in the project (seed_csv_rows), so that `dbt compile`, `dbt ls` and
    `dbt docs generate` work on a fresh database. Returns [] while dbt parses.
-#}
{% macro seed_rows(seed_name, columns, where, order_by) -%}
    {%- set _parent = ref(seed_name) -%}
    {%- if not execute -%}
        {{- return([]) -}}
    {%- endif -%}
    {#- Seeds live in the `staging` schema (dbt_project.yml); not graph.nodes, which unit
        tests do not provide. -#}
    {%- set relation = adapter.get_relation(
        database=target.database,
        schema=generate_schema_name('staging', none),
        identifier=seed_name,
    ) -%}
    {%- if relation is none -%}
        {{- return(seed_csv_rows(seed_name, columns, where, order_by)) -}}
    {%- endif -%}
    {%- set query -%}
        select {{ columns }} from {{ relation }} where {{ where }} order by {{ order_by }}
    {%- endset -%}
    {{- return(run_query(query).rows | map('list') | list) -}}
{%- endmacro %}


{#-
    seed_rows of a seed that is not loaded yet: the rows of its CSV file in the project
    (a project file, never a landed one), typed by the seed's column_types.
-#}
{% macro seed_csv_rows(seed_name, columns, where, order_by) -%}
    {{- return(adapter.dispatch('seed_csv_rows', 'session_analytics')(
        seed_name, columns, where, order_by)) -}}
{%- endmacro %}


{% macro default__seed_csv_rows(seed_name, columns, where, order_by) -%}
    {%- set seeds = graph.nodes.values() | selectattr('resource_type', 'equalto', 'seed')
        | selectattr('name', 'equalto', seed_name) | list -%}
    {%- if not seeds -%}
        {{- exceptions.raise_compiler_error(
            'Reference seed ' ~ seed_name ~ ' is not loaded in schema staging'
            ~ ': run `dbt seed` (or `dbt build`) first.') -}}
    {%- endif -%}
    {%- set seed = seeds[0] -%}
    {%- set types = [] -%}
    {%- for name, type in (seed.config.column_types or {}).items() -%}
        {%- do types.append("'" ~ name ~ "': '" ~ type ~ "'") -%}
    {%- endfor -%}
    {%- set query -%}
        select {{ columns }}
        from read_csv(
            '{{ seed.root_path }}/{{ seed.original_file_path }}',
            header = true,
            types = { {{- types | join(', ') -}} }
        )
        where {{ where }}
        order by {{ order_by }}
    {%- endset -%}
    {{- return(run_query(query).rows | map('list') | list) -}}
{%- endmacro %}


{% macro spark__seed_csv_rows(seed_name, columns, where, order_by) -%}
    {{- exceptions.raise_compiler_error(
        'Reference seed ' ~ seed_name ~ ' is not loaded in schema staging'
        ~ ': run `dbt seed` (or `dbt build`) first.') -}}
{%- endmacro %}
