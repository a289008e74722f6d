-- p3_good_or_better_pct: state-funded schools judged good or better by Ofsted.
--
-- numerator:   schools whose latest grade (schools.ofsted_grade) is 1
--              (outstanding) or 2 (good);
-- denominator: schools with a grade.
-- Schools: the register of each academic year, state-funded (type not
-- independent), not closed. Independent schools of the Charedi community
-- are reported by p4_good_or_better_pct.
-- Rows: borough (all phases and each phase), neighbourhood (all phases).
-- No CI or small_group flag: this is every school, not a sample, and a
-- school count discloses nothing about a person.
with
schools as (
    select academic_year, urn, school_name, phase, neighbourhood, ofsted_grade
    from core.schools
    where type <> 'independent'
      and coalesce(status, 'open') <> 'closed'
      and ofsted_grade is not null
),
grouped as (
    select s.academic_year, g.geography_level, g.geography_code, g.geography_name, g.phase,
           count(*) filter (where s.ofsted_grade in (1, 2)) as good,
           count(*) as judged
    from schools s, unnest(pm_geographies(s.urn, s.school_name, s.phase, s.neighbourhood)) as v(g)
    where g.geography_code is not null and g.phase is not null
      and (g.geography_level = 'borough' or (g.geography_level = 'neighbourhood' and g.phase = 'all'))
    group by all
)
select
    'value' as measure,
    academic_year as period,
    'academic_year' as period_type,
    pm_academic_year_start(academic_year) as period_start,
    pm_academic_year_end(academic_year) as period_end,
    geography_level, geography_code, geography_name, phase,
    'all' as breakdown, 'all' as breakdown_value,
    good::double as numerator,
    judged::double as denominator,
    good * 100.0 / judged as value,
    'percent' as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    null::varchar as flag
from grouped
