{#- Outcome and rating rules of int_sessions_unioned and the marts: one place each. -#}

{#-
    Syllable source_status from the seed syllable_session_statuses: the first rule (by
    rule_order) whose set columns all match; a blank seed cell matches anything.
    Columns of the decoded session: transfer_voicemail_detected, user_terminated and
    duration_seconds (has_duration = duration_seconds is not null).
-#}
{% macro syllable_source_status() -%}
    {%- set rules = seed_rows(
        'syllable_session_statuses',
        'transfer_voicemail_detected, has_duration, user_terminated, source_status',
        'true', 'rule_order') -%}
    {%- set fields = [
        'coalesce(transfer_voicemail_detected, false)',
        '(duration_seconds is not null)',
        'user_terminated',
    ] -%}
    case
        {%- for rule in rules %}
        {%- set conditions = [] %}
        {%- for i in range(fields | length) if rule[i] is not none %}
        {%- do conditions.append(fields[i] ~ ' = ' ~ (rule[i] | string | lower)) %}
        {%- endfor %}
        when {{ conditions | join(' and ') if conditions else 'true' }}
            then '{{ rule[3] }}'
        {%- endfor %}
    end
{%- endmacro %}


{#-
    SuperOffice chat_session.rating as a 1-5 customer_rating. SuperOffice does not
    publish the scale (REFERENCE.md section 4), so the rating feeds customer_rating only
    when var superoffice_rating_scale_max states it: ratings 1..max are mapped linearly
    onto 1-5 and rounded (identity for max 5); 0 ("no rating") and values outside 1..max
    are no rating. Unset (the default): NULL, out of every rating metric.
-#}
{% macro superoffice_customer_rating(rating) -%}
    {%- set scale_max = var('superoffice_rating_scale_max', none) -%}
    {%- if scale_max is none or scale_max | string | lower in ['', 'none', 'null'] -%}
        cast(null as {{ dbt.type_int() }})
    {%- else -%}
        {%- set scale_max = scale_max | int -%}
        {%- if scale_max < 2 -%}
            {{- exceptions.raise_compiler_error(
                'var superoffice_rating_scale_max must be an integer >= 2, got '
                ~ var('superoffice_rating_scale_max')) -}}
        {%- endif -%}
        case
            when {{ rating }} between 1 and {{ scale_max }}
                then cast(
                    round(1 + ({{ rating }} - 1) * 4.0 / {{ scale_max - 1 }})
                    as {{ dbt.type_int() }}
                )
        end
    {%- endif -%}
{%- endmacro %}


{#-
    Start of an SfB CDR session (the one rule of fct_sessions.started_at and the
    peer-to-peer mart): only a session the callee answered (SIP success) has started,
    at ResponseTime, else (no ResponseTime recorded) InviteTime, else SessionIdTime.
    Failed, cancelled and missed sessions never started (NULL), like every system.
-#}
{% macro sfb_cdr_started_at() -%}
    case
        when sip_outcome_category = 'success'
            then coalesce(response_time, invite_time, session_id_time)
    end
{%- endmacro %}
