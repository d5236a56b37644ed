{#-
    landed_rows(system, landed_sql, columns, timezone, checks, json_records)

    The body of every base_<source>__* model: takes the text rows of read_landing_csv /
    read_landing_json, converts every documented column to its documented type, and
    gives each row a `rejection_reason` (NULL for a good row). Nothing is dropped here:
    stg_* models keep the good rows, staging.rejected_rows the others.

    landed_sql columns: the documented columns as text (CSV) or `record` (JSON text,
    json_records = true), source_file, source_row_number, source_path (location inside a
    JSON record/line, NULL otherwise), landing_error (a reader-level reason) and
    landing_raw (JSON text standing in for raw_record when the row could not be parsed).

    columns: list of {name, alias, type, key?, path?} from the get_<source>_columns macro.
      type: datetime (SQL Server text in `timezone`; text with a UTC offset or zone is
            rejected: SQL Server datetime has none; datetimes and timestamps outside
            1970..2100 are rejected), timestamp (ISO-8601), int, smallint,
            bigint, double (finite only), bit (0/1/true/false), duration (ISO-8601 -> ms,
            finite only), text, guid, pii (salted SHA-256), json (JSON array text kept as
            is), presence (true when the member is there and not null; e.g. a Graph
            `sessions@odata.nextLink`). "No value" text (blank text, 1753-01-01 and
            0001-01-01 dates) is NULL, see landed_text.
      enum: for a text column, the enum_values seed's enum_name whose documented
            spelling the value takes, matched case-insensitively (Graph sends `Windows`
            for `windows`); values the seed does not know stay as landed. In a JSON record, a member that is an object or array where the column
            expects a scalar (or a non-array where it expects json) rejects the row.
      path: JSONPath of the value for JSON sources (json_records = true).
    checks: list of {condition, reason}: row-level rules on the typed aliases.
    carry: columns of landed_sql passed through untouched (e.g. parent keys, the JSON
           `record` itself for nested Graph entities, never stored: see graph_rows.sql).
    files: the file dicts landed_sql read (landing_files / files_to_load); their
           fingerprints become source_file_fingerprint. Without it, or for a run-time file
           set (landing_files_to_read), landed_sql must have a source_file_fingerprint
           column itself (the nested Graph levels carry it; the DuckDB JSON reader gives
           it from the scan that reads the files).
-#}
{% macro landed_rows(system, landed_sql, columns, timezone='UTC', checks=[],
        json_records=false, carry=[], files=none) -%}
with landed as (
    {%- if files is none or files is mapping %}
    {#- a run-time file set's reader gives source_file_fingerprint itself #}
    {{ landed_sql }}
    {%- else %}
    select
        read.*,
        fingerprints.fingerprint as source_file_fingerprint
    from (
        {{ landed_sql }}
    ) as read
    left join (
        {{ file_fingerprint_values(files) }}
    ) as fingerprints
        on read.source_file = fingerprints.path
    {%- endif %}
),
{%- if json_records %}

parsed as (
    {#- every member of the record in one parse (one JSON parse per member would hold
        a parsed copy of every record of a chunk per member: gigabytes on Graph). -#}
    select
        *,
        {{ json_members_text('record', ['$'] + columns | map(attribute='path') | list) }}
            as _member_texts,
        {{ json_members_type('record', ['$'] + columns | map(attribute='path') | list) }}
            as _member_types
    from landed
),

extracted as (
    select
        source_file,
        source_file_fingerprint,
        source_row_number,
        source_path,
        landing_error,
        landing_raw,
        {%- for name in carry %}
        {{ name }},
        {%- endfor %}
        {%- for column in columns %}
        {{ json_member('_member_texts', loop.index + 1) }} as {{ adapter.quote(column.name) }},
        {%- endfor %}
        case
            when landing_error is null
                and coalesce({{ json_member('_member_types', 1) }} <> 'OBJECT', true)
                then 'record is not a JSON object'
        end as shape_error,
        concat_ws(
            '; ',
            {%- for column in columns %}
            {%- set member_type = json_member('_member_types', loop.index + 1) %}
            {%- if column.type == 'json' %}
            case
                when {{ member_type }} not in ('ARRAY', 'NULL')
                    then '{{ column.name }}: not a JSON array'
            end,
            {%- else %}
            case
                when {{ member_type }} in ('OBJECT', 'ARRAY')
                    then '{{ column.name }}: a JSON object or array, expected a {{
                        column.type if column.type != 'pii' else 'text' }}'
            end,
            {%- endif %}
            {%- endfor %}
            cast(null as {{ dbt.type_string() }})
        ) as member_error
    from parsed
),
{%- endif %}

