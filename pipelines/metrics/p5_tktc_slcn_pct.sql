-- p5_tktc_slcn_pct: Turkish, Kurdish and Turkish Cypriot (TKTC) pupils
-- identified as SEN with a primary speech, language and communication need.
-- At the January census, in each group (borough total, phase,
-- neighbourhood, school, and borough breakdowns by ethnicity code,
-- sen_provision, FSM and gender):
--   value        = TKTC pupils with K or E and sen_need SLCN / TKTC pupils x 100, Wilson CI
--   other_pupils = the same percentage among all other pupils, Wilson CI
--   risk_ratio   = value / other_pupils, log-method CI; flag 'small_group'
--                  when TKTC SLCN pupils < min_events or TKTC pupils < min_group
-- Rows only where the group has TKTC pupils (and, for other_pupils and
-- risk_ratio, other pupils too).
with counts as (
    select
        period, period_type, period_start, period_end,
        geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
        count(*) filter (where tktc and slcn) as k,
        count(*) filter (where tktc) as n,
        count(*) filter (where not tktc and slcn) as k2,
        count(*) filter (where not tktc) as n2
    from (
        select *,
            coalesce(focus_group = 'Turkish, Kurdish and Turkish Cypriot', false) as tktc,
            coalesce(sen_provision in ('K', 'E') and sen_need = 'SLCN', false) as slcn
        from core.pupil_breakdowns
        where breakdown in ('all', 'ethnicity', 'sen_provision', 'fsm', 'gender')
    )
    group by all
    having count(*) filter (where tktc) > 0
),
-- DuckDB 1.5 cannot bind a macro call inside a struct in a lateral unnest,
-- so the statistics are computed here
stats as (
    select *,
        pm_wilson_lower(k, n) as k_lo, pm_wilson_upper(k, n) as k_hi,
        pm_wilson_lower(k2, n2) as k2_lo, pm_wilson_upper(k2, n2) as k2_hi,
        pm_risk_ratio(k, n, k2, n2) as rr,
        pm_rr_ci_lower(k, n, k2, n2) as rr_lo, pm_rr_ci_upper(k, n, k2, n2) as rr_hi,
        k < getvariable('min_events') or n < getvariable('min_group') as small
    from counts
),
measures as (
    select stats.*, m.*
    from stats, unnest([
        {'measure': 'value', 'num': k, 'den': n, 'v': 100.0 * k / n, 'unit': 'percent',
         'lo': k_lo, 'hi': k_hi, 'is_small': false},
        {'measure': 'other_pupils', 'num': k2, 'den': n2,
         'v': case when n2 > 0 then 100.0 * k2 / n2 end, 'unit': 'percent',
         'lo': k2_lo, 'hi': k2_hi, 'is_small': false},
        {'measure': 'risk_ratio', 'num': k, 'den': n, 'v': rr, 'unit': 'ratio',
         'lo': rr_lo, 'hi': rr_hi, 'is_small': small}
    ]) as u(m)
)
select
    measure,
    period, period_type, period_start, period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    num as numerator,
    den as denominator,
    v as value,
    unit,
    lo as ci_lower,
    hi as ci_upper,
    case when is_small then 'small_group' end as flag
from measures
where v is not null
