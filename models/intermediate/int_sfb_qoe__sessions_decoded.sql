{#- SfB QoE sessions with their enums and bitfield decoded; incremental by session
    (macros/landing/derived_rows.sql). -#}
{%- set unit = ['conference_date_time', 'session_seq'] -%}
{{ config(**derived_rows_config(['stg_sfb_qoe__sessions'], unit)) }}

with

sessions as (
    select * from {{ ref('stg_sfb_qoe__sessions') }}
    where {{ rows_to_rebuild(inputs_version()) }}
),

decoded as (
    select
        {{ columns_staged_now('sessions') }},
        {{ decode_enum(
            'cast(dialog_category as ' ~ dbt.type_int() ~ ')', 'qoe_dialog_category'
        ) }} as dialog_category_name,
        {{ decode_enum(
            'cast(mediation_server_bypass_flag as ' ~ dbt.type_int() ~ ')',
            'qoe_mediation_server_bypass_flag',
        ) }} as mediation_server_bypass_name,
        {{ decode_bitfield(
            'media_bypass_warning_flag', 'qoe_media_bypass_warning_flag',
            'bypass_warning',
        ) }},
        {{ decode_enum('call_priority', 'cdr_call_priority') }} as call_priority_name
    from sessions
)

select * from decoded