typed as (
    select
        source_file,
        source_file_fingerprint,
        source_row_number,
        source_path,
        landing_error,
        landing_raw,
        {%- if json_records %}
        shape_error,
        member_error,
        {%- endif %}
        {%- for name in carry %}
        {{ name }},
        {%- endfor %}
        {%- for column in columns %}
        {{ landed_text(column, adapter.quote(column.name)) }}
            as {{ adapter.quote('_raw_' ~ column.name) }},
        {%- endfor %}
        {%- for column in columns %}
        {{ landed_value(column, landed_text(column, adapter.quote(column.name)), timezone) }}
            as {{ column.alias }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ 'extracted' if json_records else 'landed' }}
),

checked as (
    select
        *,
        concat_ws(
            '; ',
            landing_error,
            {%- if json_records %}
            shape_error,
            nullif(member_error, ''),
            {%- endif %}
            {%- for column in columns
                if column.type not in ('text', 'guid', 'pii', 'json', 'presence') %}
            case
                when {{ adapter.quote('_raw_' ~ column.name) }} is not null and {{ column.alias }} is null
                    then '{{ column.name }}: not a valid {{ column.type }}'
            end,
            {%- endfor %}
            {%- for column in columns if column.key %}
            case
                when landing_error is null and {{ adapter.quote('_raw_' ~ column.name) }} is null
                    then 'missing key {{ column.name }}'
            end,
            {%- endfor %}
            {%- for check in checks %}
            case when {{ check.condition }} then '{{ check.reason }}' end,
            {%- endfor %}
            cast(null as {{ dbt.type_string() }})
        ) as rejection_reason
    from typed
),

final as (
    select
        {%- for column in columns %}
        {{ column.alias }},
        {%- endfor %}
        {%- for name in carry %}
        {{ name }},
        {%- endfor %}
        '{{ system }}' as source_system,
        source_file,
        source_file_fingerprint,
        source_row_number,
        source_path,
        case
            when landing_raw is not null then landing_raw
            when source_row_number is null then null
            when rejection_reason <> '' then {{ json_object_text(raw_record_pairs(columns)) }}
        end as raw_record,
        nullif(rejection_reason, '') as rejection_reason,
        current_timestamp as loaded_at
    from checked
)

select * from final
{%- endmacro %}


