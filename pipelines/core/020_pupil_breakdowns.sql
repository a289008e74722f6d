-- requires: census, schools
-- Every January-census pupil (core.january_census) once for each geography,
-- phase and breakdown a headcount-based metric reports, so a metric is one
-- GROUP BY over this view:
--   borough       x phase 'all' and the school's phase x every breakdown
--   neighbourhood x phase 'all' and the school's phase x breakdown 'all'
--   school        x the school's phase              x breakdown 'all'
-- Breakdown values: ethnicity = the code in the return ('unknown' when
-- blank), ethnicity_group = the seed's major group, focus_group = the plan's
-- focus groups only (pupils in none have no focus_group row), sen_provision
-- = N/K/E, fsm = 'eligible' / 'not eligible', gender = M/F.
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
    from pupils p, unnest([
        {'breakdown': 'all',             'breakdown_value': 'all'},
        {'breakdown': 'ethnicity',       'breakdown_value': coalesce(p.ethnicity, 'unknown')},
        {'breakdown': 'ethnicity_group', 'breakdown_value': p.ethnicity_group},
        {'breakdown': 'focus_group',     'breakdown_value': p.focus_group},
        {'breakdown': 'sen_provision',   'breakdown_value': coalesce(p.sen_provision, 'unknown')},
        {'breakdown': 'fsm',             'breakdown_value': case when p.fsm then 'eligible'
                                                                 when not p.fsm then 'not eligible'
                                                                 else 'unknown' end},
        {'breakdown': 'gender',          'breakdown_value': coalesce(p.gender, 'unknown')}
    ]) as u(b)
    where b.breakdown_value is not null
)
select
    strftime(period_date, '%Y-%m-%d') as period,
    'census'                          as period_type,
    period_date                       as period_start,
    period_date                       as period_end,
    g.geography_level, g.geography_code, g.geography_name, g.phase,
    broken.* exclude (period_date)
from broken, unnest([
    {'geography_level': 'borough', 'geography_code': 'E09000012', 'geography_name': 'Hackney', 'phase': 'all'},
    {'geography_level': 'borough', 'geography_code': 'E09000012', 'geography_name': 'Hackney', 'phase': broken.school_phase},
    {'geography_level': 'neighbourhood', 'geography_code': broken.neighbourhood, 'geography_name': broken.neighbourhood, 'phase': 'all'},
    {'geography_level': 'neighbourhood', 'geography_code': broken.neighbourhood, 'geography_name': broken.neighbourhood, 'phase': broken.school_phase},
    {'geography_level': 'school', 'geography_code': cast(broken.urn as varchar), 'geography_name': broken.school_name, 'phase': broken.school_phase}
]) as v(g)
where g.geography_code is not null
  and g.phase is not null
  and (g.geography_level = 'borough' or broken.breakdown = 'all');
