-- p2_outside_mainstream: pupils educated outside mainstream schools, at each
-- January census.
--
-- measure 'value' (count) = pupils on roll at the January census
-- (core.january_census: enrolment C or M, state-funded) in special schools
-- (school phase or type 'special') and in alternative provision (phase
-- 'alternative provision' or type 'pupil referral unit'), plus children with
-- an active EHC plan at the census date whose placement is specialist
-- (maintained special, independent special or alternative provision) in
-- another local authority (placement_la not 204 / E09000012; a blank
-- placement_la is not counted, as it cannot be told).
-- "Active" = the child's latest plan issued on or before the census date
-- (outcome 'plan issued'), the young person under 25 at the census date (the
-- return has no end date; plans cease at 25); a child with several cases
-- counts once, by the placement of that latest plan.
--
-- No double counting:
-- - the census lists Hackney schools only, so a child placed in another LA's
--   school is not on it; and an out-of-borough plan whose upn is nonetheless
--   on the roll of a Hackney special school or AP at the same census is left
--   out of the out-of-borough count (the census wins);
-- - on roll, only C (single) and M (main dual) registrations count, so a pupil
--   dual-registered with an AP and a mainstream school counts once, and each
--   pupil counts once (distinct upn) even if on two special/AP rolls as C/M.
--
-- Rows: borough total; borough by breakdown 'setting' ('special school',
-- 'alternative provision', 'out-of-borough specialist'); each special school
-- and AP (phase = the school's phase). period = the January census date
-- (the latest one of the academic year), period_type 'census'.
-- flag 'small_group' when the count is below min_events.
with
census_dates as (
    select academic_year, max(census_date) as census_date
    from core.january_census
    group by academic_year
),
on_roll as (
    select
        academic_year, urn, upn, school_name, school_phase,
        case when school_phase = 'alternative provision' or school_type = 'pupil referral unit'
             then 'alternative provision' else 'special school' end as setting
    from core.january_census
    where school_phase in ('special', 'alternative provision')
       or school_type in ('special', 'pupil referral unit')
),
latest_plans as (
    select d.academic_year, d.census_date, coalesce(p.upn, p.case_id) as child, p.upn,
           p.placement_type, p.placement_la, p.date_of_birth
    from census_dates d
    join core.ehcp p on p.plan_issued_date <= d.census_date
    where coalesce(p.outcome, 'plan issued') = 'plan issued'
    qualify row_number() over (
        partition by d.academic_year, coalesce(p.upn, p.case_id)
        order by p.plan_issued_date desc, p.request_date desc, p.case_id desc
    ) = 1
),
out_of_borough as (
    select l.academic_year, l.child
    from latest_plans l
    where l.placement_type in ('maintained special', 'independent special', 'alternative provision')
      and nullif(trim(l.placement_la), '') is not null
      and not pm_home_la(l.placement_la)
      and (l.date_of_birth is null or l.date_of_birth + interval 25 year > l.census_date)
      and not exists (
          select 1 from on_roll r where r.academic_year = l.academic_year and r.upn = l.upn
      )
),
children as (
    select academic_year, upn as child, setting, urn, school_name, school_phase from on_roll
    union all
    select academic_year, child, 'out-of-borough specialist', null, null, null from out_of_borough
),
counts as (
    select academic_year, 'borough' as geography_level, 'E09000012' as geography_code, 'Hackney' as geography_name,
           'all' as phase, 'all' as breakdown, 'all' as breakdown_value, count(distinct child) as n
    from children
    group by academic_year
    union all
    select academic_year, 'borough', 'E09000012', 'Hackney', 'all', 'setting', setting, count(distinct child)
    from children
    group by academic_year, setting
    union all
    select academic_year, 'school', cast(urn as varchar), any_value(school_name), any_value(school_phase),
           'all', 'all', count(distinct child)
    from children
    where urn is not null
    group by academic_year, urn
)
select
    'value' as measure,
    strftime(d.census_date, '%Y-%m-%d') as period,
    'census' as period_type,
    d.census_date as period_start,
    d.census_date as period_end,
    c.geography_level, c.geography_code, c.geography_name, c.phase, c.breakdown, c.breakdown_value,
    c.n::double as numerator,
    null::double as denominator,
    c.n::double as value,
    'count' as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    case when c.n < getvariable('min_events') then 'small_group' end as flag
from counts c
join census_dates d using (academic_year)
