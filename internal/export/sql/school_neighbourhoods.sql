-- Each school's neighbourhood in each academic year, from the school
-- register: a neighbourhood's row adds up its schools' rows, which secondary
-- suppression must know. Only the register is read, no pupil data.
select distinct cast(urn as varchar) as urn, academic_year, neighbourhood
from core.schools
where urn is not null and academic_year is not null and neighbourhood is not null
