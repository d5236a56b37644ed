{#-
    Spark: data type names. The project's YAML (mart contracts, seed column_types) names
    types the DuckDB way (varchar, integer, varchar[]); spark_type() gives the Spark name of
    the same type, and the two dbt hooks below use it, so that one contract is enforced on
    each engine with that engine's types:
      varchar / text / string / char -> string     integer / int4 / signed -> int
      double precision / float8 -> double           real / float4 -> float
      int8 / long -> bigint                         int2 / short -> smallint
      T[] -> array<T>                               anything else: as written
-#}
{% macro spark_type(data_type) -%}
    {%- set name = data_type | trim -%}
    {%- set lowered = name | lower -%}
    {%- set names = {
        'varchar': 'string', 'text': 'string', 'string': 'string', 'char': 'string',
        'bpchar': 'string', 'integer': 'int', 'int4': 'int', 'signed': 'int',
        'double precision': 'double', 'float8': 'double', 'real': 'float',
        'float4': 'float', 'int8': 'bigint', 'long': 'bigint', 'int2': 'smallint',
        'short': 'smallint', 'bool': 'boolean', 'logical': 'boolean',
        'timestamp without time zone': 'timestamp',
    } -%}
    {%- if lowered.endswith('[]') -%}
        {{- return('array<' ~ spark_type(name[:-2]) ~ '>') -}}
    {%- endif -%}
    {{- return(names.get(lowered, name)) -}}
{%- endmacro %}


{#- Contracts: the empty-schema query of the YAML columns, with Spark type names. -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set col_err = [] -%}
    select
    {%- for i in columns %}
        {%- set col = columns[i] -%}
        {%- if col['data_type'] is not defined -%}
            {%- do col_err.append(col['name']) -%}
        {%- endif %}
        {%- set col_name = adapter.quote(col['name']) if col.get('quote') else col['name'] %}
        cast(null as {{ spark_type(col.get('data_type', 'string')) }}) as {{ col_name }}
        {{- ', ' if not loop.last }}
    {%- endfor -%}
    {%- if col_err | length > 0 -%}
        {{ exceptions.column_type_missing(column_names=col_err) }}
    {%- endif -%}
{%- endmacro %}


{#-
    Contracts: constraints. dbt-spark adds a contract's not_null / check constraints with
    ALTER TABLE whenever file_format is unset (it assumes Delta); the spark target writes
    parquet tables (spark.sql.sources.default), which cannot hold constraints. They are
    added only to tables configured as delta; elsewhere the not_null data tests check.
-#}
{% macro spark__persist_constraints(relation, model) -%}
    {%- set contract_config = config.get('contract') -%}
    {%- if contract_config.enforced and config.get('file_format') == 'delta' -%}
        {%- do alter_table_add_constraints(relation, model.constraints) -%}
        {%- do alter_column_set_constraints(relation, model.columns) -%}
    {%- endif -%}
{%- endmacro %}


{#-
    Casts that give NULL for text that does not convert, on Spark: try_cast. It serves
    both the project's safe_cast (macros/cross_db/conversions.sql) and dbt's, which
    renders unit-test fixtures; there a YAML list (a DuckDB list value) becomes an array.
-#}
{% macro spark__safe_cast(field, type) -%}
    {%- if field is iterable and field is not string and field is not mapping -%}
        cast(array(
            {%- for item in field -%}
                {%- if item is none -%} null
                {%- elif item is number -%} {{ item }}
                {%- else -%} {{ spark_string_literal(item) }}
                {%- endif -%}
                {{- ', ' if not loop.last -}}
            {%- endfor -%}
        ) as {{ type }})
    {%- elif type.lower().startswith('array') or type.lower().startswith('map')
            or type.lower().startswith('struct') -%}
        cast({{ field.strip('"').strip("'") if field is string else field }} as {{ type }})
    {%- else -%}
        try_cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}
