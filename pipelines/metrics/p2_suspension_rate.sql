-- p2_suspension_rate: suspensions per 100 pupils (DfE's convention).
--
-- numerator:   suspensions (exclusion_type SUSP) starting in the academic
--              year, in schools not registered as independent (an event from
--              a URN missing from the register still counts for the borough);
-- denominator: headcount at that year's January census
--              (core.pupil_breakdowns: enrolment C or M, state-funded).
-- Rows (the combinations of core.pupil_breakdowns): borough for all phases
-- and each school phase, by ethnicity, ethnicity_group, focus_group,
-- sen_provision, fsm and gender; neighbourhood (all phases, each phase);
-- school. CIs are not given: suspensions are events, not a proportion of
-- pupils (one pupil can have several).
-- A pupil characteristic missing from the exclusion row is taken from the
-- pupil's census record (same upn): the January census of that academic year
-- when there is one, otherwise the census nearest the start date. Gender is
-- not on the exclusion return, so it always comes from the census. An event
-- with no census record falls in 'unknown' (ethnicity_group 'Unclassified').
-- Only academic years with an exclusions return are reported: a year whose
-- return has not arrived has no row rather than a rate of zero.
-- Events: core.exclusion_events; counts per group: pm_exclusion_counts
-- (pipelines/core/040_exclusion_events.sql, 041_exclusion_counts.sql).
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
    'per_100' as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    case when excluded < getvariable('min_events') or headcount < getvariable('min_group') then 'small_group' end as flag
from pm_exclusion_counts('SUSP')
