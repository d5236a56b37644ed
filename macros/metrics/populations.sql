{#-
    The populations of the rates (docs/METRICS.md, "Rate definitions"): each rule is a
    boolean SQL condition on one fct_sessions row, written here once and used by every
    mart (and, through the mart columns, by the semantic layer).
-#}

{#- A final outcome: not still open (in_progress) and not uncategorisable (unknown). -#}
{% macro is_final_outcome() -%}
    (outcome not in ('in_progress', 'unknown'))
{%- endmacro %}


{#-
    Sessions that can record a CQD setup failure: Graph sessions (failureInfo) and SfB
    CDR media sessions (audio, video, app sharing: conformed channel voice, video,
    app_sharing; IM, file transfer and remote assistance are not media calls) with a
    final outcome. A Graph failure at an unknown stage is left out: it cannot be told
    whether setup failed.
-#}
{% macro is_setup_failure_population() -%}
    (
        (
            source_system = 'graph'
            or (
                source_system = 'sfb_cdr'
                and channel in ('voice', 'video', 'app_sharing')
            )
        )
        and {{ is_final_outcome() }}
        and coalesce(failure_stage, '') not in ('unknown', 'unknown_future_value')
    )
{%- endmacro %}


{#- A CQD setup failure (Graph callSetup; SfB CDR unexpected SIP failure of a media
    session), within the setup-failure population. -#}
{% macro is_setup_failure() -%}
    ({{ is_setup_failure_population() }} and failure_stage = 'call_setup')
{%- endmacro %}


{#-
    Setup-succeeded sessions that can record a drop: Graph only (failureInfo.stage
    midcall). SfB CDR SessionDetails records the SIP answer to the INVITE, never how an
    established session ended, so it cannot record a drop: NULL, not 0 %.
-#}
{% macro is_drop_failure_population() -%}
    (
        source_system = 'graph'
        and {{ is_final_outcome() }}
        and coalesce(failure_stage, '') not in (
            'call_setup', 'unknown', 'unknown_future_value'
        )
    )
{%- endmacro %}


{% macro is_drop_failure() -%}
    ({{ is_drop_failure_population() }} and failure_stage = 'midcall')
{%- endmacro %}


{#-
    Connected sessions, the one population of every duration statistic: the session was
    answered or established (started_at is set only then, for every system) and ended.
-#}
{% macro is_connected_session() -%}
    (started_at is not null and ended_at is not null)
{%- endmacro %}
