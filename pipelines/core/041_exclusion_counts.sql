-- requires: exclusions, schools, census
-- pm_exclusion_counts(of_type, per_pupil := false): exclusions of one type
-- ('SUSP' or 'PERM') against the January census headcount, one row per
-- academic year of core.exclusions and geography, phase and breakdown
-- group of core.pupil_breakdowns (borough x phase x every breakdown;
-- neighbourhood and school totals), with
--   excluded:  the group's events of that type (core.exclusion_events), each
--              in its school's geographies and in the groups of its pupil's
--              characteristics; with per_pupil := true, the distinct pupils
--              (upn) with one or more such events, each pupil in the groups
--              of their first event of the type that year (so a pupil lands
--              in one group per breakdown, and counts once in each
--              geography it was excluded in);
--   headcount: the group's pupils at that year's January census.
-- A full join: a group with events but no January-census pupils (a pupil
-- who left before January, an unknown ethnicity) keeps its events with
-- headcount 0, and a group with pupils but no events has excluded 0. Only
-- academic years with an exclusions return are reported: a year whose
-- return has not arrived has no row rather than a rate of zero.
create or replace macro pm_exclusion_counts(of_type, per_pupil := false) as table
with
events as (
    select academic_year, urn, upn, school_name, school_phase, neighbourhood,
           ethnicity, ethnicity_group, focus_group, sen_provision, fsm, gender
    from core.exclusion_events
    where exclusion_type = of_type and not per_pupil
    union all
    -- per pupil: every event with the characteristics of its pupil's first
    -- event of the type in the year.
    select academic_year, urn, upn, school_name, school_phase, neighbourhood,
           first_value(ethnicity) over w, first_value(ethnicity_group) over w,
           first_value(focus_group) over w, first_value(sen_provision) over w,
           first_value(fsm) over w, first_value(gender) over w
    from core.exclusion_events
    where exclusion_type = of_type and per_pupil
    window w as (partition by academic_year, upn order by start_date, urn)
),
-- Each event once per geography, phase and breakdown, as core.pupil_breakdowns
-- does for pupils.
event_groups as (
    select e.academic_year, e.upn, g.geography_level, g.geography_code, g.geography_name, g.phase,
           b.breakdown, b.breakdown_value
    from events e,
         unnest(pm_geographies(e.urn, e.school_name, e.school_phase, e.neighbourhood)) as v(g),
         unnest(pm_breakdowns(e.ethnicity, e.ethnicity_group, e.focus_group, e.sen_provision, e.fsm, e.gender)) as u(b)
    where g.geography_code is not null
      and g.phase is not null
      and b.breakdown_value is not null
      and (g.geography_level = 'borough' or b.breakdown = 'all')
),
event_counts as (
    select academic_year, geography_level, geography_code, any_value(geography_name) as geography_name,
           phase, breakdown, breakdown_value,
           -- one of the two terms is 0 (a table macro cannot branch on a
           -- parameter outside an aggregate)
           count(*) filter (where not per_pupil) + count(distinct upn) filter (where per_pupil) as excluded
    from event_groups
    group by all
),
headcounts as (
    select academic_year, geography_level, geography_code, any_value(geography_name) as geography_name,
           phase, breakdown, breakdown_value, count(*) as headcount
    from core.pupil_breakdowns
    where academic_year in (select academic_year from core.exclusions)
    group by all
)
select
    academic_year, geography_level, geography_code,
    coalesce(h.geography_name, e.geography_name) as geography_name,
    phase, breakdown, breakdown_value,
    coalesce(e.excluded, 0) as excluded,
    coalesce(h.headcount, 0) as headcount
from headcounts h
full join event_counts e using (academic_year, geography_level, geography_code, phase, breakdown, breakdown_value);
