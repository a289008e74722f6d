-- p5_sen_representation: representation of groups (the plan's focus groups
-- Black Caribbean and Turkish, Kurdish and Turkish Cypriot first) among
-- pupils on SEN support, and among pupils with SEN (support or EHC plan)
-- whose primary need is SEMH, at the January census.
-- For a group with n pupils of N, k of the K on SEN support and s of the S
-- with K/E and SEMH:
--   value           = (k / K) / (n / N)  share of SEN support / share of pupils (1.0 = in proportion)
--   semh            = (s / S) / (n / N)
--   risk_ratio      = (k / n) / ((K - k) / (N - n))  vs all other pupils, log-method 95% CI
--   semh_risk_ratio = (s / n) / ((S - s) / (N - n))
-- numerator = the group's k (or s), denominator = n. flag 'small_group'
-- when the numerator < min_events or n < min_group.
-- Borough, all phases and each phase; breakdowns focus_group,
-- ethnicity_group and ethnicity.
with counts as (
    select
        period, period_type, period_start, period_end, phase, breakdown, breakdown_value,
        count(*) as n,
        count(*) filter (where sen_provision = 'K') as k,
        count(*) filter (where sen_provision in ('K', 'E') and sen_need = 'SEMH') as s
    from core.pupil_breakdowns
    where geography_level = 'borough'
      and breakdown in ('all', 'focus_group', 'ethnicity_group', 'ethnicity')
    group by all
),
groups as (
    select
        g.*,
        case when t.k > 0 then (g.k::double / t.k) / (g.n::double / t.n) end as k_index,
        case when t.s > 0 then (g.s::double / t.s) / (g.n::double / t.n) end as s_index,
        pm_risk_ratio(g.k, g.n, t.k - g.k, t.n - g.n) as k_rr,
        pm_rr_ci_lower(g.k, g.n, t.k - g.k, t.n - g.n) as k_rr_lo,
        pm_rr_ci_upper(g.k, g.n, t.k - g.k, t.n - g.n) as k_rr_hi,
        pm_risk_ratio(g.s, g.n, t.s - g.s, t.n - g.n) as s_rr,
        pm_rr_ci_lower(g.s, g.n, t.s - g.s, t.n - g.n) as s_rr_lo,
        pm_rr_ci_upper(g.s, g.n, t.s - g.s, t.n - g.n) as s_rr_hi
    from counts g
    join counts t
      on t.period = g.period and t.phase = g.phase and t.breakdown = 'all'
    where g.breakdown <> 'all'
),
measures as (
    select groups.*, m.*
    from groups, unnest([
        {'measure': 'value',           'events': k, 'ratio': k_index, 'lo': null::double, 'hi': null::double},
        {'measure': 'semh',            'events': s, 'ratio': s_index, 'lo': null::double, 'hi': null::double},
        {'measure': 'risk_ratio',      'events': k, 'ratio': k_rr,    'lo': k_rr_lo,      'hi': k_rr_hi},
        {'measure': 'semh_risk_ratio', 'events': s, 'ratio': s_rr,    'lo': s_rr_lo,      'hi': s_rr_hi}
    ]) as u(m)
)
select
    measure,
    period, period_type, period_start, period_end,
    'borough' as geography_level,
    'E09000012' as geography_code,
    'Hackney' as geography_name,
    phase, breakdown, breakdown_value,
    events as numerator,
    n as denominator,
    ratio as value,
    'ratio' as unit,
    lo as ci_lower,
    hi as ci_upper,
    case when events < getvariable('min_events') or n < getvariable('min_group') then 'small_group' end as flag
from measures
where ratio is not null
