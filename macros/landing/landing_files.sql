{#- The path of one landing folder: var('landing_dir')/folder. -#}
{% macro landing_path(folder) -%}
    {{- var('landing_dir') ~ '/' ~ folder -}}
{%- endmacro %}


{#-
    The landing folders of docs/LANDING.md: system, folder, file patterns, format and the
    entities staged from them (the first is the top-level entity, one per row/record).
-#}
{% macro landing_folders() -%}
{{ return([
    {'system': 'sfb_qoe', 'folder': 'sfb_qoe', 'format': 'csv',
        'patterns': ['*.csv', '*.CSV'], 'entities': ['session']},
    {'system': 'sfb_cdr', 'folder': 'sfb_cdr', 'format': 'csv',
        'patterns': ['*.csv', '*.CSV'], 'entities': ['session_details']},
    {'system': 'graph', 'folder': 'graph', 'format': 'json',
        'patterns': ['*.json', '*.jsonl', '*.JSON', '*.JSONL'],
        'entities': ['call_record', 'session', 'segment', 'media_stream', 'media']},
    {'system': 'superoffice', 'folder': 'superoffice', 'format': 'csv',
        'patterns': ['*.csv', '*.CSV'], 'entities': ['chat_session']},
    {'system': 'syllable', 'folder': 'syllable', 'format': 'json',
        'patterns': ['*.json', '*.jsonl', '*.JSON', '*.JSONL'], 'entities': ['session']},
    {'system': 'syllable', 'folder': 'syllable_labels', 'format': 'json',
        'patterns': ['*.json', '*.jsonl', '*.JSON', '*.JSONL'],
        'entities': ['session_label']},
    {'system': 'graph_pstn', 'folder': 'graph_pstn', 'format': 'json',
        'patterns': ['*.json', '*.jsonl', '*.JSON', '*.JSONL'], 'entities': ['call']},
    {'system': 'graph_direct_routing', 'folder': 'graph_direct_routing', 'format': 'json',
        'patterns': ['*.json', '*.jsonl', '*.JSON', '*.JSONL'], 'entities': ['call']},
    {'system': 'cqd', 'folder': 'buildings', 'format': 'delimited',
        'patterns': ['*.csv', '*.tsv', '*.CSV', '*.TSV'], 'entities': ['building']},
    {'system': 'cqd', 'folder': 'endpoints', 'format': 'delimited',
        'patterns': ['*.csv', '*.tsv', '*.CSV', '*.TSV'], 'entities': ['endpoint']},
]) }}
{%- endmacro %}


{#-
    Every staged entity: its base (every landed row, with rejection_reason) and stg (good
    rows, latest version per key) models, the natural key and the version order; for a
    nested Graph entity, the stg model of its parent (a row is staged only under a staged
    parent row: the children of a superseded call record version are superseded too). The stg
    models, staging.rejected_rows and staging.row_reconciliation all read this list, so
    that the key that decides "superseded" is the same everywhere.
-#}
{% macro staged_entities() -%}
{{ return([
    {'system': 'sfb_qoe', 'entity': 'session', 'folder': 'sfb_qoe',
        'base': 'base_sfb_qoe__sessions', 'stg': 'stg_sfb_qoe__sessions',
        'keys': ['conference_date_time', 'session_seq'], 'order_by': ''},
    {'system': 'sfb_cdr', 'entity': 'session_details', 'folder': 'sfb_cdr',
        'base': 'base_sfb_cdr__session_details', 'stg': 'stg_sfb_cdr__session_details',
        'keys': ['session_id_time', 'session_id_seq'],
        'order_by': 'last_modified_time desc nulls last'},
    {'system': 'graph', 'entity': 'call_record', 'folder': 'graph',
        'base': 'base_graph__call_records', 'stg': 'stg_graph__call_records',
        'keys': ['call_record_id'],
        'order_by': 'version desc nulls last, last_modified_at desc nulls last'},
    {'system': 'graph', 'entity': 'session', 'folder': 'graph',
        'base': 'base_graph__sessions', 'stg': 'stg_graph__sessions',
        'keys': ['call_record_id', 'session_id'], 'order_by': '',
        'parent': 'stg_graph__call_records'},
    {'system': 'graph', 'entity': 'segment', 'folder': 'graph',
        'base': 'base_graph__segments', 'stg': 'stg_graph__segments',
        'keys': ['call_record_id', 'session_id', 'segment_id'], 'order_by': '',
        'parent': 'stg_graph__sessions'},
    {'system': 'graph', 'entity': 'media_stream', 'folder': 'graph',
        'base': 'base_graph__media_streams', 'stg': 'stg_graph__media_streams',
        'keys': ['call_record_id', 'session_id', 'segment_id', 'media_label',
            'stream_direction', 'stream_id'], 'order_by': '',
        'parent': 'stg_graph__segments'},
    {'system': 'graph', 'entity': 'media', 'folder': 'graph',
        'base': 'base_graph__media', 'stg': 'stg_graph__media',
        'keys': ['call_record_id', 'session_id', 'segment_id', 'media_label'],
        'order_by': '', 'parent': 'stg_graph__segments'},
    {'system': 'superoffice', 'entity': 'chat_session', 'folder': 'superoffice',
        'base': 'base_superoffice__chat_sessions', 'stg': 'stg_superoffice__chat_sessions',
        'keys': ['chat_session_id'], 'order_by': ''},
    {'system': 'syllable', 'entity': 'session', 'folder': 'syllable',
        'base': 'base_syllable__sessions', 'stg': 'stg_syllable__sessions',
        'keys': ['session_id'], 'order_by': ''},
    {'system': 'syllable', 'entity': 'session_label', 'folder': 'syllable_labels',
        'base': 'base_syllable__session_labels', 'stg': 'stg_syllable__session_labels',
        'keys': ['session_label_id'], 'order_by': ''},
    {'system': 'graph_pstn', 'entity': 'call', 'folder': 'graph_pstn',
        'base': 'base_graph_pstn__calls', 'stg': 'stg_graph_pstn__calls',
        'keys': ['pstn_call_id'], 'order_by': ''},
    {'system': 'graph_direct_routing', 'entity': 'call', 'folder': 'graph_direct_routing',
        'base': 'base_graph_direct_routing__calls', 'stg': 'stg_graph_direct_routing__calls',
        'keys': ['direct_routing_call_id'], 'order_by': ''},
    {'system': 'cqd', 'entity': 'building', 'folder': 'buildings',
        'base': 'base_cqd__buildings', 'stg': 'stg_cqd__buildings',
        'keys': ['source_file', 'network_ip', 'network_range'], 'order_by': ''},
    {'system': 'cqd', 'entity': 'endpoint', 'folder': 'endpoints',
        'base': 'base_cqd__endpoints', 'stg': 'stg_cqd__endpoints',
        'keys': ['endpoint_name_hash'], 'order_by': ''},
]) }}
{%- endmacro %}


{#- The staged_entities() entry of a base or stg model name. -#}
{% macro staged_entity(model_name) -%}
    {%- for entity in staged_entities()
            if entity.base == model_name or entity.stg == model_name -%}
        {{- return(entity) -}}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error('staged_entity: unknown model ' ~ model_name) -}}
{%- endmacro %}


{#-
    Landed files of one source folder: a list of {path, size, fingerprint} dicts, sorted by
    path (fingerprint: size and modification time, see file_fingerprint). Runs at
    execution time only (returns [] while dbt parses). A missing or empty folder gives []
    and the staging models build with zero rows.
-#}
{% macro landing_files(folder, patterns) -%}
    {{- return(adapter.dispatch('landing_files', 'session_analytics')(folder, patterns)) -}}
{%- endmacro %}


{% macro duckdb__landing_files(folder, patterns) -%}
    {%- if not execute -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set globs = [] -%}
    {%- for pattern in patterns -%}
        {%- do globs.append("'" ~ landing_path(folder) ~ "/" ~ pattern ~ "'") -%}
    {%- endfor -%}
    {%- set listing -%}
        select distinct file from glob([{{ globs | join(', ') }}]) order by file
    {%- endset -%}
    {%- set names = run_query(listing).columns[0].values() | list -%}
    {%- if names | length == 0 -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set sizing -%}
        select filename, size, epoch_ms(last_modified) from read_blob([
            {%- for name in names %}'{{ name }}'{{ ', ' if not loop.last }}{% endfor -%}
        ]) order by filename
    {%- endset -%}
    {%- set files = [] -%}
    {%- for row in run_query(sizing).rows -%}
        {%- do files.append({'path': row[0], 'size': row[1],
            'fingerprint': file_fingerprint(row[1], row[2])}) -%}
    {%- endfor -%}
    {{- return(files) -}}
{%- endmacro %}


{#-
    What identifies one version of a landed file for incremental loads: its size and
    modification time (milliseconds since the epoch), e.g. `5691 bytes, mtime 1795402200000`.
    A file whose path and fingerprint are already in a base model is not read again; a
    file of the same path with another fingerprint is read again and replaces its rows.
-#}
{% macro file_fingerprint(size, modified_ms) -%}
    {{- return(size ~ ' bytes, mtime ' ~ modified_ms) -}}
{%- endmacro %}


{#- file_fingerprint in SQL, from read_blob's size and last_modified columns. -#}
{% macro file_fingerprint_sql(size, last_modified) -%}
    cast({{ size }} as varchar) || ' bytes, mtime '
        || cast(epoch_ms({{ last_modified }}) as varchar)
{%- endmacro %}


{#-
    The files of `files` that the calling base model must read: all of them, except in an
    incremental run (is_incremental(): the model's table exists, no --full-refresh), where
    files whose path and fingerprint the table already holds are left out. Base models
    are delete+insert on source_file, so a file read again replaces its earlier rows: a
    re-landed identical file is never counted twice. Logs what it skips.
-#}
{% macro files_to_load(files) -%}
    {%- if not execute or not files or not is_incremental() -%}
        {{- return(files) -}}
    {%- endif -%}
    {%- set loaded = {} -%}
    {%- set sql -%}
        select distinct source_file, source_file_fingerprint from {{ this }}
    {%- endset -%}
    {%- for row in run_query(sql).rows -%}
        {%- do loaded.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set new_files = [] -%}
    {%- for file in files if loaded.get(file.path) != file.fingerprint -%}
        {%- do new_files.append(file) -%}
    {%- endfor -%}
    {{- log('session_analytics: ' ~ this.identifier ~ ' reads ' ~ new_files | length
        ~ ' new or changed file(s), skips ' ~ (files | length - new_files | length)
        ~ ' already loaded', info=true) -}}
    {{- return(new_files) -}}
{%- endmacro %}


{#-
    The files of a landing folder the calling model must read, decided while the build
    runs: a run-time file set {folder, variable}, the name of a session variable that the
    model's pre-hook set_landing_files fills with the paths of the new or changed files.
    Readers take it wherever they take a list of file dicts (landing_file_list,
    file_fingerprint_values). Engines without session variables (Spark) get the list of
    file dicts of landing_files_to_load, decided while the model compiles.
-#}
{% macro landing_files_to_read(folder) -%}
    {{- return(adapter.dispatch('landing_files_to_read', 'session_analytics')(folder)) -}}
{%- endmacro %}


{% macro default__landing_files_to_read(folder) -%}
    {{- return({'folder': folder,
        'variable': 'landing_files__' ~ this.identifier ~ '__' ~ folder}) -}}
{%- endmacro %}


{#-
    Every landed file of a folder as rows (path, file_bytes, fingerprint), listed while
    the query runs from the file system's metadata (read_blob without its content column
    reads no file): the SQL names the folder's patterns, never a file. Spark lists the
    files while the model compiles (landing_files) and inlines them.
-#}
{% macro landing_listing(folder) -%}
    {{- return(adapter.dispatch('landing_listing', 'session_analytics')(folder)) -}}
{%- endmacro %}


{% macro default__landing_listing(folder) -%}
    {%- for spec in landing_folders() if spec.folder == folder %}
    select distinct
        filename as path,
        size as file_bytes,
        {{ file_fingerprint_sql('size', 'last_modified') }} as fingerprint
    from read_blob([
        {%- for pattern in spec.patterns -%}
        '{{ landing_path(folder) }}/{{ pattern }}'{{ ', ' if not loop.last }}
        {%- endfor -%}
    ])
    {%- endfor -%}
{%- endmacro %}


{#-
    Pre-hook of a model that reads run-time file sets (landing_base_config's
    runtime_folders): for each folder, set the session variable of
    landing_files_to_read(folder) to the paths of the folder's files the model must
    read: all of them, or in an incremental run those whose path and fingerprint the
    model's table does not hold; with `parent` (a model name), only files with a good
    row in it (the nested Graph levels). Runs while the build runs (hooks render then);
    logs what it reads and skips. Renders no SQL of its own.
-#}
{% macro set_landing_files(folders, parent=none) -%}
    {%- if execute -%}
        {%- for folder in folders -%}
            {%- set file_set = landing_files_to_read(folder) -%}
            {%- set sql -%}
                set variable {{ file_set.variable }} = (
                    select coalesce(list(listed.path order by listed.path), [])
                    from ({{ landing_listing(folder) }}) as listed
                    where true
                    {%- if is_incremental() %}
                        and not exists (
                            select 1 from {{ this }} as loaded
                            where
                                loaded.source_file = listed.path
                                and loaded.source_file_fingerprint = listed.fingerprint
                        )
                    {%- endif %}
                    {%- if parent %}
                        and listed.path in (
                            select source_file from {{ ref(parent) }}
                            where rejection_reason is null
                        )
                    {%- endif %}
                )
            {%- endset -%}
            {%- do run_query(sql) -%}
            {%- set counted -%}
                select
                    len(getvariable('{{ file_set.variable }}')),
                    (select count(*) from ({{ landing_listing(folder) }}) as listed)
            {%- endset -%}
            {%- set row = run_query(counted).rows[0] -%}
            {{- log('session_analytics: ' ~ this.identifier ~ ' reads ' ~ row[0]
                ~ ' new or changed file(s) of ' ~ folder ~ ', skips '
                ~ (row[1] - row[0]) ~ ' already loaded'
                ~ (' or without a good ' ~ parent ~ ' row' if parent else ''),
                info=true) -}}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#-
    Post-hook of a base model that reads run-time file sets: log each file of them it
    quarantined (on_bad_file = quarantine), as bad_landing_file does for the readers
    that check files while they compile. The file is in staging.landed_files
    (`quarantined`) and staging.rejected_rows too.
-#}
{% macro report_quarantined_files(folders) -%}
    {%- if execute and var('on_bad_file', 'fail') == 'quarantine' -%}
        {%- set entity = staged_entity(this.identifier) -%}
        {%- for folder in folders -%}
            {%- set sql -%}
                select source_file, rejection_reason from {{ this }}
                where
                    source_row_number is null
                    and list_contains(
                        getvariable('{{ landing_files_to_read(folder).variable }}'),
                        source_file
                    )
                order by source_file
            {%- endset -%}
            {%- for row in run_query(sql).rows -%}
                {{- log('session_analytics: quarantined bad file ' ~ row[0] ~ ' ('
                    ~ entity.system ~ '): ' ~ row[1], info=true) -}}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#- The files of a landing folder (landing_folders()) the calling base model must read. -#}
{% macro landing_files_to_load(folder) -%}
    {%- for spec in landing_folders() if spec.folder == folder -%}
        {{- return(files_to_load(landing_files(folder, spec.patterns))) -}}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error('landing_files_to_load: unknown folder ' ~ folder) -}}
{%- endmacro %}


{#-
    The materialization of the base_* models: incremental (delete+insert on source_file)
    where the engine supports it, otherwise a table rebuilt from every landed file.
-#}
{% macro landing_base_config(runtime_folders=[], parent=none, csv=none) -%}
    {{- return(adapter.dispatch('landing_base_config', 'session_analytics')(
        runtime_folders, parent, csv)) -}}
{%- endmacro %}


{#-
    runtime_folders: the folders whose files the model reads as run-time file sets
    (landing_files_to_read); the pre-hook set_landing_files fills them, after
    delete_unlisted_files. parent: see set_landing_files. csv: for a CSV source,
    {system, columns: the name of its column macro}: the pre-hook stage_landing_csv
    reads the files of the one run-time folder (it logs the files it quarantines), the
    post-hook drop_landing_csv drops what it read them into.
-#}
{% macro default__landing_base_config(runtime_folders=[], parent=none, csv=none) -%}
    {%- set hooks = ['{{ delete_unlisted_files() }}'] -%}
    {%- set post_hooks = [] -%}
    {%- if runtime_folders -%}
        {#- outside the model's transaction, before the hooks that read the variable
            there (graph_scratch_hooks); it only sets a session variable -#}
        {%- do hooks.append({'sql': '{{ set_landing_files(' ~ runtime_folders | tojson
            ~ ', ' ~ (parent | tojson if parent else 'none') ~ ') }}',
            'transaction': false}) -%}
        {%- if csv -%}
            {%- do hooks.append('{{ stage_landing_csv(' ~ csv.system | tojson ~ ', '
                ~ runtime_folders[0] | tojson ~ ', ' ~ csv.columns ~ '()) }}') -%}
            {%- do post_hooks.append('{{ drop_landing_csv('
                ~ runtime_folders[0] | tojson ~ ') }}') -%}
        {%- elif not parent
                and model.name in staged_entities() | map(attribute='base') -%}
            {%- do post_hooks.append('{{ report_quarantined_files('
                ~ runtime_folders | tojson ~ ') }}') -%}
        {%- endif -%}
    {%- endif -%}
    {{- return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'source_file',
        'on_schema_change': 'fail',
        'pre_hook': hooks,
        'post_hook': post_hooks,
    }) -}}
{%- endmacro %}


{#-
    Pre-hook of the incremental base models: delete the rows of every file the table
    holds that is no longer landed (removed) or landed with another fingerprint (changed,
    emptied). delete+insert on source_file alone would keep them, as a removed or
    emptied file brings no row to delete by. staging.landed_files records a removed file
    (file_status `removed`). The files are listed by the query itself (landing_listing),
    while the build runs; renders nothing in a full build.
-#}
{% macro delete_unlisted_files() -%}
    {%- if execute and is_incremental() -%}
        {#- a base model of one entity lists its own folder only -#}
        {%- set folders = staged_entities() | selectattr('base', 'equalto', this.identifier)
            | map(attribute='folder') | list
            or landing_folders() | map(attribute='folder') | list -%}
        {%- set unlisted -%}
            not exists (
                select 1
                from (
                    {%- for folder in folders %}
                    select path, fingerprint from ({{ landing_listing(folder) }}) as listed
                    {{- ' union all' if not loop.last }}
                    {%- endfor %}
                ) as listed
                where
                    listed.path = loaded.source_file
                    and listed.fingerprint = loaded.source_file_fingerprint
            )
        {%- endset -%}
        {%- set counted -%}
            select count(distinct source_file) from {{ this }} as loaded where {{ unlisted }}
        {%- endset -%}
        {%- set stale = run_query(counted).rows[0][0] -%}
        {%- if stale > 0 -%}
            {{- log('session_analytics: ' ~ this.identifier ~ ' drops the rows of '
                ~ stale ~ ' removed or changed file(s)', info=true) -}}
            delete from {{ this }} as loaded where {{ unlisted }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#-
    (path, fingerprint) of each file: for a run-time file set, from the files' metadata
    (read_blob without its content column opens no file); for file dicts, an inline
    table (no rows for no files).
-#}
{% macro file_fingerprint_values(files) -%}
    {%- if files is mapping %}
    select
        filename as path,
        {{ file_fingerprint_sql('size', 'last_modified') }} as fingerprint
    from read_blob({{ landing_file_list(files) }})
    {%- elif files %}
    select path, fingerprint
    from (
        values
        {%- for file in files %}
        ('{{ file.path | replace("'", "''") }}', '{{ file.fingerprint }}')
        {{- ',' if not loop.last }}
        {%- endfor %}
    ) as files (path, fingerprint)
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as path,
        cast(null as {{ dbt.type_string() }}) as fingerprint
    where 1 = 0
    {%- endif %}
{%- endmacro %}


{#-
    The paths of `files` as a SQL list: the run-time file set's session variable, or a
    list literal of the paths of file dicts.
-#}
{% macro landing_file_list(files) -%}
    {%- if files is mapping -%}
        getvariable('{{ files.variable }}')
    {%- elif not files -%}
        cast([] as varchar[])
    {%- else -%}
        [{% for file in files %}'{{ file.path }}'{{ ', ' if not loop.last }}{% endfor %}]
    {%- endif -%}
{%- endmacro %}


{#-
    Text checks of landed files at execution time, one query per folder: for each file
    whether it is valid UTF-8, whether it is blank (only a BOM and white space), its
    first line (BOM and CR removed; used for the CSV header) and whether it has blank
    lines; with csv, whether its line ends are consistent outside quoted fields (all LF
    or all CRLF, no other CR: DuckDB's CSV reader fails on a stray CR, even with
    ignore_errors). Returns {path: {utf8, blank, first_line, has_blank_lines,
    line_ends_ok}}; on DuckDB also the file's path, size and fingerprint (the same scan).
-#}
{% macro landing_text_checks(files, csv=false) -%}
    {{- return(adapter.dispatch('landing_text_checks', 'session_analytics')(files, csv)) -}}
{%- endmacro %}


{% macro duckdb__landing_text_checks(files, csv=false) -%}
    {%- set checks = {} -%}
    {%- if not execute or not files -%}
        {{- return(checks) -}}
    {%- endif -%}
    {%- set sql -%}
        with decoded as (
            select
                filename,
                size,
                {{ file_fingerprint_sql('size', 'last_modified') }} as fingerprint,
                try(decode(content)) as text
            from read_blob({{ landing_file_list(files) }})
        ),
        stripped as (
            select
                filename,
                size,
                fingerprint,
                text,
                ltrim(text, chr(65279)) as body,
                {%- if csv %}
                {#- only a text with a CR can have bad line ends: skip the costly regex -#}
                case
                    when contains(text, chr(13))
                        then regexp_replace(text, '"(?:[^"]|"")*"', '', 'g')
                    else ''
                end as unquoted
                {%- else %}
                cast(null as varchar) as unquoted
                {%- endif %}
            from decoded
        ),
        line_ends as (
            select
                *,
                (length(unquoted) - length(replace(unquoted, chr(13) || chr(10), ''))) / 2
                    as crlf_count,
                length(unquoted) - length(replace(unquoted, chr(10), '')) as lf_count,
                length(unquoted) - length(replace(unquoted, chr(13), '')) as cr_count
            from stripped
        )
        select
            filename,
            text is not null as utf8,
            {{ text_is_blank('body') }} as blank,
            rtrim(split_part(body, chr(10), 1), chr(13)) as first_line,
            coalesce(regexp_matches(body, '\n\r?\n|^\r?\n'), false) as has_blank_lines,
            coalesce(cr_count = 0 or (crlf_count = lf_count and crlf_count = cr_count), true)
                as line_ends_ok,
            size,
            fingerprint
        from line_ends
    {%- endset -%}
    {%- for row in run_query(sql).rows -%}
        {%- do checks.update({row[0]: {'utf8': row[1], 'blank': row[2],
            'first_line': row[3], 'has_blank_lines': row[4], 'line_ends_ok': row[5],
            'path': row[0], 'size': row[6], 'fingerprint': row[7]}}) -%}
    {%- endfor -%}
    {{- return(checks) -}}
{%- endmacro %}


{#- The message part for a file that is not UTF-8. -#}
{% macro not_utf8_problem(expected) -%}
    {{- 'expected ' ~ expected ~ ' in UTF-8 (a BOM is tolerated); found bytes that are'
        ~ ' not valid UTF-8 (latin-1, Windows-1252 or UTF-16?): re-export or convert the'
        ~ ' file to UTF-8' -}}
{%- endmacro %}


{#-
    The previous build's staging.landed_files (for its `removed` rows), or none: on a
    first build, with --full-refresh, and on Spark (its base tables are rebuilt from the
    landed files every time, so nothing is left to report).
-#}
{% macro previous_landed_files() -%}
    {{- return(adapter.dispatch('previous_landed_files', 'session_analytics')()) -}}
{%- endmacro %}


{% macro default__previous_landed_files() -%}
    {%- if not execute or flags.FULL_REFRESH -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(load_relation(this)) -}}
{%- endmacro %}


{% macro spark__previous_landed_files() -%}
    {{- return(none) -}}
{%- endmacro %}


{#- The lower-case column names of a relation. -#}
{% macro previous_columns(relation) -%}
    {{- return(adapter.get_columns_in_relation(relation) | map(attribute='name')
        | map('lower') | list) -}}
{%- endmacro %}
