{#-
    One row per PSTN call of the Graph PSTN (Calling Plan / Operator Connect) and Direct
    Routing reports, in one column set: what fct_sessions (channel pstn) and
    fct_pstn_daily read. Direct Routing attempts are classified for the telephony ratios
    (REFERENCE.md section 9; docs/METRICS.md "PSTN and Direct Routing"): answered =
    successfulCall; NER-effective = answered or a final SIP code of the
    pstn_ner_sip_codes seed. A Calling Plan row is a connected call: it is no attempt
    of the ratios (the report has no failed attempts). An unanswered Direct Routing
    row's source_status is the final SIP code's source_status of sip_response_codes
    (its row for any DiagnosticId), else the class default of sip_response_classes,
    as for SfB CDR: 487 is cancelled, 486 not_answered, 603 declined, 404 address_error.
    Incremental by call (macros/landing/derived_rows.sql); it records the request dates
    it touches for the PSTN marts.
-#}
{%- set null_string = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
{%- set null_int = 'cast(null as ' ~ dbt.type_int() ~ ')' -%}
{%- set null_float = 'cast(null as ' ~ type_double() ~ ')' -%}
{%- set null_bool = 'cast(null as ' ~ dbt.type_boolean() ~ ')' -%}
{%- set null_timestamp = 'cast(null as ' ~ dbt.type_timestamp() ~ ')' -%}
{{ config(**derived_rows_config(
    ['stg_graph_pstn__calls', 'stg_graph_direct_routing__calls'],
    ['source_system', 'pstn_call_id'],
    gone_from=[
        {'model': 'stg_graph_pstn__calls', 'match': {
            'source_system': "'graph_pstn'", 'pstn_call_id': 'kept.pstn_call_id',
        }},
        {'model': 'stg_graph_direct_routing__calls', 'match': {
            'source_system': "'graph_direct_routing'",
            'pstn_call_id': 'kept.direct_routing_call_id',
        }},
    ],
    touched_dates=requested_date(),
)) }}

with

pstn_calls as (
    select * from {{ ref('stg_graph_pstn__calls') }}
    where {{ rows_to_rebuild(inputs_version()) }}
),

direct_routing_calls as (
    select * from {{ ref('stg_graph_direct_routing__calls') }}
    where {{ rows_to_rebuild(inputs_version()) }}
),

sip_codes as (
    select * from {{ ref('sip_response_codes') }}
),

sip_classes as (
    select * from {{ ref('sip_response_classes') }}
),

ner_codes as (
    select * from {{ ref('pstn_ner_sip_codes') }}
),

pstn_conformed as (
    select
        'graph_pstn' as source_system,
        pstn_call_id,
        call_id as correlation_id,
        user_id_hash,
        caller_number_hash,
        callee_number_hash,
        call_type,
        started_at as requested_at,
        {{ null_timestamp }} as invited_at,
        started_at,
        {{ null_timestamp }} as failed_at,
        ended_at,
        duration_seconds,
        true as is_answered,
        false as is_attempt,
        {{ null_bool }} as is_ner_effective,
        {{ null_string }} as ner_outcome,
        {{ null_int }} as final_sip_code,
        {{ null_string }} as final_sip_code_phrase,
        {{ null_int }} as call_end_sub_reason,
        {{ null_string }} as sip_outcome_category,
        {{ null_string }} as trunk_fqdn,
        {{ null_bool }} as is_media_bypass_enabled,
        {{ null_string }} as media_path_location,
        {{ null_string }} as signaling_location,
        charge,
        connection_charge,
        currency,
        destination_context,
        destination_name,
        usage_country_code,
        tenant_country_code,
        operator_name,
        license_capability,
        'connected' as source_status,
        current_timestamp as staged_at
    from pstn_calls
),

direct_routing_classified as (
    select
        calls.*,
        coalesce(calls.is_successful_call, false) as is_answered,
        ner_codes.ner_outcome,
        case
            when coalesce(calls.is_successful_call, false) then 'success'
            else coalesce(
                sip_codes.outcome_category,
                sip_classes.default_outcome_category,
                'unknown'
            )
        end as sip_outcome_category,
        coalesce(
            sip_codes.source_status,
            sip_classes.default_source_status,
            'unknown'
        ) as sip_source_status
    from direct_routing_calls as calls
    -- Direct Routing reports no DiagnosticId: the code's row for any DiagnosticId
    left join sip_codes
        on
            calls.final_sip_code = sip_codes.response_code
            and sip_codes.diagnostic_id is null
    left join sip_classes
        on
            cast(floor(calls.final_sip_code / 100) as {{ dbt.type_int() }})
            = sip_classes.response_class
    left join ner_codes
        on
            calls.final_sip_code = ner_codes.final_sip_code
            and not coalesce(calls.is_successful_call, false)
),

direct_routing_conformed as (
    select
        'graph_direct_routing' as source_system,
        direct_routing_call_id as pstn_call_id,
        correlation_id,
        user_id_hash,
        caller_number_hash,
        callee_number_hash,
        call_type,
        coalesce(invited_at, started_at) as requested_at,
        invited_at,
        started_at,
        failed_at,
        ended_at,
        duration_seconds,
        is_answered,
        true as is_attempt,
        is_answered or ner_outcome is not null as is_ner_effective,
        case when is_answered then 'answered' else ner_outcome end as ner_outcome,
        final_sip_code,
        final_sip_code_phrase,
        call_end_sub_reason,
        sip_outcome_category,
        trunk_fqdn,
        is_media_bypass_enabled,
        media_path_location,
        signaling_location,
        {{ null_float }} as charge,
        {{ null_float }} as connection_charge,
        {{ null_string }} as currency,
        {{ null_string }} as destination_context,
        {{ null_string }} as destination_name,
        {{ null_string }} as usage_country_code,
        {{ null_string }} as tenant_country_code,
        {{ null_string }} as operator_name,
        {{ null_string }} as license_capability,
        case
            when is_answered then 'answered'
            when sip_source_status = 'success' then 'unknown'
            else sip_source_status
        end as source_status,
        current_timestamp as staged_at
    from direct_routing_classified
),

final as (
    select * from pstn_conformed
    union all
    select * from direct_routing_conformed
)

select * from final
