-- p2_perm_exclusion_rate: permanent exclusions per 100 pupils, and their count.
--
-- measure 'value' (per_100): permanent exclusions (exclusion_type PERM)
--     starting in the academic year, in schools not registered as
--     independent / headcount at that year's January census x 100;
-- measure 'count' (count): the number of permanent exclusions.
-- Rows, characteristics and years exactly as p2_suspension_rate (see there):
-- borough by phase and by ethnicity, ethnicity_group, focus_group,
-- sen_provision, fsm and gender; neighbourhood; school. A characteristic
-- missing from the exclusion row comes from the pupil's census record (that
-- year's January census first, otherwise the nearest census).
-- Events: core.exclusion_events; counts per group: pm_exclusion_counts
-- (pipelines/core/040_exclusion_events.sql, 041_exclusion_counts.sql).
select
    m.measure,
    academic_year as period,
    'academic_year' as period_type,
    pm_academic_year_start(academic_year) as period_start,
    pm_academic_year_end(academic_year) as period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    excluded::double as numerator,
    case when m.measure = 'value' then headcount::double end as denominator,
    case when m.measure = 'count' then excluded::double
         when headcount > 0 then excluded * 100.0 / headcount end as value,
    case when m.measure = 'value' then 'per_100' else 'count' end as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    case when excluded < getvariable('min_events') or headcount < getvariable('min_group') then 'small_group' end as flag
from pm_exclusion_counts('PERM'), (values ('value'), ('count')) as m(measure)
