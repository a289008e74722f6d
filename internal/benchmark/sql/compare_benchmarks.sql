-- For each mapped metric and period: Hackney's published value beside its
-- own computed one, England, London, Inner London, the statistical
-- neighbours' average (unweighted, over the neighbours with a value),
-- Hackney's rank among all LAs and among its neighbours, its quartile band,
-- and the change on the previous period. Built from
-- indicators.benchmark_areas. Parameter: Hackney's LA number.
create or replace table indicators.benchmarks as
with params as (
    select ?::integer as hackney
),
a as (
    select
        b.*,
        max(b.value) filter (where b.is_hackney) over (partition by b.map_id, b.period) as h
    from indicators.benchmark_areas b
),
per as (
    select
        map_id,
        period,
        any_value(metric_id) as metric_id,
        any_value(measure) as measure,
        any_value(phase) as phase,
        any_value(source) as source,
        any_value(indicator) as indicator,
        any_value(filters) as filters,
        any_value(better) as better,
        any_value(rank_order) as rank_order,
        any_value(period_type) as period_type,
        max(time_period) filter (where is_hackney) as time_period,
        max(value) filter (where is_hackney) as hackney_published,
        max(symbol) filter (where is_hackney) as hackney_symbol,
        max(value) filter (where la_number = 970) as england,
        max(value) filter (where la_number = 986) as london,
        max(value) filter (where la_number = 987) as inner_london,
        avg(value) filter (where statistical_neighbour_rank is not null) as sn_average,
        count(value) filter (where statistical_neighbour_rank is not null) as sn_with_value,
        max(rank) filter (where is_hackney) as rank,
        coalesce(max(rank_of), 0) as rank_of,
        coalesce(max(las_without_value), 0) as las_without_value,
        max(quartile) filter (where is_hackney) as quartile,
        max(quartile_q1) as quartile_q1,
        max(quartile_median) as quartile_median,
        max(quartile_q3) as quartile_q3,
        case when max(h) is not null then 1 + count(*) filter (
            where statistical_neighbour_rank is not null and value is not null
              and case when rank_order = 'lowest' then round(value, 9) < round(h, 9)
                       else round(value, 9) > round(h, 9) end) end as sn_rank,
        count(value) filter (where statistical_neighbour_rank is not null)
            + count(value) filter (where is_hackney) as sn_rank_of
    from a
    group by map_id, period
),
neighbours as (
    select count(distinct sn_la_number) as sn_count
    from benchmark.statistical_neighbours, params p
    where la_number = p.hackney
      and is_current
      and load_id = (select max(load_id) from benchmark.statistical_neighbours)
),
computed as (
    -- Hackney's own figure: borough, all pupils. A census metric's date
    -- counts for its academic year (the January census when there are more).
    select metric_id, measure, phase, bench_period, value
    from (
        select
            metric_id, measure, phase, value,
            case when period_type = 'census'
                 then benchmark.academic_year(coalesce(period_start, try_cast(period as date)))
                 else period end as bench_period,
            case when period_type = 'census'
                  and month(coalesce(period_start, try_cast(period as date))) = 1 then 0 else 1 end as pref,
            coalesce(period_start, try_cast(period as date)) as d
        from indicators.metric_values
        where geography_level = 'borough' and breakdown = 'all' and breakdown_value = 'all'
    )
    qualify row_number() over (partition by metric_id, measure, phase, bench_period order by pref, d desc nulls last) = 1
),
labels as (
    select source, indicator, arg_max(coalesce(label, description), load_id) as label
    from benchmark.indicators
    where coalesce(label, description) is not null
    group by source, indicator
)
select
    p.metric_id,
    try_cast(regexp_extract(p.metric_id, '^p(\d+)_', 1) as integer) as priority,
    p.measure,
    p.phase,
    p.period,
    p.period_type,
    p.source,
    p.indicator,
    lb.label as indicator_label,
    p.filters,
    p.time_period,
    p.better,
    p.rank_order,
    p.hackney_published,
    p.hackney_symbol,
    c.value as hackney_computed,
    c.value - p.hackney_published as difference,
    p.england,
    p.london,
    p.inner_london,
    p.sn_average,
    p.sn_with_value,
    n.sn_count,
    p.rank,
    p.rank_of,
    p.las_without_value,
    p.quartile,
    p.quartile_q1,
    p.quartile_median,
    p.quartile_q3,
    p.sn_rank,
    p.sn_rank_of,
    lag(p.period) over w as previous_period,
    lag(p.hackney_published) over w as previous_value,
    p.hackney_published - lag(p.hackney_published) over w as change,
    now() as computed_at
from per p
cross join neighbours n
left join computed c
  on c.metric_id = p.metric_id and c.measure = p.measure and c.phase = p.phase and c.bench_period = p.period
left join labels lb on lb.source = p.source and lb.indicator = p.indicator
window w as (partition by p.map_id order by p.period)
order by p.metric_id, p.measure, p.phase, p.source, p.indicator, p.period;
