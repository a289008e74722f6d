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
        x.academic_year, x.urn, x.upn, x.start_date, x.school_name, x.school_phase, x.neighbourhood,
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
-- Every suspension with the characteristics of its pupil's first suspension
-- of the year.
first_values as (
    select
        academic_year, urn, upn, school_name, school_phase, neighbourhood,
        first_value(ethnicity) over w as ethnicity,
        first_value(sen_provision) over w as sen_provision,
        first_value(fsm) over w as fsm,
        first_value(gender) over w as gender
    from resolved
    window w as (partition by academic_year, upn order by start_date, urn)
),
events as (
    select r.*, coalesce(e.major_group, 'Unclassified') as ethnicity_group, e.focus_group
    from first_values r
    left join seed.ethnicity e on e.code = r.ethnicity
),
-- Each event once per geography, phase and breakdown, as core.pupil_breakdowns
-- does for pupils.
event_groups as (
    select events.academic_year, events.upn, g.geography_level, g.geography_code, g.geography_name, g.phase,
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
           phase, breakdown, breakdown_value, count(distinct upn) as events
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
        coalesce(e.events, 0) as events,  -- pupils suspended
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
    'percent' as unit,
    case when events <= pupils then pm_wilson_lower(events, pupils) end as ci_lower,
    case when events <= pupils then pm_wilson_upper(events, pupils) end as ci_upper,
    case when events < getvariable('min_events') or pupils < getvariable('min_group') then 'small_group' end as flag
from counts
