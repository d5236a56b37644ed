{#-
    Spark: seeds load through dbt-spark's seed materialization; these two hooks of it are
    replaced so that (1) column_types written the DuckDB way (varchar, integer) become
    Spark types (spark_type) and (2) values are inlined as escaped SQL literals: the
    session connection of dbt-spark neither escapes quotes in bound text nor binds NULL.
    A whole-number column without a column_type is `int`, as dbt-duckdb infers it
    (dbt-spark would say bigint), so that contracts over seeds hold on both engines.
-#}

{#- The Spark type of seed column `index` (column_types first, then inferred). -#}
{% macro spark_seed_column_type(model, agate_table, index) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set name = agate_table.column_names[index] -%}
    {%- if name in column_override -%}
        {{- return(spark_type(column_override[name])) -}}
    {%- endif -%}
    {%- set inferred = adapter.convert_type(agate_table, index) -%}
    {{- return('int' if inferred == 'bigint' else inferred) -}}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {%- set type = spark_seed_column_type(model, agate_table, loop.index0) -%}
                {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type }}
                {{- ', ' if not loop.last }}
            {%- endfor -%}
        )
        {{ file_format_clause() }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{- return(sql) -}}
{%- endmacro %}


{#- A Python value of a seed cell as a Spark SQL literal. -#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true -%}
        true
    {%- elif value is sameas false -%}
        false
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ (value | string) | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}


{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(spark_seed_column_type(model, agate_table, loop.index0)) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            (
                {%- for value in row -%}
                    cast({{ spark_seed_literal(value) }} as {{ types[loop.index0] }})
                    {{- ', ' if not loop.last }}
                {%- endfor -%}
            ){{ ',' if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{- return(statements[0] if statements else '') -}}
{%- endmacro %}
