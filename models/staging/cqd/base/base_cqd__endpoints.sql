-- depends_on: {{ source('cqd', 'endpoint') }}
{#-
    Every line of the CQD endpoint data files in endpoints/ (REFERENCE.md section 7;
    docs/LANDING.md), validated like CQD's upload: 6 fields, each at most 64
    characters, EndpointName present and unique in its file. EndpointName (a machine
    name, often a person's) is pseudonymised: it joins to the pseudonymised endpoint
    name of a call. A bad line stops the build naming the file and line (var
    on_bad_file = fail), or is a rejected row (quarantine).
-#}
{{ config(**cqd_base_config('endpoints', 'cqd endpoint')) }}
{%- set files = landing_files_to_read('endpoints') -%}
{%- set string = dbt.type_string() -%}
{%- set names = [
    'EndpointName', 'EndpointModel', 'EndpointType', 'EndpointLabel1', 'EndpointLabel2',
    'EndpointLabel3',
] %}
with

lines as (
    {{ read_landing_delimited('cqd', files, names | length) }}
),

checked as (
    select
        source_file,
        source_row_number,
        landing_error,
        field_1,
        field_2,
        field_3,
        field_4,
        field_5,
        field_6,
        {{ pseudonymize('field_1') }} as endpoint_name_hash,
        field_2 as endpoint_model,
        field_3 as endpoint_type,
        field_4 as endpoint_label_1,
        field_5 as endpoint_label_2,
        field_6 as endpoint_label_3,
        concat_ws(
            '; ',
            landing_error,
            case
                when landing_error is null and field_count <> 6
                    then
                        'expected 6 fields (CQD endpoint file, no header), found '
                        || cast(field_count as {{ string }})
            end,
            case
                when landing_error is null and field_count = 6 and field_1 is null
                    then 'EndpointName: missing'
            end,
            case
                when
                    landing_error is null and field_count = 6
                    and greatest(
                        coalesce(length(field_1), 0),
                        coalesce(length(field_2), 0),
                        coalesce(length(field_3), 0),
                        coalesce(length(field_4), 0),
                        coalesce(length(field_5), 0),
                        coalesce(length(field_6), 0)
                    ) > 64
                    then 'a field longer than 64 characters'
            end,
            cast(null as {{ string }})
        ) as line_error
    from lines
),

duplicates as (
    select
        this_line.source_file,
        this_line.source_row_number,
        'duplicate EndpointName: also on line '
        || {{ sorted_numbers_text('other.source_row_number', ', ') }}
            as duplicate_error
    from checked as this_line
    inner join checked as other
        on
            this_line.source_file = other.source_file
            and this_line.endpoint_name_hash = other.endpoint_name_hash
            and this_line.source_row_number <> other.source_row_number
    where this_line.line_error = '' and other.line_error = ''
    group by this_line.source_file, this_line.source_row_number
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
        cast(null as {{ string }}) as source_path,
        case
            when
                checked.source_row_number is not null
                and nullif(concat_ws(
                    '; ', nullif(checked.line_error, ''),
                    duplicates.duplicate_error
                ), '') is not null
                then {{ delimited_raw_record(
                    names, 'checked', {'EndpointName': 'checked.endpoint_name_hash'}
                ) }}
        end as raw_record,
        nullif(
            concat_ws('; ', nullif(checked.line_error, ''), duplicates.duplicate_error),
            ''
        ) as rejection_reason,
        current_timestamp as loaded_at
    from checked
    left join duplicates
        on
            checked.source_file = duplicates.source_file
            and checked.source_row_number = duplicates.source_row_number
)

select * from final
