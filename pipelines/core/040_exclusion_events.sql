-- requires: exclusions, schools, census
-- Every suspension (exclusion_type SUSP) and permanent exclusion (PERM) the
-- plan counts: events in schools not registered as independent that
-- academic year (an event from a URN missing from the register still counts
-- for the borough), with the excluding school's name, phase and
-- neighbourhood, and the pupil's characteristics.
-- A characteristic missing from the exclusion row is taken from the pupil's
-- census record (same upn): the January census of that academic year when
-- there is one, otherwise the census nearest the start date, then the
-- excluding school's own record. Gender is not on the exclusion return, so it
-- always comes from the census. An event with no census record has NULL
-- characteristics (ethnicity_group 'Unclassified').
create or replace view core.exclusion_events as
with
excl as (
    select e.*, s.school_name, s.phase as school_phase, s.neighbourhood
    from core.exclusions e
    left join core.schools s on s.urn = e.urn and s.academic_year = e.academic_year
    where coalesce(s.type, '') <> 'independent'
),
resolved as (
    select
        x.academic_year, x.exclusion_type, x.start_date, x.urn, x.upn,
        x.school_name, x.school_phase, x.neighbourhood,
        coalesce(x.ethnicity, c.ethnicity) as ethnicity,
        coalesce(x.sen_provision, c.sen_provision) as sen_provision,
        coalesce(x.fsm, c.fsm) as fsm,
        c.gender
    from excl x
    left join core.census c on c.upn = x.upn
    -- One census record per event: that year's January census first, then
    -- the nearest census, then the excluding school's own record.
    qualify row_number() over (
        partition by x._load_id, x._source_sheet, x._source_row, x.exclusion_type, x.urn, x.upn, x.start_date
        order by (month(c.census_date) = 1 and c.academic_year = x.academic_year) desc nulls last,
                 abs(datediff('day', c.census_date, x.start_date)) nulls last,
                 (c.urn = x.urn) desc nulls last,
                 (coalesce(c.enrolment, 'C') in ('C', 'M')) desc nulls last,
                 c.census_date desc
    ) = 1
)
select r.*, coalesce(e.major_group, 'Unclassified') as ethnicity_group, e.focus_group
from resolved r
left join seed.ethnicity e on e.code = r.ethnicity;
