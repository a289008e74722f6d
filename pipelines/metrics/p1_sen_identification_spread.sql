-- p1_sen_identification_spread: consistency between schools in SEN
-- identification.
-- For each mainstream school (phase primary, secondary or all-through; not a
-- special school or PRU) at the January census, its SEN support percentage
-- (pupils with K / headcount x 100). Across the schools of a phase (and all
-- of them, phase 'all'):
--   value = interquartile range of the school percentages, in percentage
--           points: quantile_cont(0.75) - quantile_cont(0.25), linear
--           interpolation as Excel QUARTILE.INC
--   cv    = coefficient of variation: sample standard deviation / mean
-- denominator = number of schools; a phase needs at least 2 schools.
with schools as (
    select
        period, period_type, period_start, period_end, school_phase,
        100.0 * count(*) filter (where sen_provision = 'K') / count(*) as pct
    from core.pupil_breakdowns
    where geography_level = 'school'
      and school_phase in ('primary', 'secondary', 'all-through')
      and school_type not in ('special', 'pupil referral unit')
    group by period, period_type, period_start, period_end, geography_code, school_phase
),
phased as (
    select *, school_phase as phase from schools
    union all
    select *, 'all' as phase from schools
),
spread as (
    select
        period, period_type, period_start, period_end, phase,
        count(*) as schools,
        quantile_cont(pct, 0.75) - quantile_cont(pct, 0.25) as iqr,
        case when avg(pct) > 0 then stddev_samp(pct) / avg(pct) end as cv
    from phased
    group by all
    having count(*) >= 2
)
select
    m.measure,
    period, period_type, period_start, period_end,
    'borough' as geography_level,
    'E09000012' as geography_code,
    'Hackney' as geography_name,
    phase,
    'all' as breakdown,
    'all' as breakdown_value,
    null as numerator,
    schools as denominator,
    m.value,
    m.unit,
    null as ci_lower,
    null as ci_upper,
    null as flag
from spread, unnest([
    {'measure': 'value', 'value': iqr, 'unit': 'percent'},
    {'measure': 'cv', 'value': cv, 'unit': 'ratio'}
]) as u(m)
where m.value is not null
