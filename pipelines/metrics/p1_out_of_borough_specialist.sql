-- p1_out_of_borough_specialist: children with an EHC plan in specialist
-- provision outside Hackney.
-- Caseload as at the end of each academic year (31 August), from the first
-- academic year in which a plan was issued to the latest one the return
-- reaches. A plan is in place when it was issued on or before that date and
-- the young person is under 25 then (the return has no end date; plans
-- cease at 25), and it is the child's latest plan by then: a child (upn, or
-- the case when there is none) has one plan at a time, so a newer plan
-- replaces an older one and the child counts once, by its placement.
-- Out of borough specialist: placement_type maintained special or
-- independent special, and placement_la neither Hackney (204, E09000012)
-- nor blank.
--   value        = plans in place that are out-of-borough specialist (count)
--   pct_of_plans = value / plans in place x 100, 95% Wilson interval
-- Borough, by placement type (value only) and by the ethnicity recorded on
-- the case (group and focus group).
-- flag 'partial_period' on periods ending after the return's latest date:
-- still running, so the engine does not judge them.
with extent as (  -- the return's latest date
    select max(greatest(request_date, decision_date, ep_requested_date, ep_issued_date, plan_issued_date)) as data_until
    from core.ehcp
),
years as (
    select cast(y as varchar) || '/' || lpad(cast((y + 1) % 100 as varchar), 2, '0') as academic_year
    from (
        select unnest(generate_series(first_year, last_year)) as y
        from (
            select
                min(cast(left(pm_academic_year(plan_issued_date), 4) as integer)) as first_year,
                max(cast(left(pm_academic_year(greatest(request_date, decision_date, plan_issued_date)), 4) as integer)) as last_year
            from core.ehcp
        )
        where first_year is not null
    )
),
plans as (
    select
        coalesce(e.upn, e.case_id) as child,
        e.case_id,
        e.request_date,
        e.plan_issued_date,
        e.date_of_birth,
        e.placement_type,
        e.placement_type in ('maintained special', 'independent special')
            and nullif(trim(e.placement_la), '') is not null
            and not pm_home_la(e.placement_la) as oob,
        coalesce(s.major_group, 'Unclassified') as ethnicity_group,
        s.focus_group
    from core.ehcp e
    left join seed.ethnicity s on s.code = e.ethnicity
    where e.plan_issued_date is not null
),
in_place as (
    select y.academic_year, p.*
    from years y
    join plans p
      on p.plan_issued_date <= pm_academic_year_end(y.academic_year)
     and (p.date_of_birth is null
          or p.date_of_birth + interval 25 year > pm_academic_year_end(y.academic_year))
    -- the child's latest plan by the end of the year (as p2_outside_mainstream)
    qualify row_number() over (
        partition by y.academic_year, p.child
        order by p.plan_issued_date desc, p.request_date desc, p.case_id desc
    ) = 1
),
broken as (
    select in_place.*, b.breakdown, b.breakdown_value
    from in_place, unnest([
        {'breakdown': 'all', 'breakdown_value': 'all'},
        {'breakdown': 'placement_type', 'breakdown_value': case when oob then placement_type end},
        {'breakdown': 'ethnicity_group', 'breakdown_value': ethnicity_group},
        {'breakdown': 'focus_group', 'breakdown_value': focus_group}
    ]) as u(b)
    where b.breakdown_value is not null
),
counts as (
    select academic_year, breakdown, breakdown_value,
           count(*) filter (where oob) as k,
           count(*) as n
    from broken
    group by all
),
-- DuckDB 1.5 cannot bind a macro call inside a struct in a lateral unnest,
-- so the interval is computed here
bounded as (
    select *, pm_wilson_lower(k, n) as lo, pm_wilson_upper(k, n) as hi
    from counts
)
select
    m.measure,
    academic_year as period,
    'academic_year' as period_type,
    pm_academic_year_start(academic_year) as period_start,
    pm_academic_year_end(academic_year) as period_end,
    'borough' as geography_level,
    'E09000012' as geography_code,
    'Hackney' as geography_name,
    'all' as phase,
    breakdown, breakdown_value,
    k as numerator,
    m.denominator,
    m.value,
    m.unit,
    m.ci_lower,
    m.ci_upper,
    case when pm_academic_year_end(academic_year) > (select data_until from extent) then 'partial_period' end as flag
from bounded, unnest([
    {'measure': 'value', 'denominator': null::bigint, 'value': k::double, 'unit': 'count',
     'ci_lower': null::double, 'ci_upper': null::double},
    {'measure': 'pct_of_plans', 'denominator': n, 'value': 100.0 * k / n, 'unit': 'percent',
     'ci_lower': lo, 'ci_upper': hi}
]) as u(m)
-- a placement_type row counts only out-of-borough plans: its share of
-- "plans in place" would always be 100%
where not (breakdown = 'placement_type' and m.measure = 'pct_of_plans')
