-- p3_roll_change_pct: change in pupil numbers on the January census a year
-- earlier.
--
-- numerator:   headcount - headcount at the previous academic year's
--              January census;
-- denominator: headcount at the previous January census;
-- value = numerator / denominator x 100 (negative = falling rolls).
-- Headcount: core.pupil_breakdowns (January census, enrolment C or M,
-- state-funded, nursery classes included). Rows: borough (all phases and
-- each phase), neighbourhood (all phases and each phase), school (its phase
-- in both years); a group or school without pupils a year earlier has no
-- row. Borough and phase totals include schools that opened or closed
-- between the censuses. period = the later census date.
-- flag 'small_group' when the earlier headcount is below min_group.
with
headcounts as (
    select academic_year, period, period_type, period_start, period_end,
           geography_level, geography_code, any_value(geography_name) as geography_name, phase,
           count(*) as pupils
    from core.pupil_breakdowns
    where breakdown = 'all'
    group by all
),
compared as (
    select cur.*, prev.pupils as prev_pupils
    from headcounts cur
    join headcounts prev
      on prev.academic_year = pm_previous_academic_year(cur.academic_year)
     and prev.geography_level = cur.geography_level
     and prev.geography_code = cur.geography_code
     and prev.phase = cur.phase
)
select
    'value' as measure,
    period, period_type, period_start, period_end,
    geography_level, geography_code, geography_name, phase,
    'all' as breakdown, 'all' as breakdown_value,
    (pupils - prev_pupils)::double as numerator,
    prev_pupils::double as denominator,
    (pupils - prev_pupils) * 100.0 / prev_pupils as value,
    'percent' as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    case when prev_pupils < getvariable('min_group') then 'small_group' end as flag
from compared
