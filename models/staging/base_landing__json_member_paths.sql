{#-
    Every member path (names only, never values) of the records of each landed JSON
    file (macros/landing/json_members.sql), loaded file by file like the base models:
    staging.landed_members compares them with the documented paths at every build, so a
    column documented later needs no re-read. The `$` row of a file (one per file with
    records) carries its top-level duplicate key count. Graph files are not read again:
    the call records model keeps their structures while it reads them (on DuckDB).
-#}
{%- set json_folders = landing_folders() | selectattr('format', 'equalto', 'json')
    | list -%}
{{ config(**json_member_paths_config(json_folders | map(attribute='folder') | list)) }}
{%- set page_keys = {'graph': 'value', 'graph_pstn': 'value',
    'graph_direct_routing': 'value', 'syllable': 'items'} -%}
with

{% for folder in json_folders -%}
{{ folder.folder }}_paths as (
    {{ json_member_paths(folder.system, folder.folder, page_keys[folder.system],
        landing_files_to_read(folder.folder)) | indent(4) }}
),

{% endfor -%}
final as (
    {%- for folder in json_folders %}
    select * from {{ folder.folder }}_paths
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
