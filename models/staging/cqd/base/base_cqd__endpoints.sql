-- depends_on: {{ source('cqd', 'endpoint') }}
{#-
    Every line of the CQD endpoint data files in endpoints/ (REFERENCE.md section 7;
    docs/LANDING.md), validated like CQD's upload: 6 fields, each at most 64
    characters, EndpointName present and unique in its file. EndpointName (a machine
    name, often a person's) is pseudonymised: it joins to the pseudonymised endpoint
    name of a call. A bad line stops the build naming the file and line (var
    on_bad_file = fail), or is a rejected row (quarantine).
-#}
{%- set files = landing_folder_files('endpoints') -%}
{%- set names = [
    'EndpointName', 'EndpointModel', 'EndpointType', 'EndpointLabel1', 'EndpointLabel2',
    'EndpointLabel3',
] -%}
{%- set body -%}
with

lines as (
    {{ read_landing_delimited('cqd', files) }}
),

checked as (
    select
        source_file,
        source_row_number,
        landing_error,
        fields,
        {{ pseudonymize('fields[1]') }} as endpoint_name_hash,
        fields[2] as endpoint_model,
        fields[3] as endpoint_type,
        fields[4] as endpoint_label_1,
        fields[5] as endpoint_label_2,
        fields[6] as endpoint_label_3,
        concat_ws(
            '; ',
            landing_error,
            case
                when landing_error is null and field_count <> 6
                    then 'expected 6 fields (CQD endpoint file, no header), found '
                    || cast(field_count as varchar)
            end,
            case
                when landing_error is null and field_count = 6 and fields[1] is null
                    then 'EndpointName: missing'
            end,
            case
                when landing_error is null and field_count = 6
                    and len(list_filter(fields, lambda f: length(f) > 64)) > 0
                    then 'a field longer than 64 characters'
            end,
            cast(null as varchar)
        ) as line_error
    from lines
),

duplicates as (
    select
        line.source_file,
        line.source_row_number,
        'duplicate EndpointName: also on line '
        || string_agg(cast(other.source_row_number as varchar), ', '
            order by other.source_row_number) as duplicate_error
    from checked as line
    inner join checked as other
        on
            line.source_file = other.source_file
            and line.endpoint_name_hash = other.endpoint_name_hash
            and line.source_row_number <> other.source_row_number
    where line.line_error = '' and other.line_error = ''
    group by line.source_file, line.source_row_number
),

final as (
    select
        checked.endpoint_name_hash,
        checked.endpoint_model,
        checked.endpoint_type,
        checked.endpoint_label_1,
        checked.endpoint_label_2,
        checked.endpoint_label_3,
        'cqd' as source_system,
        checked.source_file,
        checked.source_row_number,
        cast(null as varchar) as source_path,
        case
            when checked.source_row_number is not null
                and nullif(concat_ws('; ', nullif(checked.line_error, ''),
                    duplicates.duplicate_error), '') is not null
                then {{ delimited_raw_record(
                    names,
                    'list_concat([' ~ pseudonymize('checked.fields[1]')
                    ~ '], checked.fields[2:])',
                ) }}
        end as raw_record,
        nullif(
            concat_ws('; ', nullif(checked.line_error, ''), duplicates.duplicate_error), ''
        ) as rejection_reason,
        current_timestamp as loaded_at
    from checked
    left join duplicates
        on
            checked.source_file = duplicates.source_file
            and checked.source_row_number = duplicates.source_row_number
)

select * from final
{%- endset -%}
{{- fail_on_rejected_lines('cqd endpoint', body) -}}
{{ config(materialized='table') }}
{{ body }}
