-- p1_ehc_requests: requests for an EHC needs assessment.
-- A request counts in the period (academic year and calendar year) of its
-- request_date.
--   value     = number of requests (numerator), unit count
--   per_10000 = requests / headcount x 10,000, where headcount is the January
--               census of the period: the academic year's own census, or the
--               January census held in the calendar year (so 2025 uses
--               January 2025, i.e. academic year 2024/25)
-- Borough, by the ethnicity recorded on the case (code, group, focus group);
-- a group's rate uses that group's headcount. No census for the period: no
-- per_10000 row.
-- flag 'partial_period' on periods the return does not cover whole (ending
-- after its latest date or starting before its earliest): the engine does
-- not judge them.
with extent as (  -- the dates the return covers
    select
        min(least(request_date, decision_date, ep_requested_date, ep_issued_date, plan_issued_date)) as data_from,
        max(greatest(request_date, decision_date, ep_requested_date, ep_issued_date, plan_issued_date)) as data_until
    from core.ehcp
),
requests as (
    select
        e.request_date as requested,
        coalesce(e.ethnicity, 'unknown') as ethnicity,
        coalesce(s.major_group, 'Unclassified') as ethnicity_group,
        s.focus_group,
        -- DuckDB 1.5 cannot bind a macro call inside a struct in a lateral
        -- unnest, so the period labels are computed here
        cast(year(e.request_date) as varchar) as cal_year,
        make_date(year(e.request_date), 1, 1) as cal_start,
        make_date(year(e.request_date), 12, 31) as cal_end,
        pm_academic_year(make_date(year(e.request_date), 1, 15)) as cal_census_year,
        pm_academic_year(e.request_date) as acad_year,
        pm_academic_year_start(pm_academic_year(e.request_date)) as acad_start,
        pm_academic_year_end(pm_academic_year(e.request_date)) as acad_end
    from core.ehcp e
    left join seed.ethnicity s on s.code = e.ethnicity
    where e.request_date is not null
),
placed as (
    select requests.*, p.period, p.period_type, p.period_start, p.period_end, p.census_year,
           b.breakdown, b.breakdown_value
    from requests,
    unnest([
        {'period': cal_year, 'period_type': 'calendar_year',
         'period_start': cal_start, 'period_end': cal_end, 'census_year': cal_census_year},
        {'period': acad_year, 'period_type': 'academic_year',
         'period_start': acad_start, 'period_end': acad_end, 'census_year': acad_year}
    ]) as u(p),
    unnest([
        {'breakdown': 'all', 'breakdown_value': 'all'},
        {'breakdown': 'ethnicity', 'breakdown_value': ethnicity},
        {'breakdown': 'ethnicity_group', 'breakdown_value': ethnicity_group},
        {'breakdown': 'focus_group', 'breakdown_value': focus_group}
    ]) as v(b)
    where b.breakdown_value is not null
),
counts as (
    select period, period_type, period_start, period_end, census_year, breakdown, breakdown_value,
           count(*) as requests
    from placed
    group by all
),
headcount as (
    select academic_year, breakdown, breakdown_value, count(*) as pupils
    from core.pupil_breakdowns
    where geography_level = 'borough' and phase = 'all'
    group by all
),
measures as (
    select c.*, 'value' as measure, c.requests::double as value, null::bigint as pupils, 'count' as unit
    from counts c
    union all
    select c.*, 'per_10000', 10000.0 * c.requests / h.pupils, h.pupils, 'per_10000'
    from counts c
    join headcount h
      on h.academic_year = c.census_year
     and h.breakdown = c.breakdown and h.breakdown_value = c.breakdown_value
)
select
    measure,
    period, period_type, period_start, period_end,
    'borough' as geography_level,
    'E09000012' as geography_code,
    'Hackney' as geography_name,
    'all' as phase,
    breakdown, breakdown_value,
    requests as numerator,
    pupils as denominator,
    value,
    unit,
    null as ci_lower,
    null as ci_upper,
    case when period_end > (select data_until from extent)
           or period_start < (select data_from from extent) then 'partial_period' end as flag
from measures
