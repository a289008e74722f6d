-- p2_one_plus_suspension_pct: pupils with one or more suspensions, as a
-- percentage of pupils.
--
-- numerator:   distinct pupils (upn) with at least one suspension (SUSP)
--              starting in the academic year, in schools not registered as
--              independent; a pupil counts once in each geography, phase and
--              group (once for the borough even if suspended at two schools);
-- denominator: headcount at that year's January census (core.pupil_breakdowns).
-- ci: 95% Wilson interval (when numerator <= denominator).
-- Rows and years as p2_suspension_rate. A pupil's characteristics are those
-- of the first suspension of the year (the exclusion row's own values, else
-- the pupil's census record: that year's January census first, otherwise the
-- nearest census), so a pupil lands in one group per breakdown.
-- Events: core.exclusion_events; pupils per group: pm_exclusion_counts with
-- per_pupil (pipelines/core/040_exclusion_events.sql, 041_exclusion_counts.sql).
select
    'value' as measure,
    academic_year as period,
    'academic_year' as period_type,
    pm_academic_year_start(academic_year) as period_start,
    pm_academic_year_end(academic_year) as period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    excluded::double as numerator,
    headcount::double as denominator,
    case when headcount > 0 then excluded * 100.0 / headcount end as value,
    'percent' as unit,
    case when excluded <= headcount then pm_wilson_lower(excluded, headcount) end as ci_lower,
    case when excluded <= headcount then pm_wilson_upper(excluded, headcount) end as ci_upper,
    case when excluded < getvariable('min_events') or headcount < getvariable('min_group') then 'small_group' end as flag
from pm_exclusion_counts('SUSP', per_pupil := true)
