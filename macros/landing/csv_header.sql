{#-
    How a CSV header maps to the documented columns: one implementation for every engine
    (the DuckDB and Spark readers only differ in how they name field N).

    csv_header_match(system, header, columns) -> {
        'positions': {column name: 1-based field number},  (columns found in the header)
        'missing_keys': [documented key columns not in the header],
        'unexpected': [header fields that are no documented column: shown names],
        'unexpected_text': the same as one text for staging.landed_files, or none,
    }

    A column is found under its documented name or one of its known alternative spellings
    (`aliases` in the get_<source>_columns macro, e.g. LcsCDR's live `ReplacesDialogIdTime`
    for the documented `ReplaceDialogIdTime`; REFERENCE.md §10), case-insensitively; the
    documented name wins over an alias, the first field over a repeated one. Every other
    field is unexpected - an undocumented column, a repeated name, a second spelling of a
    column already found - except the documented columns that are deliberately never read
    (csv_unread_columns). Unexpected fields are not loaded, and never silently: their names
    go to staging.landed_files.unexpected_columns and the build log warns. Only names that
    look like column names are shown (a header-less file starts with data, which may be
    personal); the others are counted.
-#}
{% macro csv_header_match(system, header, columns) -%}
    {%- set lowered = header | map('trim') | map('lower') | list -%}
    {%- set positions = {} -%}
    {%- set used = [] -%}
    {%- for column in columns -%}
        {%- for name in [column.name] + column.get('aliases', []) -%}
            {%- if column.name not in positions and name | lower in lowered -%}
                {%- set index = lowered.index(name | lower) -%}
                {%- do positions.update({column.name: index + 1}) -%}
                {%- do used.append(index) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set missing_keys = [] -%}
    {%- for column in columns if column.key and column.name not in positions -%}
        {%- do missing_keys.append(column.name) -%}
    {%- endfor -%}
    {%- set unread = csv_unread_columns(system) | map('lower') | list -%}
    {%- set unexpected = [] -%}
    {%- set hidden = [] -%}
    {%- for field in header -%}
        {%- if loop.index0 not in used and (field | trim | lower) not in unread -%}
            {%- if modules.re.match('^[A-Za-z_][A-Za-z0-9_ ]{0,63}$', field | trim) -%}
                {%- do unexpected.append(field | trim) -%}
            {%- else -%}
                {%- do hidden.append(field) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set parts = unexpected[:] -%}
    {%- if hidden -%}
        {%- do parts.append(hidden | length ~ ' field(s) not shown (not column names)') -%}
    {%- endif -%}
    {{- return({
        'positions': positions,
        'missing_keys': missing_keys,
        'unexpected': unexpected,
        'unexpected_text': parts | join(', ') if parts else none,
    }) -}}
{%- endmacro %}


{#-
    Documented columns of a CSV source that are never read into the warehouse: not
    unexpected, just not wanted. SuperOffice `session_key` is an authentication secret.
-#}
{% macro csv_unread_columns(system) -%}
    {{- return({'superoffice': ['session_key']}.get(system, [])) -}}
{%- endmacro %}


{#-
    Warn in the build log about the unexpected columns of one landed file (names only,
    as csv_header_match shows them). Their values are not loaded.
-#}
{% macro warn_unexpected_columns(system, path, match) -%}
    {%- if match.unexpected_text -%}
        {%- do exceptions.warn('session_analytics: ' ~ path ~ ' (' ~ system ~ ') has'
            ~ ' column(s) that are not documented and are not loaded: '
            ~ match.unexpected_text ~ ' (staging.landed_files.unexpected_columns)') -%}
    {%- endif -%}
{%- endmacro %}


{#- The unexpected columns of a file as a SQL text literal (NULL for none). -#}
{% macro unexpected_columns_literal(match) -%}
    {%- if match is none or not match.unexpected_text -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        '{{ match.unexpected_text | replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}
