-- p3_pupil_mobility_pct: pupils new to a school's roll since the previous
-- January census, outside the normal entry years.
--
-- Population: pupils on a school's roll at a January census
-- (core.january_census: enrolment C or M, state-funded) not in a normal
-- entry year group: nursery (N1, N2), reception (R), year 7 and year 12 are
-- left out, in the numerator and the denominator alike.
-- numerator:   those of them whose upn was not on that school's roll
--              (core.census, any enrolment) at the previous academic year's
--              January census;
-- denominator: all of them (the headcount of the same population, not the
--              whole school), so value = the share of non-entry-year pupils
--              who arrived since last January.
-- A school with no January census in the previous year (new, or its census
-- missing) is left out entirely: all its pupils would look new.
-- Rows: borough (all phases and each phase), neighbourhood (all phases and
-- each phase), school. period = the later census date. ci: 95% Wilson.
-- flag 'small_group' when numerator < min_events or denominator < min_group.
with
previous_roll as (
    select academic_year, urn, upn
    from core.census
    where month(census_date) = 1
),
pupils as (
    select
        j.*,
        pm_previous_academic_year(j.academic_year) as previous_year,
        max(j.census_date) over (partition by j.academic_year) as period_date
    from core.january_census j
    where coalesce(j.ncy, '') not in ('N1', 'N2', 'R', '7', '12')
),
flagged as (
    select p.*,
           not exists (
               select 1 from previous_roll r
               where r.academic_year = p.previous_year and r.urn = p.urn and r.upn = p.upn
           ) as is_new
    from pupils p
    where exists (
        select 1 from previous_roll r
        where r.academic_year = p.previous_year and r.urn = p.urn
    )
),
grouped as (
    select f.period_date, g.geography_level, g.geography_code, g.geography_name, g.phase,
           count(*) filter (where f.is_new) as new_pupils,
           count(*) as pupils
    from flagged f, unnest(pm_geographies(f.urn, f.school_name, f.school_phase, f.neighbourhood)) as v(g)
    where g.geography_code is not null and g.phase is not null
    group by all
)
select
    'value' as measure,
    strftime(period_date, '%Y-%m-%d') as period,
    'census' as period_type,
    period_date as period_start,
    period_date as period_end,
    geography_level, geography_code, geography_name, phase,
    'all' as breakdown, 'all' as breakdown_value,
    new_pupils::double as numerator,
    pupils::double as denominator,
    new_pupils * 100.0 / pupils as value,
    'percent' as unit,
    pm_wilson_lower(new_pupils, pupils) as ci_lower,
    pm_wilson_upper(new_pupils, pupils) as ci_upper,
    case when new_pupils < getvariable('min_events') or pupils < getvariable('min_group') then 'small_group' end as flag
from grouped
