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
with
excl as (
    select e.*, s.school_name, s.phase as school_phase, s.neighbourhood
    from core.exclusions e
    left join core.schools s on s.urn = e.urn and s.academic_year = e.academic_year
    where e.exclusion_type = 'SUSP'
      and coalesce(s.type, '') <> 'independent'
),
resolved as (
    select
        x.academic_year, x.urn, x.school_name, x.school_phase, x.neighbourhood,
        coalesce(x.ethnicity, c.ethnicity) as ethnicity,
        coalesce(x.sen_provision, c.sen_provision) as sen_provision,
        coalesce(x.fsm, c.fsm) as fsm,
        c.gender
    from excl x
    left join core.census c on c.upn = x.upn
    -- One census record per event: that year's January census first, then
    -- the nearest census, then the excluding school's own record.
    qualify row_number() over (
        partition by x._load_id, x._source_sheet, x._source_row, x.urn, x.upn, x.start_date
        order by (month(c.census_date) = 1 and c.academic_year = x.academic_year) desc nulls last,
                 abs(datediff('day', c.census_date, x.start_date)) nulls last,
                 (c.urn = x.urn) desc nulls last,
                 (coalesce(c.enrolment, 'C') in ('C', 'M')) desc nulls last,
                 c.census_date desc
    ) = 1
),
events as (
    select r.*, coalesce(e.major_group, 'Unclassified') as ethnicity_group, e.focus_group
    from resolved r
    left join seed.ethnicity e on e.code = r.ethnicity
),
-- Each event once per geography, phase and breakdown, as core.pupil_breakdowns
-- does for pupils.
event_groups as (
    select events.academic_year, g.geography_level, g.geography_code, g.geography_name, g.phase,
           b.breakdown, b.breakdown_value
    from events,
    unnest([
        {'geography_level': 'borough', 'geography_code': 'E09000012', 'geography_name': 'Hackney', 'phase': 'all'},
        {'geography_level': 'borough', 'geography_code': 'E09000012', 'geography_name': 'Hackney', 'phase': events.school_phase},
        {'geography_level': 'neighbourhood', 'geography_code': events.neighbourhood, 'geography_name': events.neighbourhood, 'phase': 'all'},
        {'geography_level': 'neighbourhood', 'geography_code': events.neighbourhood, 'geography_name': events.neighbourhood, 'phase': events.school_phase},
        {'geography_level': 'school', 'geography_code': cast(events.urn as varchar), 'geography_name': events.school_name, 'phase': events.school_phase}
    ]) as v(g),
    unnest([
        {'breakdown': 'all',             'breakdown_value': 'all'},
        {'breakdown': 'ethnicity',       'breakdown_value': coalesce(events.ethnicity, 'unknown')},
        {'breakdown': 'ethnicity_group', 'breakdown_value': events.ethnicity_group},
        {'breakdown': 'focus_group',     'breakdown_value': events.focus_group},
        {'breakdown': 'sen_provision',   'breakdown_value': coalesce(events.sen_provision, 'unknown')},
        {'breakdown': 'fsm',             'breakdown_value': case when events.fsm then 'eligible'
                                                                 when not events.fsm then 'not eligible'
                                                                 else 'unknown' end},
        {'breakdown': 'gender',          'breakdown_value': coalesce(events.gender, 'unknown')}
    ]) as u(b)
    where g.geography_code is not null
      and g.phase is not null
      and b.breakdown_value is not null
      and (g.geography_level = 'borough' or b.breakdown = 'all')
),
event_counts as (
    select academic_year, geography_level, geography_code, any_value(geography_name) as geography_name,
           phase, breakdown, breakdown_value, count(*) as events
    from event_groups
    group by all
),
headcounts as (
    select academic_year, geography_level, geography_code, any_value(geography_name) as geography_name,
           phase, breakdown, breakdown_value, count(*) as pupils
    from core.pupil_breakdowns
    where academic_year in (select academic_year from core.exclusions)
    group by all
),
counts as (
    -- A full join: a group with events but no January-census pupils (a pupil
    -- who left before January, an unknown ethnicity) keeps its events.
    select
        academic_year, geography_level, geography_code,
        coalesce(h.geography_name, e.geography_name) as geography_name,
        phase, breakdown, breakdown_value,
        coalesce(e.events, 0) as events,
        coalesce(h.pupils, 0) as pupils
    from headcounts h
    full join event_counts e using (academic_year, geography_level, geography_code, phase, breakdown, breakdown_value)
)
select
    'value' as measure,
    academic_year as period,
    'academic_year' as period_type,
    pm_academic_year_start(academic_year) as period_start,
    pm_academic_year_end(academic_year) as period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    events::double as numerator,
    pupils::double as denominator,
    case when pupils > 0 then events * 100.0 / pupils end as value,
    'per_100' as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    case when events < getvariable('min_events') or pupils < getvariable('min_group') then 'small_group' end as flag
from counts
