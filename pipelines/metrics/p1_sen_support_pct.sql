-- p1_sen_support_pct: pupils receiving SEN support.
-- numerator   = January census pupils with sen_provision K (SEN support)
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
    sen_support as numerator,
    pupils as denominator,
    100.0 * sen_support / pupils as value,
    'percent' as unit,
    pm_wilson_lower(sen_support, pupils) as ci_lower,
    pm_wilson_upper(sen_support, pupils) as ci_upper,
    null as flag
from core.sen_provision_counts
where breakdown <> 'sen_provision'
