-- requires: census, schools
-- Pupils counted in DfE headcounts: the January census of each academic
-- year, enrolment C (single) or M (main dual registration), in state-funded
-- schools in the borough (independent schools are excluded), with the
-- school's phase, type and neighbourhood for that year and the pupil's
-- ethnicity group from the seed mapping.
create or replace view core.january_census as
select
    c.*,
    s.school_name,
    s.phase         as school_phase,
    s.type          as school_type,
    s.neighbourhood,
    coalesce(e.major_group, 'Unclassified') as ethnicity_group,
    e.focus_group
from core.census c
join core.schools s on s.urn = c.urn and s.academic_year = c.academic_year
left join seed.ethnicity e on e.code = c.ethnicity
where month(c.census_date) = 1
  and coalesce(c.enrolment, 'C') in ('C', 'M')
  and s.type <> 'independent';
