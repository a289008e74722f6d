-- p1_ehcp_mainstream_pct: pupils with an EHC plan in mainstream schools.
-- numerator   = January census pupils with sen_provision E in a mainstream
--               school: any phase and type other than special schools and
--               alternative provision / pupil referral units
-- denominator = January census pupils with sen_provision E
-- value       = numerator / denominator x 100, 95% Wilson interval
-- Borough and neighbourhood, phase 'all' only (a phase of its own is either
-- mainstream or not); borough by ethnicity, ethnicity group, focus group,
-- FSM and gender. Groups without pupils with a plan have no row.
-- Counts: core.sen_provision_counts (pipelines/core/030_sen_provision_counts.sql).
select
    'value' as measure,
    period, period_type, period_start, period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    ehcp_mainstream as numerator,
    ehcp as denominator,
    100.0 * ehcp_mainstream / ehcp as value,
    'percent' as unit,
    pm_wilson_lower(ehcp_mainstream, ehcp) as ci_lower,
    pm_wilson_upper(ehcp_mainstream, ehcp) as ci_upper,
    null as flag
from core.sen_provision_counts
where geography_level in ('borough', 'neighbourhood')
  and phase = 'all'
  and breakdown <> 'sen_provision'
  and ehcp > 0
