-- p1_ehcp_20wk_pct: EHC plans issued within 20 weeks (DfE convention).
-- A plan counts in the period in which its final plan was issued, both by
-- calendar year of issue (as DfE publishes it) and by academic year.
--   value:           numerator   = plans issued within 140 days of the request, exception cases excluded
--                    denominator = plans issued, exception cases excluded
--   incl_exceptions: the same with exception cases included
-- value = numerator / denominator x 100, 95% Wilson interval. Borough, by
-- the ethnicity recorded on the case (code, group and the plan's focus
-- groups). Groups with no plans in a measure's denominator are left out.
-- flag 'partial_period' on periods the return does not cover whole (ending
-- after its latest date or starting before its earliest): the engine does
-- not judge them.
-- Plans by period and breakdown: core.ehcp_periods (pipelines/core/050_ehcp_periods.sql).
with
counts as (
    select
        period, period_type, period_start, period_end, partial_period, breakdown, breakdown_value,
        count(*) filter (where days <= 140 and not exception) as k_excl,
        count(*) filter (where not exception) as n_excl,
        count(*) filter (where days <= 140) as k_all,
        count(*) as n_all
    from core.ehcp_periods
    where step = 'plan'
      and days is not null  -- the request date is known
    group by all
),
measures as (
    select counts.*, m.measure, m.k, m.n
    from counts, unnest([
        {'measure': 'value', 'k': k_excl, 'n': n_excl},
        {'measure': 'incl_exceptions', 'k': k_all, 'n': n_all}
    ]) as u(m)
)
select
    measure,
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
from measures
where n > 0
