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
-- Latest returns: core.latest_budget_returns (pipelines/core/060_latest_budget_returns.sql).
with
grouped as (
    select r.financial_year, g.geography_level, g.geography_code, g.geography_name, g.phase,
           count(*) filter (where r.cumulative_balance < 0) as in_deficit,
           count(*) as schools
    from core.latest_budget_returns r,
         unnest(pm_geographies(r.urn, r.school_name, r.phase, r.neighbourhood)) as v(g)
    where g.geography_code is not null and g.phase is not null
      and (g.geography_level = 'borough' or (g.geography_level = 'neighbourhood' and g.phase = 'all'))
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
