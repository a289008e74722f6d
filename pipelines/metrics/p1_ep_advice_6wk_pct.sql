-- p1_ep_advice_6wk_pct: educational psychology advice issued within 6 weeks.
-- Advice counts in the period (calendar year and academic year) in which it
-- was issued.
--   numerator   = advice issued within 42 days of being requested
--   denominator = advice issued (with both dates known)
--   value       = numerator / denominator x 100, 95% Wilson interval
-- Borough, by the ethnicity recorded on the case (code, group, focus group).
-- flag 'partial_period' on periods the return does not cover whole (ending
-- after its latest date or starting before its earliest): the engine does
-- not judge them.
-- Advice by period and breakdown: core.ehcp_periods (pipelines/core/050_ehcp_periods.sql).
with
counts as (
    select
        period, period_type, period_start, period_end, partial_period, breakdown, breakdown_value,
        count(*) filter (where days <= 42) as k,
        count(*) as n
    from core.ehcp_periods
    where step = 'ep_advice'
      and days is not null  -- the date the advice was requested is known
    group by all
)
select
    'value' as measure,
    period, period_type, period_start, period_end,
    'borough' as geography_level,
    'E09000012' as geography_code,
    'Hackney' as geography_name,
    'all' as phase,
    breakdown, breakdown_value,
    k as numerator,
    n as denominator,
    100.0 * k / n as value,
    'percent' as unit,
    pm_wilson_lower(k, n) as ci_lower,
    pm_wilson_upper(k, n) as ci_upper,
    case when partial_period then 'partial_period' end as flag
from counts
