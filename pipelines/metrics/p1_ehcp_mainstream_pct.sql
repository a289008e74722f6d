-- p1_ehcp_mainstream_pct: pupils with an EHC plan in mainstream schools.
-- numerator   = January census pupils with sen_provision E in a mainstream
--               school: any phase and type other than special schools and
--               alternative provision / pupil referral units
-- denominator = January census pupils with sen_provision E
-- value       = numerator / denominator x 100, 95% Wilson interval
-- Borough and neighbourhood, phase 'all' only (a phase of its own is either
-- mainstream or not); borough by ethnicity, ethnicity group, focus group,
-- FSM and gender.
with counts as (
    select
        period, period_type, period_start, period_end,
        geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
        count(*) filter (where school_phase not in ('special', 'alternative provision')
                           and school_type not in ('special', 'pupil referral unit')) as k,
        count(*) as n
    from core.pupil_breakdowns
    where sen_provision = 'E'
      and geography_level in ('borough', 'neighbourhood')
      and phase = 'all'
      and breakdown <> 'sen_provision'
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
