-- requires: ehcp
-- Each step of each EHC case (core.ehcp) once in the calendar year and once
-- in the academic year in which it happened, and once per ethnicity
-- breakdown, so a timeliness or volume metric is one GROUP BY:
--   step            'request' (request_date), 'ep_advice' (ep_issued_date),
--                   'plan' (plan_issued_date); a step without its date has
--                   no row
--   days            days the step took: request to plan issued, EP advice
--                   requested to issued; NULL for 'request' and when the
--                   start date is missing
--   exception       the case is an exception case (blank = no)
--   period ...      calendar_year ('2024') and academic_year ('2024/25') of
--                   the step's date
--   census_year     the academic year whose January census falls in the
--                   period (calendar year 2025 -> January 2025 -> '2024/25')
--   partial_period  the return does not cover the whole period (it ends
--                   after the return's latest date or starts before its
--                   earliest): the engine does not judge such periods
--   breakdown       'all'; ethnicity (the code on the case, 'unknown' when
--                   blank), ethnicity_group (seed major group,
--                   'Unclassified'), focus_group (the plan's focus groups only)
create or replace view core.ehcp_periods as
with
extent as (  -- the dates the return covers
    select
        min(least(request_date, decision_date, ep_requested_date, ep_issued_date, plan_issued_date)) as data_from,
        max(greatest(request_date, decision_date, ep_requested_date, ep_issued_date, plan_issued_date)) as data_until
    from core.ehcp
),
steps as (
    select
        e.case_id, e.upn, s.step, s.step_date, s.days,
        coalesce(e.exception, false) as exception,
        coalesce(e.ethnicity, 'unknown') as ethnicity,
        coalesce(eth.major_group, 'Unclassified') as ethnicity_group,
        eth.focus_group
    from core.ehcp e
    left join seed.ethnicity eth on eth.code = e.ethnicity,
    unnest([
        {'step': 'request',   'step_date': e.request_date,     'days': null::bigint},
        {'step': 'ep_advice', 'step_date': e.ep_issued_date,   'days': date_diff('day', e.ep_requested_date, e.ep_issued_date)},
        {'step': 'plan',      'step_date': e.plan_issued_date, 'days': date_diff('day', e.request_date, e.plan_issued_date)}
    ]) as u(s)
    where s.step_date is not null
),
dated as (
    -- DuckDB 1.5 cannot bind a macro call inside a struct in a lateral
    -- unnest, so the period labels are computed here
    select
        steps.*,
        cast(year(step_date) as varchar) as cal_year,
        make_date(year(step_date), 1, 1) as cal_start,
        make_date(year(step_date), 12, 31) as cal_end,
        pm_academic_year(make_date(year(step_date), 1, 15)) as cal_census_year,
        pm_academic_year(step_date) as acad_year,
        pm_academic_year_start(pm_academic_year(step_date)) as acad_start,
        pm_academic_year_end(pm_academic_year(step_date)) as acad_end
    from steps
)
select
    d.case_id, d.upn, d.step, d.step_date, d.days, d.exception,
    p.period, p.period_type, p.period_start, p.period_end, p.census_year,
    p.period_end > x.data_until or p.period_start < x.data_from as partial_period,
    b.breakdown, b.breakdown_value
from dated d, extent x,
unnest([
    {'period': d.cal_year, 'period_type': 'calendar_year',
     'period_start': d.cal_start, 'period_end': d.cal_end, 'census_year': d.cal_census_year},
    {'period': d.acad_year, 'period_type': 'academic_year',
     'period_start': d.acad_start, 'period_end': d.acad_end, 'census_year': d.acad_year}
]) as u(p),
unnest([
    {'breakdown': 'all',             'breakdown_value': 'all'},
    {'breakdown': 'ethnicity',       'breakdown_value': d.ethnicity},
    {'breakdown': 'ethnicity_group', 'breakdown_value': d.ethnicity_group},
    {'breakdown': 'focus_group',     'breakdown_value': d.focus_group}
]) as v(b)
where b.breakdown_value is not null;
