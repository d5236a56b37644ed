{#-
    Incremental models below staging (docs/ARCHITECTURE.md, "Incremental"): the int
    models, fct_sessions and the marts by call record. Each replaces the rows of the keys
    (its `unit`) whose input rows a parent staged since its last build, and every row
    when its version (the vars and lookup tables it follows from) changes. What a model
    has seen of its inputs is kept in the bookkeeping table
    staging.incremental_watermarks (one row per model: the newest staged_at of its
    parents when it was built, and its version), because a mart holds no build time
    (test_idempotency.py). An int row's staged_at is when that row was built
    (columns_staged_now), so whatever rebuilt it (a new file, a changed seed or var)
    reaches the models that read it. On Spark they are full tables.
-#}

{#-
    The config of an incremental model of `unit` (a list of its columns): delete+insert on
    them; post-hooks delete_rows_gone_from (default: the unit's rows the first parent no
    longer holds) and record_incremental_watermark. `version` is the name of the macro
    that renders the model's version (the model calls the same macro).
-#}
{% macro derived_rows_config(
    parents, unit, version='inputs_version', gone_from=none,
    on_schema_change='append_new_columns', touched_dates=none
) -%}
    {{- return(adapter.dispatch('derived_rows_config', 'session_analytics')(
        parents, unit, version, gone_from, on_schema_change, touched_dates)) -}}
{%- endmacro %}


{#-
    With `touched_dates` (a date column or an SQL date expression over the model's
    columns), the model also records in staging.incremental_dates the dates of the rows
    it replaces or deletes (pre-hook) and of the rows it builds (post-hook): what the
    marts by date rebuild (dated_rows_config).
-#}
{% macro default__derived_rows_config(
    parents, unit, version, gone_from, on_schema_change, touched_dates
) -%}
    {%- set sources = gone_from or [{'model': parents[0], 'match': dict(
        zip(unit, unit))}] -%}
    {%- set pre_hooks, post_hooks = [], [] -%}
    {%- if touched_dates -%}
        {#- A union's rows are rebuilt by key of their source (gone_from). -#}
        {%- set rebuilt = {'sources': gone_from} if gone_from else {
            'parents': parents, 'unit': unit} -%}
        {%- set args = [rebuilt, touched_dates] | tojson -%}
        {%- do pre_hooks.append('{{ record_touched_dates(' ~ args[1:-1] ~ ', '
            ~ version ~ '(), ' ~ sources | tojson ~ ') }}') -%}
        {%- do post_hooks.append('{{ record_touched_dates(' ~ args[1:-1] ~ ', '
            ~ version ~ '()) }}') -%}
    {%- endif -%}
    {%- do post_hooks.insert(0, '{{ delete_rows_gone_from(' ~ sources | tojson ~ ') }}') -%}
    {%- do post_hooks.append('{{ record_incremental_watermark(' ~ parents | tojson ~ ', '
        ~ version ~ '()) }}') -%}
    {{- return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': unit,
        'on_schema_change': on_schema_change,
        'pre_hook': pre_hooks,
        'post_hook': post_hooks,
    }) -}}
{%- endmacro %}


{#-
    The config of a mart by date whose rows of a date follow from the rows of that date
    of `dates_of` (a model with touched_dates, or a list of them): in an incremental run
    it deletes the dates they touched since its last build (pre-hook
    delete_dates_to_rebuild) and appends them again; every date when its version changes.
-#}
{% macro dated_rows_config(date_column, dates_of='fct_sessions') -%}
    {{- return(adapter.dispatch('dated_rows_config', 'session_analytics')(
        date_column, dates_of)) -}}
{%- endmacro %}


{% macro default__dated_rows_config(date_column, dates_of) -%}
    {%- set args = [date_column, dates_of] | tojson -%}
    {{- return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'pre_hook': [
            '{{ delete_dates_to_rebuild(' ~ args[1:-1] ~ ', inputs_version()) }}',
        ],
        'post_hook': [
            '{{ record_incremental_watermark([], inputs_version(), '
                ~ dates_of | tojson ~ ') }}',
        ],
    }) -}}
{%- endmacro %}


{#- The bookkeeping table of the incremental models (in the staging schema). -#}
{% macro incremental_watermarks() -%}
    {{- return(api.Relation.create(
        database=target.database,
        schema=generate_schema_name('staging', none) | trim,
        identifier='incremental_watermarks',
    )) -}}
{%- endmacro %}


{#-
    The dates a model with touched_dates replaced, deleted or built (model_name,
    session_date, all_dates: a full build, touched_at).
-#}
{% macro incremental_dates() -%}
    {{- return(incremental_watermarks().incorporate(
        path={'identifier': 'incremental_dates'})) -}}
{%- endmacro %}


{#- on-run-start: create the bookkeeping tables once, before any model runs. -#}
{% macro create_incremental_bookkeeping() -%}
    {{- return(adapter.dispatch('create_incremental_bookkeeping', 'session_analytics')()) -}}
{%- endmacro %}


{% macro default__create_incremental_bookkeeping() -%}
    {%- set relation = incremental_watermarks() -%}
    create schema if not exists {{ relation.without_identifier() }};
    create table if not exists {{ relation }} (
        model_name {{ dbt.type_string() }},
        staged_through timestamptz,
        logic_version {{ dbt.type_string() }}
    );
    create table if not exists {{ incremental_dates() }} (
        model_name {{ dbt.type_string() }},
        session_date date,
        all_dates boolean,
        touched_at timestamptz
    )
{%- endmacro %}


{#- The model's row of incremental_watermarks, `column` of it (a scalar subquery). -#}
{% macro recorded_watermark(column) -%}
    (
        select {{ column }}
        from {{ incremental_watermarks() }}
        where model_name = '{{ this.identifier }}'
    )
{%- endmacro %}


{#- The recorded staged_through; -infinity before the model's first record. -#}
{% macro recorded_staged_through() -%}
    coalesce({{ recorded_watermark('staged_through') }}, cast('-infinity' as timestamptz))
{%- endmacro %}


{#-
    `true` when the recorded version differs from `version` (an SQL string expression):
    every row is built again. `false` in a full build.
-#}
{% macro version_changed(version) -%}
    {%- if not is_incremental() -%}
        false
    {%- else -%}
        {{ recorded_watermark('logic_version') }} is distinct from ({{ version }})
    {%- endif -%}
{%- endmacro %}


{#-
    The condition on a parent's rows read directly by a model whose unit is the parent's
    key: staged since the model's last build, or the version changed. `true` in a full
    build.
-#}
{% macro rows_to_rebuild(version) -%}
    {%- if not is_incremental() -%}
        true
    {%- else -%}
        (
            staged_at > {{ recorded_staged_through() }}
            or {{ version_changed(version) }}
        )
    {%- endif -%}
{%- endmacro %}


{#-
    The condition on the rows of a model whose unit spans rows of several parents (e.g.
    a call record): `unit` (its columns) has a row that one of `parents` (model names)
    staged since the model's last build, or the version changed. `true` in a full build.
-#}
{% macro units_to_rebuild(parents, unit, version) -%}
    {%- if not is_incremental() -%}
        true
    {%- else -%}
        {%- set columns = unit | join(', ') -%}
        (
            ({{ columns }}) in (
                {%- for parent in parents %}
                select {{ columns }}
                from {{ ref(parent) }}
                where staged_at > {{ recorded_staged_through() | indent(16) }}
                {{- '\n                union' if not loop.last }}
                {%- endfor %}
            )
            or {{ version_changed(version) }}
        )
    {%- endif -%}
{%- endmacro %}


{#-
    The condition for a model that joins a second parent on `key` (a column of the
    model's rows; `parent_key`: the SQL of the parent's column it matches): the parent
    staged a row of that key since the model's last build, or a row of the model that
    had matched (`matched`: a condition on its columns) lost its parent row. `false` in
    a full build.
-#}
{% macro joined_rows_changed(parent, key, parent_key, matched) -%}
    {%- if not is_incremental() -%}
        false
    {%- else -%}
        (
            {{ key }} in (
                select {{ parent_key }}
                from {{ ref(parent) }}
                where staged_at > {{ recorded_staged_through() | indent(16) }}
            )
            or {{ key }} in (
                select built.{{ key }}
                from {{ this }} as built
                where
                    {{ matched }}
                    and built.{{ key }} not in (
                        select {{ parent_key }}
                        from {{ ref(parent) }}
                        where {{ parent_key }} is not null
                    )
            )
        )
    {%- endif -%}
{%- endmacro %}


{#-
    The condition on a row of the model (alias `built`) that one of `sources` ({model,
    match}, as for delete_rows_gone_from) staged a matching row since the model's last
    build, or the version changed: the rows of a union that it rebuilds. `true` in a
    full build.
-#}
{% macro rows_restaged_in(sources, version) -%}
    {%- if not is_incremental() -%}
        true
    {%- else -%}
        (
            {%- for source in sources %}
            exists (
                select 1
                from {{ ref(source.model) }} as kept
                where
                    kept.staged_at > {{ recorded_staged_through() | indent(20) }}
                    {%- for column, expression in source.match.items() %}
                    and built.{{ column }} = {{ expression }}
                    {%- endfor %}
            )
            or
            {%- endfor %}
            {{ version_changed(version) }}
        )
    {%- endif -%}
{%- endmacro %}


{#-
    Post-hook: delete the rows no source holds any more. `sources` is a list of
    {model, match}: `match` maps a column of this model to an SQL expression over the
    source model's columns (a constant for a union's source_system). A row is kept when
    one source has a row that matches it on every column.
-#}
{% macro delete_rows_gone_from(sources) %}
    delete from {{ this }} as built
    where {{ rows_gone_from(sources) | indent(4) }}
{%- endmacro %}


{#- The condition of delete_rows_gone_from on a row of the model (alias `built`). -#}
{% macro rows_gone_from(sources) -%}
    (
        {%- for source in sources %}
        not exists (
            select 1
            from {{ ref(source.model) }} as kept
            where
                {%- for column, expression in source.match.items() %}
                {{ 'and ' if not loop.first }}built.{{ column }} = {{ expression }}
                {%- endfor %}
        )
        {{- '\n        and' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}


{#-
    Hooks of a model with touched_dates: record in incremental_dates the dates
    (`date_expression` over its columns) of its rows that it rebuilds (`rebuilt`: {parents,
    unit} of units_to_rebuild, or {sources} of rows_restaged_in) or that a source no
    longer holds (`sources` given: the pre-hook, before they are replaced; a full build
    records all_dates), or of the rows it built (no `sources`: the post-hook).
-#}
{% macro record_touched_dates(rebuilt, date_expression, version, sources=none) %}
    {%- if sources is not none and not is_incremental() %}
    insert into {{ incremental_dates() }}
    select '{{ this.identifier }}', null, true, current_timestamp
    {%- elif sources is none and not is_incremental() %}
    select 1
    {%- else %}
    insert into {{ incremental_dates() }}
    select distinct
        '{{ this.identifier }}',
        {{ date_expression }},
        false,
        current_timestamp
    from {{ this }} as built
    where
        {%- if rebuilt.sources %}
        {{ rows_restaged_in(rebuilt.sources, version) | indent(8) }}
        {%- else %}
        {{ units_to_rebuild(rebuilt.parents, rebuilt.unit, version) | indent(8) }}
        {%- endif %}
        {%- if sources is not none %}
        or {{ rows_gone_from(sources) | indent(8) }}
        {%- endif %}
    {%- endif %}
{%- endmacro %}


{#-
    The condition on the rows of a mart by date (dated_rows_config), or on its input
    rows: `date_column` is a date that `dates_of` touched since the mart's last build,
    dates_of was built in full since then, or the version changed. `true` in a full
    build.
-#}
{% macro dates_to_rebuild(date_column, dates_of, version) -%}
    {%- if not is_incremental() -%}
        true
    {%- else -%}
        {%- set touched -%}
            from {{ incremental_dates() }}
            where
                model_name in ({{ quoted_names(dates_of) }})
                and touched_at > {{ recorded_staged_through() | indent(16) }}
        {%- endset -%}
        (
            {{ date_column }} in (
                select session_date
                {{ touched }}
                    and session_date is not null
            )
            or {{ date_column }} is null and exists (
                select 1
                {{ touched }}
                    and session_date is null
            )
            or exists (
                select 1
                {{ touched }}
                    and all_dates
            )
            or {{ version_changed(version) }}
        )
    {%- endif -%}
{%- endmacro %}


{#- The SQL list of a model name or a list of them: 'a', 'b'. -#}
{% macro quoted_names(names) -%}
    {%- set names = [names] if names is string else names -%}
    {%- for name in names -%}
        '{{ name }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#- Pre-hook of dated_rows_config: delete the mart's rows of the dates to rebuild. -#}
{% macro delete_dates_to_rebuild(date_column, dates_of, version) %}
    {%- if is_incremental() %}
    delete from {{ this }}
    where {{ dates_to_rebuild(date_column, dates_of, version) | indent(4) }}
    {%- else %}
    select 1
    {%- endif %}
{%- endmacro %}


{#-
    Post-hook: record what the model has seen: the newest staged_at of `parents` (model
    names; for a mart by date: the newest touched_at of `dates_of`) and `version`.
-#}
{% macro record_incremental_watermark(parents, version, dates_of=none) %}
    delete from {{ incremental_watermarks() }}
    where model_name = '{{ this.identifier }}';
    insert into {{ incremental_watermarks() }}
    select
        '{{ this.identifier }}' as model_name,
        {%- if dates_of %}
        (
            select max(touched_at)
            from {{ incremental_dates() }}
            where model_name in ({{ quoted_names(dates_of) }})
        ) as staged_through,
        {%- else %}
        greatest(
            {%- for parent in parents %}
            (select max(staged_at) from {{ ref(parent) }}){{ ',' if not loop.last }}
            {%- endfor %}
        ) as staged_through,
        {%- endif %}
        {{ version }} as logic_version
{%- endmacro %}


{#-
    The version of a model below staging: the values of the derived_vars and a
    fingerprint of every seed the model reads (a changed seed row or var rebuilds every
    row). Seeds are read from the model's parents at run time.
-#}
{% macro inputs_version() -%}
    {%- set values = {} -%}
    {%- for name in derived_vars() -%}
        {%- do values.update({name: var(name, none)}) -%}
    {%- endfor -%}
    {%- set parts = ["'" ~ local_md5(tojson(values, sort_keys=true)) ~ "'"] -%}
    {%- if execute -%}
        {%- for node_id in model.depends_on.nodes if node_id.startswith('seed.') -%}
            {%- do parts.append(
                '(select ' ~ rows_fingerprint(['lookup']) ~ ' from '
                ~ ref(graph.nodes[node_id].name) ~ ' as lookup)') -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return('md5(' ~ parts | join(" || '|' || ") ~ ')') -}}
{%- endmacro %}


{#-
    The vars a model below staging follows from (every var of dbt_project.yml but those
    of the landing and staging layers: landing_dir, on_bad_file, demo_salt, the
    timezones). test_var_flag.py keeps this list and dbt_project.yml in step.
-#}
{% macro derived_vars() -%}
    {{- return([
        'cqd_audio_rule',
        'cqd_audio_min_packet_utilization',
        'cqd_audio_round_trip_ms',
        'cqd_audio_packet_loss_rate',
        'cqd_audio_jitter_ms',
        'cqd_audio_degradation',
        'cqd_audio_concealed_ratio',
        'cqd_video_frame_loss_percentage',
        'cqd_video_frame_rate',
        'cqd_screen_sharing_frame_rate',
        'cqd_video_post_fec_packet_loss_rate',
        'cqd_vpn_min_expanded_prefix',
        'cqd_missing_subnet_min_audio_streams',
        'short_call_seconds',
        'answer_seizure_seconds',
        'service_level_seconds',
        'service_level_seconds_long',
        'short_abandon_seconds',
        'include_test_sessions',
        'superoffice_rating_scale_max',
    ]) -}}
{%- endmacro %}


{#-
    Every column of the CTE or relation `alias`, with staged_at set to the build time:
    what an int model writes, so that the models reading it see the rows it built.
-#}
{% macro columns_staged_now(alias) -%}
    {{- return(adapter.dispatch('columns_staged_now', 'session_analytics')(alias)) -}}
{%- endmacro %}


{% macro default__columns_staged_now(alias) -%}
    {{ alias }}.* replace (current_timestamp as staged_at)
{%- endmacro %}
