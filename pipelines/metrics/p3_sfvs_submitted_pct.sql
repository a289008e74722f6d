-- p3_sfvs_submitted_pct: maintained schools that submitted their Schools
-- Financial Value Standard return, per financial year.
--
-- numerator:   schools with sfvs_submitted true on any return of the year;
-- denominator: maintained schools with any return in the year (only
--              maintained schools send budget returns).
-- Rows: borough (all phases and each phase; phase from the register of the
-- academic year in which the financial year ends, else the school's latest
-- register row). No CI or small_group flag.
-- Schools and their SFVS answer: core.latest_budget_returns
-- (pipelines/core/060_latest_budget_returns.sql).
with
grouped as (
    select r.financial_year, g.phase,
           count(*) filter (where r.sfvs_in_year) as submitted,
           count(*) as schools
    from core.latest_budget_returns r, unnest(['all', r.phase]) as g(phase)
    where g.phase is not null
    group by all
)
select
    'value' as measure,
    financial_year as period,
    'financial_year' as period_type,
    pm_financial_year_start(financial_year) as period_start,
    pm_financial_year_end(financial_year) as period_end,
    'borough' as geography_level, 'E09000012' as geography_code, 'Hackney' as geography_name,
    phase, 'all' as breakdown, 'all' as breakdown_value,
    submitted::double as numerator,
    schools::double as denominator,
    submitted * 100.0 / schools as value,
    'percent' as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    null::varchar as flag
from grouped
