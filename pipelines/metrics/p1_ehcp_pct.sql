-- p1_ehcp_pct: pupils with an EHC plan.
-- numerator   = January census pupils with sen_provision E (EHC plan)
-- denominator = January census headcount (enrolment C or M, state-funded)
-- value       = numerator / denominator x 100, 95% Wilson interval
-- Borough (all phases and each phase) by every breakdown except
-- sen_provision (which would only restate the numerator), neighbourhood and
-- school totals. Period: the January census date.
-- Counts: core.sen_provision_counts (pipelines/core/030_sen_provision_counts.sql).
select
    'value' as measure,
    period, period_type, period_start, period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    ehcp as numerator,
    pupils as denominator,
    100.0 * ehcp / pupils as value,
    'percent' as unit,
    pm_wilson_lower(ehcp, pupils) as ci_lower,
    pm_wilson_upper(ehcp, pupils) as ci_upper,
    null as flag
from core.sen_provision_counts
where breakdown <> 'sen_provision'
