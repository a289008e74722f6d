-- p1_sen_support_pct: pupils receiving SEN support.
-- numerator   = January census pupils with sen_provision K (SEN support)
-- denominator = January census headcount (enrolment C or M, state-funded)
-- value       = numerator / denominator x 100, 95% Wilson interval
-- Borough (all phases and each phase) by every breakdown except
-- sen_provision (which would only restate the numerator), neighbourhood and
-- school totals. Period: the January census date.
with counts as (
    select
        period, period_type, period_start, period_end,
        geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
        count(*) filter (where sen_provision = 'K') as k,
        count(*) as n
    from core.pupil_breakdowns
    where breakdown <> 'sen_provision'
    group by all
)
select
    'value' as measure,
    period, period_type, period_start, period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    k as numerator,
    n as denominator,
    100.0 * k / n as value,
    'percent' as unit,
    pm_wilson_lower(k, n) as ci_lower,
    pm_wilson_upper(k, n) as ci_upper,
    null as flag
from counts
