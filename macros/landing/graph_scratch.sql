{#-
    One read and one parse of each new Graph file per build (DuckDB). The call records
    of the new files are read and checked once, into an in-memory scratch database
    attached to the build's DuckDB instance (landing_scratch: every connection of the
    build sees it, nothing of it is written to the warehouse file; DuckDB spills it to
    its temp directory only beyond memory_limit, as any query does). Each level's base
    model types the located rows of its level from the scratch; its post-hook unnests
    its good rows' children into the scratch for the level below. A level's scratch is
    dropped by its last selected reader (graph_scratch_release: the member-paths model,
    when selected, drops the call records', base_graph__media_streams the media's; the
    member-paths model also drops its structures). The hooks run outside the model's
    transaction: one DuckDB transaction writes to one database only. on-run-end detaches
    the scratch (drop_landing_scratch), whatever a failed model left in it.

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
    (read_landing_json: read, classified and split once) into the scratch. When
    base_landing__json_member_paths is selected, a record with a top-level member name
    given twice also keeps its text as landed (landed_record, NULL for the others), for
    the structures that model walks (graph_scratch_fill_structures).
-#}
{% macro graph_scratch_call_records() -%}
    {%- if execute -%}
        {%- set files = landing_files_to_read('graph') -%}
        {%- set member_paths = 'base_landing__json_member_paths'
            in graph_selected_readers('call_records') -%}
        {%- do run_query(graph_scratch_attach()) -%}
        {%- set sql -%}
            create or replace table {{ graph_scratch_table('call_records') }} as
            {%- if member_paths %}
            select
                * replace ({{ json_last_member_wins('record') }} as record),
                case
                    when {{ json_repeated_members('record') }} > 0 then record
                end as landed_record
            from ({{ read_landing_json('graph', 'graph', 'value', files=files,
                last_member_wins=false) }}) as landed
            {%- else %}
            {{ read_landing_json('graph', 'graph', 'value', files=files) }}
            {%- endif %};
            {{ graph_scratch_cover('call_records', files) }}
        {%- endset -%}
        {%- do run_query(sql) -%}
    {%- endif -%}
{%- endmacro %}


