-- p3_balance_pct_income: maintained schools' balances relative to income.
--
-- Each school's latest return of the financial year (outturn, else Q3, Q2,
-- Q1, budget) with total_income > 0:
-- school rows, measure 'value' (percent): cumulative_balance / total_income
--     x 100 (numerator = balance, denominator = income, in pounds);
-- borough rows (all phases and each phase):
--     measure 'median' (percent): the median of the schools' percentages
--         (numerator = denominator = NULL);
--     measure 'total' (percent): sum of balances / sum of incomes x 100.
-- Phase: the register of the academic year in which the financial year ends,
-- else the school's latest register row. No CI or small_group flag.
-- Latest returns: core.latest_budget_returns (pipelines/core/060_latest_budget_returns.sql).
with
placed as (
    select *, cumulative_balance * 100.0 / total_income as pct
    from core.latest_budget_returns
    where total_income > 0 and cumulative_balance is not null
),
out_rows as (
    select financial_year, 'value' as measure, 'school' as geography_level, cast(urn as varchar) as geography_code,
           school_name as geography_name, coalesce(phase, 'unknown') as phase,
           cumulative_balance as numerator, total_income as denominator, pct as value
    from placed
    union all
    select p.financial_year, m.measure, 'borough', 'E09000012', 'Hackney', g.phase,
           case when m.measure = 'total' then sum(p.cumulative_balance) end,
           case when m.measure = 'total' then sum(p.total_income) end,
           case when m.measure = 'total' then sum(p.cumulative_balance) * 100.0 / sum(p.total_income)
                else median(p.pct) end
    from placed p,
         unnest(['all', p.phase]) as g(phase),
         (values ('median'), ('total')) as m(measure)
    where g.phase is not null
    group by p.financial_year, m.measure, g.phase
)
select
    measure,
    financial_year as period,
    'financial_year' as period_type,
    pm_financial_year_start(financial_year) as period_start,
    pm_financial_year_end(financial_year) as period_end,
    geography_level, geography_code, geography_name, phase,
    'all' as breakdown, 'all' as breakdown_value,
    numerator, denominator, value,
    'percent' as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    null::varchar as flag
from out_rows