{#-
    The landed text of one column with the "no value" spellings of real exports made NULL
    (REFERENCE.md §10), so they are neither values nor rejections: an empty or blank
    string where text, a GUID or personal data is missing (Graph sends "" for a missing
    IP address, MAC address or URL), and SQL Server's `1753-01-01` minimum and
    `0001-01-01` as a date or timestamp.
-#}
{% macro landed_text(column, raw) -%}
    {%- if column.type in ('text', 'guid', 'pii') -%}
        {#- only spaces, as trim() would (a regular expression: DuckDB's trim() walks
            every byte, 4.7 s per 10M short values against 1.3 s) #}
        case when not coalesce({{ text_full_match(raw, ' *') }}, false) then {{ raw }} end
    {%- elif column.type in ('datetime', 'timestamp') -%}
        case when not {{ is_no_value_date(raw) }} then {{ raw }} end
    {%- else -%}
        {{ raw }}
    {%- endif -%}
{%- endmacro %}


{#- The documented value of one landed text column (after landed_text). -#}
{% macro landed_value(column, raw, timezone) -%}
    {%- set type = column.type -%}
    {%- if type == 'datetime' -%}
        case
            when not {{ has_utc_offset(raw) }}
                then {{ plausible_timestamp(sqlserver_datetime_to_utc(raw, timezone)) }}
        end
    {%- elif type == 'timestamp' -%} {{ plausible_timestamp(iso8601_to_utc(raw)) }}
    {%- elif type == 'int' -%} {{ safe_cast(raw, dbt.type_int()) }}
    {%- elif type == 'smallint' -%} {{ safe_cast(raw, 'smallint') }}
    {%- elif type == 'bigint' -%} {{ safe_cast(raw, dbt.type_bigint()) }}
    {%- elif type == 'double' -%} {{ finite_or_null(safe_cast(raw, 'double')) }}
    {%- elif type == 'bit' -%} {{ text_to_boolean(raw) }}
    {%- elif type == 'duration' -%} {{ finite_or_null(iso8601_duration_ms(raw)) }}
    {%- elif type == 'guid' -%} upper({{ raw }})
    {%- elif type == 'pii' -%} {{ pseudonymize(raw) }}
    {%- elif type == 'text' and column.enum -%} {{ canonical_enum(raw, column.enum) }}
    {%- elif type in ('text', 'json') -%} {{ raw }}
    {%- elif type == 'presence' -%} ({{ raw }} is not null)
    {%- else -%}
        {{- exceptions.raise_compiler_error('landed_value: unknown type ' ~ type) -}}
    {%- endif -%}
{%- endmacro %}


{#- (name, expression) pairs of a quarantined row's raw text, personal data hashed. -#}
{% macro raw_record_pairs(columns) -%}
    {%- set pairs = [] -%}
    {%- for column in columns -%}
        {%- set raw = adapter.quote('_raw_' ~ column.name) -%}
        {%- do pairs.append((column.name,
            pseudonymize(raw) if column.type == 'pii' else raw)) -%}
    {%- endfor -%}
    {{- return(pairs) -}}
{%- endmacro %}


{#- The typed column names of a get_<source>_columns list, comma separated. -#}
{% macro column_aliases(columns) -%}
    {%- for column in columns %}
        {{ column.alias }},
    {%- endfor -%}
{%- endmacro %}


{#-
    1 for the version of a key to keep: highest `order_by`, then latest file and row, then
    (duplicates inside one JSON record or line) the location in it: always one winner, the
    same in every build.
-#}
{% macro latest_version_rank(keys, order_by='') -%}
    row_number() over (
        partition by {{ keys | join(', ') }}
        order by {{ order_by ~ ', ' if order_by }}source_file desc, source_row_number desc,
            source_path desc nulls last
    )
{%- endmacro %}


{#-
    The good rows (no rejection reason) of a base model (a relation or a CTE name: a stg
    model passes the rows of the units it stages again) with version_rank: 1 for the row
    to stage (the latest version of its key), > 1 for a superseded version. For a nested
    Graph entity (`parent`: the parent's stg relation) only rows under a staged parent
    row (same source_file and source_row_number, parent_path = the parent's source_path)
    compete; the others (children of a superseded or duplicate parent) get a NULL
    version_rank: superseded too.
-#}
{% macro ranked_good_rows(base_relation, keys, order_by='', parent=none) -%}
with

good as (
    select * from {{ base_relation }}
    where rejection_reason is null
),

{%- if parent is not none %}

parents as (
    select
        source_file as parent_file,
        source_row_number as parent_row_number,
        coalesce(source_path, '') as parent_location
    from {{ parent }}
),

attached as (
    select
        good.*,
        parents.parent_file is not null as has_staged_parent
    from good
    left join parents
        on
            good.source_file = parents.parent_file
            and good.source_row_number = parents.parent_row_number
            and coalesce(good.parent_path, '') = parents.parent_location
),
{%- else %}

attached as (
    select
        *,
        true as has_staged_parent
    from good
),
{%- endif %}

final as (
    select
        *,
        case
            when has_staged_parent
                then {{ latest_version_rank(keys + ['has_staged_parent'], order_by) }}
        end as version_rank
    from attached
)

select * from final
{%- endmacro %}


{#- The stored columns of a landed_rows result: all but the raw JSON `record`. -#}
{% macro landed_columns(columns, carry=[]) -%}
    {{- column_aliases(columns) }}
    {%- for name in carry %}
        {{ name }},
    {%- endfor %}
        source_system,
        source_file,
        source_file_fingerprint,
        source_row_number,
        source_path,
        raw_record,
        rejection_reason,
        loaded_at
{%- endmacro %}
