{#-
    Incremental stg models (docs/ARCHITECTURE.md, "Incremental"). A stg model keeps the
    latest good version of each natural key of its base model (ranked_good_rows). In an
    incremental run it chooses that version again only for the keys the new, changed or
    removed files touch, and replaces their rows (delete+insert on the unit below). Every
    stg row carries `staged_at`: when it was chosen. Each rule here is written once for
    the twelve stg models; on Spark they stay full tables.
-#}

{#-
    What a stg model replaces as one: its natural key, or for a nested Graph level the
    call record (all levels of a call record come from one landed record, and a row
    counts only under a staged parent).
-#}
{% macro staged_unit(entity) -%}
    {{- return(['call_record_id'] if entity.parent else entity['keys']) -}}
{%- endmacro %}


{#- The config of a stg model: incremental on DuckDB, a table on Spark. -#}
{% macro staged_config(entity) -%}
    {{- return(adapter.dispatch('staged_config', 'session_analytics')(entity)) -}}
{%- endmacro %}


{#-
    delete+insert on staged_unit; the post-hook drops what no longer holds. A warehouse
    built before stg models were incremental gains staged_at (NULL: every unit is chosen
    again in that first run).
-#}
{% macro default__staged_config(entity) -%}
    {%- if entity.parent -%}
        {{- return(call_rows_config(entity.parent)) -}}
    {%- endif -%}
    {{- return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': staged_unit(entity),
        'on_schema_change': 'append_new_columns',
        'post_hook': ['{{ delete_stale_staged_rows(' ~ entity.stg | tojson ~ ') }}'],
    }) -}}
{%- endmacro %}


{#-
    The config of a nested Graph stg level, whose rows of a call record are all replaced
    together when `parent` (a model name: the level above) stages that call record
    again. delete+insert on call_record_id; the post-hook
    delete_calls_restaged_in drops the call records `parent` no longer holds or staged
    again without a row here. A table on Spark.
-#}
{% macro call_rows_config(parent) -%}
    {{- return(adapter.dispatch('call_rows_config', 'session_analytics')(parent)) -}}
{%- endmacro %}


{% macro default__call_rows_config(parent) -%}
    {{- return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': ['call_record_id'],
        'on_schema_change': 'append_new_columns',
        'post_hook': ['{{ delete_calls_restaged_in(ref(' ~ parent | tojson ~ ')) }}'],
    }) -}}
{%- endmacro %}


{#-
    `staged_at` of the newest row of the model: what it has seen of its inputs;
    -infinity (everything is new) while the table has no staged_at yet (built before it
    was incremental: on_schema_change adds the column after this run's query).
-#}
{% macro staged_watermark() -%}
    {%- if 'staged_at' not in previous_columns(this) -%}
        cast('-infinity' as timestamptz)
    {%- else -%}
    (
        select coalesce(max(staged_at), cast('-infinity' as timestamptz))
        from {{ this }}
    )
    {%- endif -%}
{%- endmacro %}



{#-
    The condition on a base model's rows in an incremental stg run: the row's unit must
    be chosen again.
    - A top-level entity: its key has a row loaded since the last run (new or changed
      file), or its staged row's file load is gone (removed, emptied or changed file:
      an older version may win now). Only good rows are ranked, and a good row has every
      key (a missing key is a rejection reason), so `in` needs no null-safe match.
    - A nested Graph level: its call record was staged again by the parent level since
      the last run (every file change reaches it through the call records).
    Renders `true` in a full build.
-#}
{% macro staged_rows_to_restage(entity) -%}
    {%- if not is_incremental() -%}
        true
    {%- elif entity.parent -%}
        {{ calls_restaged_in(ref(entity.parent)) }}
    {%- else -%}
        {%- set keys = entity['keys'] | join(', ') -%}
        ({{ keys }}) in (
            select {{ keys }}
            from {{ ref(entity.base) }}
            where loaded_at > {{ staged_watermark() | indent(12) }}
            union
            select {{ keys }}
            from {{ this }} as staged
            where not exists (
                select 1
                from {{ ref(entity.base) }} as loads
                where
                    loads.source_file = staged.source_file
                    and loads.loaded_at = staged.loaded_at
            )
        )
    {%- endif -%}
{%- endmacro %}


{#-
    Post-hook of an incremental top-level stg model: delete the rows whose file load is
    gone from the base model (their key has no version left after the delete+insert).
-#}
{% macro delete_stale_staged_rows(model_name) -%}
    {%- set entity = staged_entity(model_name) %}
    delete from {{ this }} as staged
    where not exists (
        select 1
        from {{ ref(entity.base) }} as loads
        where
            loads.source_file = staged.source_file
            and loads.loaded_at = staged.loaded_at
    )
{%- endmacro %}


{#-
    The condition on the rows of an incremental model by call record: `parent` (a
    relation) staged their call record since the newest staged_at here
    (staged_watermark). `true` in a full build.
-#}
{% macro calls_restaged_in(parent) -%}
    {%- if not is_incremental() -%}
        true
    {%- else -%}
        call_record_id in (
            select parent.call_record_id
            from {{ parent }} as parent
            where parent.staged_at > {{ staged_watermark() | indent(12) }}
        )
    {%- endif -%}
{%- endmacro %}


{#-
    Post-hook of call_rows_config: delete the rows of a call record that `parent` (a
    relation) no longer holds, or staged again after these rows (its new version gives
    no row here).
-#}
{% macro delete_calls_restaged_in(parent) %}
    delete from {{ this }} as staged
    where not exists (
        select 1
        from {{ parent }} as parent
        where
            parent.call_record_id = staged.call_record_id
            and parent.staged_at <= staged.staged_at
    )
{%- endmacro %}


{#-
    A fingerprint of the rows of the FROM it is selected from (an aggregate): their count
    and the bit_xor of a hash of `columns`. Any changed, added or removed row changes it
    (up to hash collisions); row order does not.
-#}
{% macro rows_fingerprint(columns) -%}
    cast(count(*) as {{ dbt.type_string() }}) || '|' || coalesce(
        cast(bit_xor(hash({{ columns | join(', ') }})) as {{ dbt.type_string() }}), ''
    )
{%- endmacro %}
