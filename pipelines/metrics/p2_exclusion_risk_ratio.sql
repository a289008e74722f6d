-- p2_exclusion_risk_ratio: disproportionality in suspensions and permanent
-- exclusions: for each group of each breakdown, the rate in the group / the
-- rate in all other pupils (1.0 = parity).
-- depends: p2_suspension_rate
-- depends: p2_perm_exclusion_rate
--
-- measure 'suspension' (from p2_suspension_rate) and 'permanent' (from
-- p2_perm_exclusion_rate), unit ratio; borough rows, phase 'all' and each
-- school phase; breakdowns ethnicity, ethnicity_group, focus_group,
-- sen_provision, fsm, gender with the values those metrics use.
-- numerator   = events in the group (a), denominator = group headcount (n1);
-- other pupils: b = all events - a, n2 = all headcount - n1, taken from the
-- same metric's breakdown 'all' row, so events and pupils in groups and in
-- the total reconcile (an event of a pupil with no census record sits in an
-- 'unknown' group with no headcount: its ratio is NULL but it still counts
-- among the "other" events of every other group).
-- value = pm_risk_ratio(a, n1, b, n2); ci = log method (pm_rr_ci_*);
-- flag 'small_group' when a < min_events or n1 < min_group.
with
rates as (
    select 'suspension' as measure, * exclude (measure)
    from stage.p2_suspension_rate
    where measure = 'value' and geography_level = 'borough'
    union all
    select 'permanent' as measure, * exclude (measure)
    from stage.p2_perm_exclusion_rate
    where measure = 'value' and geography_level = 'borough'
),
totals as (
    select measure, period, phase, numerator as all_events, denominator as all_pupils
    from rates
    where breakdown = 'all'
),
groups as (
    select
        r.*,
        r.numerator as a,
        coalesce(r.denominator, 0) as n1,
        t.all_events - r.numerator as b,
        t.all_pupils - coalesce(r.denominator, 0) as n2
    from rates r
    join totals t using (measure, period, phase)
    where r.breakdown <> 'all'
)
select
    measure, period, period_type, period_start, period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    a as numerator,
    n1 as denominator,
    pm_risk_ratio(a, n1, b, n2) as value,
    'ratio' as unit,
    pm_rr_ci_lower(a, n1, b, n2) as ci_lower,
    pm_rr_ci_upper(a, n1, b, n2) as ci_upper,
    case when a < getvariable('min_events') or n1 < getvariable('min_group') then 'small_group' end as flag
from groups
