-- p1_high_needs_balance: the DSG High Needs Block balance, per financial year.
--   value           = cumulative_balance at the end of the year (negative = deficit);
--                     the engine adds its change on the previous year
--   in_year_balance = allocation - expenditure (>= 0: balanced in the year)
select
    m.measure,
    financial_year as period,
    'financial_year' as period_type,
    pm_financial_year_start(financial_year) as period_start,
    pm_financial_year_end(financial_year) as period_end,
    'borough' as geography_level,
    'E09000012' as geography_code,
    'Hackney' as geography_name,
    'all' as phase,
    'all' as breakdown,
    'all' as breakdown_value,
    m.amount as numerator,
    null as denominator,
    m.amount as value,
    'gbp' as unit,
    null as ci_lower,
    null as ci_upper,
    null as flag
from core.dsg, unnest([
    {'measure': 'value', 'amount': cumulative_balance},
    {'measure': 'in_year_balance', 'amount': allocation - expenditure}
]) as u(m)
where block = 'high needs'
  and m.amount is not null
