-- requires: census, schools
-- Every January-census pupil (core.january_census) once for each geography,
-- phase and breakdown a headcount-based metric reports, so a metric is one
-- GROUP BY over this view:
--   borough       x phase 'all' and the school's phase x every breakdown
--   neighbourhood x phase 'all' and the school's phase x breakdown 'all'
--   school        x the school's phase              x breakdown 'all'
-- Geographies and breakdown values: pm_geographies and pm_breakdowns
-- (000_macros.sql); pupils in no focus group have no focus_group row.
-- period is the (latest) January census date of the academic year, so every
-- school of a year lands in the same period even if a date was mistyped.
create or replace view core.pupil_breakdowns as
with pupils as (
    select
        c.*,
        max(c.census_date) over (partition by c.academic_year) as period_date
    from core.january_census c
),
broken as (
    select p.*, b.breakdown, b.breakdown_value
    from pupils p,
         unnest(pm_breakdowns(p.ethnicity, p.ethnicity_group, p.focus_group, p.sen_provision, p.fsm, p.gender)) as u(b)
    where b.breakdown_value is not null
)
select
    strftime(period_date, '%Y-%m-%d') as period,
    'census'                          as period_type,
    period_date                       as period_start,
    period_date                       as period_end,
    g.geography_level, g.geography_code, g.geography_name, g.phase,
    broken.* exclude (period_date)
from broken, unnest(pm_geographies(broken.urn, broken.school_name, broken.school_phase, broken.neighbourhood)) as v(g)
where g.geography_code is not null
  and g.phase is not null
  and (g.geography_level = 'borough' or broken.breakdown = 'all');
