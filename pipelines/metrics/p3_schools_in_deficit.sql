-- p3_schools_in_deficit: maintained schools in deficit, per financial year.
--
-- Each school's latest return of the financial year counts (outturn, else
-- Q3, else Q2, else Q1, else the start-of-year budget); the school is in
-- deficit when that return's cumulative_balance < 0.
-- measure 'value' (percent): schools in deficit / maintained schools that
--     made a return in the year x 100;
-- measure 'count' (count): schools in deficit.
-- Only maintained schools send budget returns, so "maintained schools" is
-- every school with a return in the year (a school that converted to an
-- academy during the year still counts for the returns it made).
-- Phase and neighbourhood come from the register of the academic year in
-- which the financial year ends ('2024-25' -> '2024/25'), else the school's
-- latest register row.
-- Rows: borough (all phases and each phase), neighbourhood (all phases).
-- No CI or small_group flag (every maintained school; not personal data).
with
latest as (
    select urn, financial_year, return_period, cumulative_balance
    from core.budgets
    qualify row_number() over (
        partition by urn, financial_year
        order by case return_period when 'outturn' then 5 when 'Q3' then 4 when 'Q2' then 3
                                    when 'Q1' then 2 when 'budget' then 1 else 0 end desc
    ) = 1
),
placed as (
    select l.*, s.phase, s.neighbourhood
    from latest l
    left join core.schools s on s.urn = l.urn
    qualify row_number() over (
        partition by l.urn, l.financial_year
        order by (s.academic_year = replace(l.financial_year, '-', '/')) desc nulls last,
                 s.academic_year desc nulls last
    ) = 1
),
grouped as (
    select p.financial_year, g.geography_level, g.geography_code, g.geography_name, g.phase,
           count(*) filter (where p.cumulative_balance < 0) as in_deficit,
           count(*) as schools
    from placed p, unnest([
        {'geography_level': 'borough', 'geography_code': 'E09000012', 'geography_name': 'Hackney', 'phase': 'all'},
        {'geography_level': 'borough', 'geography_code': 'E09000012', 'geography_name': 'Hackney', 'phase': p.phase},
        {'geography_level': 'neighbourhood', 'geography_code': p.neighbourhood, 'geography_name': p.neighbourhood, 'phase': 'all'}
    ]) as v(g)
    where g.geography_code is not null and g.phase is not null
    group by all
)
select
    m.measure,
    financial_year as period,
    'financial_year' as period_type,
    pm_financial_year_start(financial_year) as period_start,
    pm_financial_year_end(financial_year) as period_end,
    geography_level, geography_code, geography_name, phase,
    'all' as breakdown, 'all' as breakdown_value,
    in_deficit::double as numerator,
    case when m.measure = 'value' then schools::double end as denominator,
    case when m.measure = 'value' then in_deficit * 100.0 / schools else in_deficit::double end as value,
    case when m.measure = 'value' then 'percent' else 'count' end as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    null::varchar as flag
from grouped, (values ('value'), ('count')) as m(measure)
