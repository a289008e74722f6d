-- p3_schools_block_balance: the DSG Schools Block balance, per financial year.
--
-- measure 'value' (gbp): in-year balance = allocation - expenditure of the
--     schools block ("balanced" means >= 0; this is the headline);
-- measure 'cumulative' (gbp): the block's cumulative_balance (negative =
--     deficit).
-- Borough rows only; numerator/denominator are NULL (a difference in
-- pounds, not a ratio).
select
    m.measure,
    financial_year as period,
    'financial_year' as period_type,
    pm_financial_year_start(financial_year) as period_start,
    pm_financial_year_end(financial_year) as period_end,
    'borough' as geography_level, 'E09000012' as geography_code, 'Hackney' as geography_name,
    'all' as phase, 'all' as breakdown, 'all' as breakdown_value,
    null::double as numerator,
    null::double as denominator,
    case m.measure when 'value' then allocation - expenditure else cumulative_balance end as value,
    'gbp' as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    null::varchar as flag
from core.dsg, (values ('value'), ('cumulative')) as m(measure)
where block = 'schools'
