{#-
    Calendar covering every session date from the first to the last, with ISO weeks
    (Monday start) and the Sunday-start weeks of the SfB reports.
-#}
with

sessions as (
    select * from {{ ref('int_sessions_unioned') }}
),

bounds as (
    select
        coalesce(min(session_date), current_date) as first_date,
        coalesce(max(session_date), current_date) as last_date
    from sessions
),

spine as (
    {{ date_spine_days('bounds.first_date', 'bounds.last_date', 'bounds') }}
),

final as (
    select
        date_day,
        cast(extract(year from date_day) as {{ dbt.type_int() }}) as year_number,
        cast(extract(quarter from date_day) as {{ dbt.type_int() }}) as quarter_number,
        cast(extract(month from date_day) as {{ dbt.type_int() }}) as month_number,
        cast(extract(day from date_day) as {{ dbt.type_int() }}) as day_of_month,
        cast({{ iso_day_of_week('date_day') }} as {{ dbt.type_int() }})
            as iso_day_of_week,
        {{ iso_week_fields('date_day') }},
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        cast({{ dbt.dateadd(
            'day', '-1 * (' ~ iso_day_of_week('date_day') ~ ' - 1)', 'date_day'
        ) }} as date) as iso_week_start,
        cast({{ dbt.dateadd(
            'day', '-1 * (' ~ iso_day_of_week('date_day') ~ ' % 7)', 'date_day'
        ) }} as date) as sunday_week_start,
        {{ iso_day_of_week('date_day') }} >= 6 as is_weekend
    from spine
)

select * from final
