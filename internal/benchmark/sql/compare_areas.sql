-- Every published value a mapping (benchmark.map) points at, one per area and
-- plan period, with each LA's rank and quartile band among all LAs. LAIT's
-- conventions: LAs are LA numbers below 970; rank 1 is the best value for
-- the indicator's polarity (the highest when it has none), ties share the
-- lowest rank (1, 2, 2, 4); quartile cut points are R's default quantile
-- (type 7, DuckDB's quantile_cont) over the LAs with a value in the period,
-- upper bounds inclusive, band A the best quarter. Values are compared
-- rounded to 9 decimals, so 40.299999999999997 ties with 40.3.
-- Parameter: Hackney's LA number.
create or replace table indicators.benchmark_areas as
with params as (
    select ?::integer as hackney
),
matched as (
    select
        m.map_id,
        v.load_id,
        v.dataset,
        v.time_period,
        coalesce(m.period_type, v.period_type) as period_type,
        benchmark.plan_period(v.time_period, coalesce(m.period_type, v.period_type)) as period,
        benchmark.period_status_rank(v.time_period) as status_rank,
        v.geographic_level,
        v.la_number,
        v.area_code,
        v.area_name,
        v.value * m.scale as value,
        v.symbol
    from benchmark.values v
    join benchmark.map m
      on v.source = m.source and v.indicator = m.indicator and v.filters = m.filters
    where v.la_number is not null
),
latest as (
    -- one figure per area and period: the latest file, then revised over
    -- provisional
    select *
    from matched
    qualify row_number() over (
        partition by map_id, la_number, period
        order by load_id desc, status_rank desc, time_period desc) = 1
),
las as (
    select l.*, m.rank_order, round(l.value, 9) as v9
    from latest l
    join benchmark.map m using (map_id)
    where l.la_number < 970
),
ranked as (
    select
        map_id, period, la_number,
        rank() over (
            partition by map_id, period
            order by case when rank_order = 'lowest' then v9 else -v9 end) as rank
    from las
    where value is not null
),
cuts as (
    select
        map_id, period,
        round(quantile_cont(value, 0.25), 9) as q1,
        round(quantile_cont(value, 0.50), 9) as q2,
        round(quantile_cont(value, 0.75), 9) as q3,
        count(value) as with_value,
        count(*) - count(value) as without_value
    from las
    group by map_id, period
),
neighbours as (
    -- Hackney's statistical neighbours, from the latest workbook loaded
    select sn_la_number, min(sn_rank) as sn_rank
    from benchmark.statistical_neighbours, params p
    where la_number = p.hackney
      and is_current
      and load_id = (select max(load_id) from benchmark.statistical_neighbours)
    group by sn_la_number
)
select
    m.metric_id,
    m.measure,
    m.phase,
    m.source,
    m.indicator,
    m.filters,
    m.better,
    m.rank_order,
    l.period,
    l.period_type,
    l.time_period,
    l.dataset,
    l.geographic_level,
    l.la_number,
    l.area_code,
    l.area_name,
    l.value,
    l.symbol,
    r.rank,
    case when l.la_number < 970 then c.with_value end as rank_of,
    case
        when l.la_number >= 970 or l.value is null then null
        else (case when m.rank_order = 'lowest' then ['A', 'B', 'C', 'D'] else ['D', 'C', 'B', 'A'] end)[
            case
                when round(l.value, 9) <= c.q1 then 1
                when round(l.value, 9) <= c.q2 then 2
                when round(l.value, 9) <= c.q3 then 3
                else 4
            end]
    end as quartile,
    c.q1 as quartile_q1,
    c.q2 as quartile_median,
    c.q3 as quartile_q3,
    c.without_value as las_without_value,
    l.la_number = p.hackney as is_hackney,
    n.sn_rank as statistical_neighbour_rank,
    m.map_id
from latest l
join benchmark.map m using (map_id)
cross join params p
left join ranked r using (map_id, period, la_number)
left join cuts c using (map_id, period)
left join neighbours n on n.sn_la_number = l.la_number
order by m.map_id, l.period, l.la_number;
