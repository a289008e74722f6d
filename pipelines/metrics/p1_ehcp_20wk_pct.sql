-- p1_ehcp_20wk_pct: EHC plans issued within 20 weeks (DfE convention).
-- A plan counts in the period in which its final plan was issued, both by
-- calendar year of issue (as DfE publishes it) and by academic year.
--   value:           numerator   = plans issued within 140 days of the request, exception cases excluded
--                    denominator = plans issued, exception cases excluded
--   incl_exceptions: the same with exception cases included
-- value = numerator / denominator x 100, 95% Wilson interval. Borough, by
-- the ethnicity recorded on the case (code, group and the plan's focus
-- groups). Groups with no plans in a measure's denominator are left out.
-- flag 'partial_period' on periods the return does not cover whole (ending
-- after its latest date or starting before its earliest): the engine does
-- not judge them.
with extent as (  -- the dates the return covers
    select
        min(least(request_date, decision_date, ep_requested_date, ep_issued_date, plan_issued_date)) as data_from,
        max(greatest(request_date, decision_date, ep_requested_date, ep_issued_date, plan_issued_date)) as data_until
    from core.ehcp
),
plans as (
    select
        e.plan_issued_date as issued,
        date_diff('day', e.request_date, e.plan_issued_date) <= 140 as within,
        coalesce(e.exception, false) as exception,
        coalesce(e.ethnicity, 'unknown') as ethnicity,
        coalesce(s.major_group, 'Unclassified') as ethnicity_group,
        s.focus_group,
        -- DuckDB 1.5 cannot bind a macro call inside a struct in a lateral
        -- unnest, so the period labels are computed here
        cast(year(e.plan_issued_date) as varchar) as cal_year,
        make_date(year(e.plan_issued_date), 1, 1) as cal_start,
        make_date(year(e.plan_issued_date), 12, 31) as cal_end,
        pm_academic_year(e.plan_issued_date) as acad_year,
        pm_academic_year_start(pm_academic_year(e.plan_issued_date)) as acad_start,
        pm_academic_year_end(pm_academic_year(e.plan_issued_date)) as acad_end
    from core.ehcp e
    left join seed.ethnicity s on s.code = e.ethnicity
    where e.plan_issued_date is not null
      and e.request_date is not null
),
placed as (
    select plans.*, p.period, p.period_type, p.period_start, p.period_end, b.breakdown, b.breakdown_value
    from plans,
    unnest([
        {'period': cal_year, 'period_type': 'calendar_year',
         'period_start': cal_start, 'period_end': cal_end},
        {'period': acad_year, 'period_type': 'academic_year',
         'period_start': acad_start, 'period_end': acad_end}
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
    select
        period, period_type, period_start, period_end, breakdown, breakdown_value,
        count(*) filter (where within and not exception) as k_excl,
        count(*) filter (where not exception) as n_excl,
        count(*) filter (where within) as k_all,
        count(*) as n_all
    from placed
    group by all
),
measures as (
    select counts.*, m.measure, m.k, m.n
    from counts, unnest([
        {'measure': 'value', 'k': k_excl, 'n': n_excl},
        {'measure': 'incl_exceptions', 'k': k_all, 'n': n_all}
    ]) as u(m)
)
select
    measure,
    period, period_type, period_start, period_end,
    'borough' as geography_level,
    'E09000012' as geography_code,
    'Hackney' as geography_name,
    'all' as phase,
    breakdown, breakdown_value,
    k as numerator,
    n as denominator,
    100.0 * k / n as value,
    'percent' as unit,
    pm_wilson_lower(k, n) as ci_lower,
    pm_wilson_upper(k, n) as ci_upper,
    case when period_end > (select data_until from extent)
           or period_start < (select data_from from extent) then 'partial_period' end as flag
from measures
where n > 0
