{#-
    One read and one parse of each new Graph file per build (DuckDB). The call records
    of the new files are read and checked once, into an in-memory scratch database
    attached to the build's DuckDB instance (landing_scratch: every connection of the
    build sees it, nothing of it is written to the warehouse file; DuckDB spills it to
    its temp directory only beyond memory_limit, as any query does). Each level's base
    model types the located rows of its level from the scratch; its post-hook unnests
    its good rows' children into the scratch for the level below and drops its own
    level's. The hooks run outside the model's transaction: one DuckDB transaction
    writes to one database only. on-run-end detaches the scratch (drop_landing_scratch).

    A file the scratch lacks (a nested model selected without its parent, or a file the
    parent loaded in an earlier run) is unnested from the landing file by the model's
    pre-hook, so no row depends on what else ran; the log says how many files each model
    took from the scratch and how many it read again.
-#}

{#-
    The scratch table of a Graph level (graph_levels), and with `files` = true the table
    of the files it covers (`path`): every record of those files, at that level, is in
    the scratch, if any (a file can have no row at a level).
-#}
{% macro graph_scratch_table(level, files=false) -%}
    landing_scratch.graph__{{ level }}{{ '__files' if files }}
{%- endmacro %}


{#-
    SQL that records the files of `files` (a run-time file set) as covered by the scratch
    of `level`: a new list, or with add = true added to the list.
-#}
{% macro graph_scratch_cover(level, files, add=false) -%}
    {{ 'insert into ' ~ graph_scratch_table(level, files=true) if add
        else 'create or replace table ' ~ graph_scratch_table(level, files=true) ~ ' as' }}
    select unnest({{ landing_file_list(files) }}) as path
{%- endmacro %}


{% macro graph_scratch_attach() -%}
    attach if not exists ':memory:' as landing_scratch
{%- endmacro %}


{#-
    Pre-hook of base_graph__call_records: the landed records of its new or changed files
    (read_landing_json: read, classified and split once) into the scratch.
-#}
{% macro graph_scratch_call_records() -%}
    {%- if execute -%}
        {%- do run_query(graph_scratch_attach()) -%}
        {%- set sql -%}
            create or replace table {{ graph_scratch_table('call_records') }} as
            {{ read_landing_json('graph', 'graph', 'value',
                files=landing_files_to_read('graph')) }};
            {{ graph_scratch_cover('call_records', landing_files_to_read('graph')) }}
        {%- endset -%}
        {%- do run_query(sql) -%}
    {%- endif -%}
{%- endmacro %}


{#-
    Pre-hook of a nested Graph base model: make the scratch of its `level` cover every
    file of its run-time file set, unnesting the files it does not cover from the
    landing files (graph_located_from_files). Logs how many files came from the scratch.
-#}
{% macro graph_scratch_fill(level) -%}
    {%- if execute -%}
        {%- set files = landing_files_to_read('graph') -%}
        {%- set missing = {'folder': 'graph', 'variable': files.variable ~ '__unscratched'} -%}
        {%- set table = graph_scratch_table(level) -%}
        {%- do run_query(graph_scratch_attach()) -%}
        {%- set probe -%}
            select count(*) from duckdb_tables()
            where
                database_name = 'landing_scratch'
                and table_name = 'graph__{{ level }}__files'
        {%- endset -%}
        {%- set exists = run_query(probe).rows[0][0] > 0 -%}
        {%- set sql -%}
            set variable {{ missing.variable }} = (
                select coalesce(list(path order by path), [])
                from unnest({{ landing_file_list(files) }}) as listed (path)
                {%- if exists %}
                where path not in (
                    select path from {{ graph_scratch_table(level, files=true) }}
                )
                {%- endif %}
            )
        {%- endset -%}
        {%- do run_query(sql) -%}
        {%- set counted -%}
            select
                len({{ landing_file_list(missing) }}),
                len({{ landing_file_list(files) }})
        {%- endset -%}
        {%- set row = run_query(counted).rows[0] -%}
        {%- if row[0] > 0 or not exists -%}
            {%- set sql -%}
                {{ 'insert into ' ~ table if exists
                    else 'create table ' ~ table ~ ' as' }}
                {{ graph_located_from_files(level, missing) }};
                {{ graph_scratch_cover(level, missing, add=exists) }}
            {%- endset -%}
            {#- hash-join the stored parent tables (the right side as written), never
                the landed records: DuckDB estimates read_blob at one row per file, so
                its optimizer would build the join's hash table from the records (all
                the raw JSON of the files: out of memory at 10M sessions with
                memory_limit 3.5GB). Database-wide while it runs, a plan choice only. -#}
            {%- do run_query("set disabled_optimizers = 'build_side_probe_side'") -%}
            {%- do run_query(sql) -%}
            {%- do run_query('reset disabled_optimizers') -%}
        {%- endif -%}
        {{- log('session_analytics: ' ~ this.identifier ~ ' takes ' ~ (row[1] - row[0])
            ~ ' file(s) of graph from the scratch of ' ~ level ~ ', unnests '
            ~ row[0] ~ ' from the landing files', info=true) -}}
    {%- endif -%}
{%- endmacro %}


{#-
    Post-hook of the base model of `level`: the located rows of the level below under
    its good rows (graph_located_under), into the scratch, covering the same files,
    when a reader of that level is selected; then the scratch of `level` is dropped.
-#}
{% macro graph_scratch_children(level) -%}
    {%- if execute -%}
        {%- set child = graph_levels()[level].child -%}
        {%- set readers = graph_levels()[child].readers -%}
        {%- set selected = [] -%}
        {%- for name in readers
                if 'model.' ~ project_name ~ '.' ~ name in selected_resources -%}
            {%- do selected.append(name) -%}
        {%- endfor -%}
        {%- if selected -%}
            {%- set sql -%}
                create or replace table {{ graph_scratch_table(child) }} as
                {{ graph_located_under(child,
                    'select * from ' ~ graph_scratch_table(level), parents=this) }};
                create or replace table {{ graph_scratch_table(child, files=true) }} as
                select * from {{ graph_scratch_table(level, files=true) }}
            {%- endset -%}
            {%- do run_query(sql) -%}
        {%- endif -%}
        {%- do run_query('drop table if exists ' ~ graph_scratch_table(level) ~ '; '
            ~ 'drop table if exists ' ~ graph_scratch_table(level, files=true)) -%}
    {%- endif -%}
{%- endmacro %}


{#-
    The hooks of the base model of a Graph `level`, outside its transaction (DuckDB; an
    engine without the scratch has none). The pre-hooks come after set_landing_files,
    which is outside the transaction too.
-#}
{% macro graph_scratch_hooks(level) -%}
    {{- return(adapter.dispatch('graph_scratch_hooks', 'session_analytics')(level)) -}}
{%- endmacro %}


{% macro default__graph_scratch_hooks(level) -%}
    {{- return({'pre_hook': [], 'post_hook': []}) -}}
{%- endmacro %}


{% macro duckdb__graph_scratch_hooks(level) -%}
    {%- set pre = ('{{ graph_scratch_call_records() }}' if level == 'call_records'
        else '{{ graph_scratch_fill(' ~ level | tojson ~ ') }}') -%}
    {%- set post = [] -%}
    {%- if graph_levels()[level].child -%}
        {%- do post.append({'sql': '{{ graph_scratch_children(' ~ level | tojson ~ ') }}',
            'transaction': false}) -%}
    {%- endif -%}
    {{- return({
        'pre_hook': [{'sql': pre, 'transaction': false}],
        'post_hook': post,
    }) -}}
{%- endmacro %}


{#- The records the call records model types: from the scratch on DuckDB. -#}
{% macro graph_landed_records(files) -%}
    {{- return(adapter.dispatch('graph_landed_records', 'session_analytics')(files)) -}}
{%- endmacro %}


{% macro default__graph_landed_records(files) -%}
    {{ read_landing_json('graph', 'graph', 'value', files=files) }}
{%- endmacro %}


{% macro duckdb__graph_landed_records(files) -%}
    {{ duckdb__graph_located_rows('call_records', files) }}
{%- endmacro %}


{#- on-run-end: detach the scratch (nothing to do where there is none). -#}
{% macro drop_landing_scratch() -%}
    {{- return(adapter.dispatch('drop_landing_scratch', 'session_analytics')()) -}}
{%- endmacro %}


{% macro default__drop_landing_scratch() -%}
{%- endmacro %}


{% macro duckdb__drop_landing_scratch() -%}
    detach database if exists landing_scratch
{%- endmacro %}