{#-
    The files of the run-time file set `files` that the scratch of `level` does not
    cover, as a run-time file set of their own (its session variable is set here):
    {files, exists (the scratch of `level` exists), missing, listed (file counts)}.
-#}
{% macro graph_scratch_gap(level, files) -%}
    {%- set missing = {'folder': files.folder,
        'variable': files.variable ~ '__unscratched'} -%}
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
    {{- return({'files': missing, 'exists': exists, 'missing': row[0],
        'listed': row[1]}) -}}
{%- endmacro %}


{#-
    SQL that adds the rows of `fill_sql` (the files of the gap, graph_scratch_gap) to
    the scratch of `level`, creating it if it does not exist, and records those files
    as covered.
-#}
{% macro graph_scratch_store(level, fill_sql, gap) -%}
    {{ 'insert into ' ~ graph_scratch_table(level) if gap.exists
        else 'create table ' ~ graph_scratch_table(level) ~ ' as' }}
    {{ fill_sql }};
    {{ graph_scratch_cover(level, gap.files, add=gap.exists) }}
{%- endmacro %}


{#- Logs how many files of the model's set the scratch of `level` gave (gap). -#}
{% macro graph_scratch_log(level, gap, verb) -%}
    {{- log('session_analytics: ' ~ this.identifier ~ ' takes '
        ~ (gap.listed - gap.missing) ~ ' file(s) of graph from the scratch of ' ~ level
        ~ ', ' ~ verb ~ ' ' ~ gap.missing ~ ' from the landing files', info=true) -}}
{%- endmacro %}


{#-
    Pre-hook of a nested Graph base model: make the scratch of its `level` cover every
    file of its run-time file set, unnesting the files it does not cover from the
    landing files (graph_located_from_files). Logs how many files came from the scratch.
-#}
{% macro graph_scratch_fill(level) -%}
    {%- if execute -%}
        {%- set gap = graph_scratch_gap(level, landing_files_to_read('graph')) -%}
        {%- if gap.missing > 0 or not gap.exists -%}
            {#- hash-join the stored parent tables (the right side as written), never
                the landed records: DuckDB estimates read_blob at one row per file, so
                its optimizer would build the join's hash table from the records (all
                the raw JSON of the files: out of memory at 10M sessions with
                memory_limit 3.5GB). Database-wide while it runs, a plan choice only. -#}
            {%- do run_query("set disabled_optimizers = 'build_side_probe_side'") -%}
            {%- do run_query(graph_scratch_store(level,
                graph_located_from_files(level, gap.files), gap)) -%}
            {%- do run_query('reset disabled_optimizers') -%}
        {%- endif -%}
        {{- graph_scratch_log(level, gap, 'unnests') -}}
    {%- endif -%}
{%- endmacro %}


{#-
    Pre-hook of base_landing__json_member_paths (it runs after the call records model):
    the structures of the records of every Graph file of its run-time file set, as
    landed, into the scratch of `member_structures`: from the call records' scratch for
    the files it covers, from the landing files for the others (a run without the call
    records model, or files it loaded in an earlier run). The call records' scratch is
    then dropped (graph_scratch_release). Off the Graph levels' chain: the sessions
    model runs on the other thread meanwhile.
-#}
{% macro graph_scratch_fill_structures() -%}
    {%- if execute -%}
        {%- set files = landing_files_to_read('graph') -%}
        {%- set gap = graph_scratch_gap('call_records', files) -%}
        {%- set parts = [] -%}
        {%- if gap.exists -%}
            {%- do parts.append(json_record_structures(
                'select source_file, coalesce(landed_record, record) as record,'
                ~ ' landing_error from ' ~ graph_scratch_table('call_records')
                ~ ' where list_contains(' ~ landing_file_list(files) ~ ', source_file)'
            )) -%}
        {%- endif -%}
        {%- if gap.missing > 0 or not gap.exists -%}
            {%- do parts.append(json_record_structures(read_landing_json('graph', 'graph',
                'value', files=gap.files, last_member_wins=false))) -%}
        {%- endif -%}
        {%- do run_query('create or replace table '
            ~ graph_scratch_table('member_structures') ~ ' as '
            ~ parts | join(' union all ')) -%}
        {{- graph_scratch_log('call_records', gap, 'reads') -}}
        {{- graph_scratch_release('call_records') -}}
    {%- endif -%}
{%- endmacro %}


{#- SQL that drops the scratch of `level` and its list of covered files. -#}
{% macro graph_scratch_drop(level) -%}
    drop table if exists {{ graph_scratch_table(level) }};
    drop table if exists {{ graph_scratch_table(level, files=true) }}
{%- endmacro %}


{#-
    Post-hook of the base model of `level`: the located rows of the level below under
    its good rows (graph_located_under), into the scratch, covering the same files,
    when a reader of that level is selected; then the scratch of `level` is dropped,
    unless another reader of it is still to run (graph_scratch_release).
-#}
{% macro graph_scratch_children(level) -%}
    {%- if execute -%}
        {%- set child = graph_levels()[level].child -%}
        {%- if graph_selected_readers(child) -%}
            {%- set sql -%}
                create or replace table {{ graph_scratch_table(child) }} as
                {{ graph_located_under(child,
                    'select * from ' ~ graph_scratch_table(level), parents=this) }};
                create or replace table {{ graph_scratch_table(child, files=true) }} as
                select * from {{ graph_scratch_table(level, files=true) }}
            {%- endset -%}
            {%- do run_query(sql) -%}
        {%- endif -%}
        {{- graph_scratch_release(level) -}}
    {%- endif -%}
{%- endmacro %}


{#-
    Drops the scratch of a Graph `level` when the calling model is the last selected
    reader of it (readers run in the order graph_levels lists them), so that it is not
    held to the end of the run: the post-hook of the media models, and the end of
    graph_scratch_children and graph_scratch_fill_structures.
-#}
{% macro graph_scratch_release(level) -%}
    {%- if execute and graph_selected_readers(level)[-1:] == [this.identifier] -%}
        {%- do run_query(graph_scratch_drop(level)) -%}
        {{- log('session_analytics: ' ~ this.identifier ~ ' drops the scratch of '
            ~ level, info=true) -}}
    {%- endif -%}
{%- endmacro %}


{#- The readers of a Graph `level` (graph_levels) that this run has selected. -#}
{% macro graph_selected_readers(level) -%}
    {%- set selected = [] -%}
    {%- for name in graph_levels()[level].readers
            if 'model.' ~ project_name ~ '.' ~ name in selected_resources -%}
        {%- do selected.append(name) -%}
    {%- endfor -%}
    {{- return(selected) -}}
{%- endmacro %}


{#-
    The hooks of the base model of a Graph `level`, or of base_landing__json_member_paths
    (`member_structures`), outside its transaction (DuckDB; an engine without the
    scratch has none). The pre-hooks come after set_landing_files, which is outside the
    transaction too.
-#}
{% macro graph_scratch_hooks(level) -%}
    {{- return(adapter.dispatch('graph_scratch_hooks', 'session_analytics')(level)) -}}
{%- endmacro %}


{% macro default__graph_scratch_hooks(level) -%}
    {{- return({'pre_hook': [], 'post_hook': []}) -}}
{%- endmacro %}


{% macro duckdb__graph_scratch_hooks(level) -%}
    {%- set pre = {
        'call_records': '{{ graph_scratch_call_records() }}',
        'member_structures': '{{ graph_scratch_fill_structures() }}',
    }.get(level, '{{ graph_scratch_fill(' ~ level | tojson ~ ') }}') -%}
    {%- set post = [] -%}
    {%- if level == 'member_structures' -%}
        {%- do post.append({'sql': '{{ graph_scratch_drop("member_structures") }}',
            'transaction': false}) -%}
    {%- elif not graph_levels()[level].child -%}
        {%- do post.append({'sql': '{{ graph_scratch_release(' ~ level | tojson ~ ') }}',
            'transaction': false}) -%}
    {%- else -%}
        {%- do post.append({'sql': '{{ graph_scratch_children(' ~ level | tojson ~ ') }}',
            'transaction': false}) -%}
    {%- endif -%}
    {{- return({
        'pre_hook': [{'sql': pre, 'transaction': false}],
        'post_hook': post,
    }) -}}
{%- endmacro %}


{#- `config` (landing_base_config) with the scratch hooks of `level` after its own. -#}
{% macro with_graph_scratch_hooks(config, level) -%}
    {%- for hook, hooks in graph_scratch_hooks(level).items() -%}
        {%- do config.update({hook: config.get(hook, []) + hooks}) -%}
    {%- endfor -%}
    {{- return(config) -}}
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
