-- One headline per catalogue metric (per breakdown value when the
-- catalogue's headline_breakdown is not 'all'): the borough, all-phase row
-- of its headline measure in its latest complete period (a period flagged
-- partial_period only when there is nothing else). When a metric has both
-- calendar- and academic-year series, the one ending later wins.
with h as (
    select v.*
    from indicators.metric_values v
    join indicators.metrics m on m.metric_id = v.metric_id
    where v.geography_level = 'borough'
      and v.phase = 'all'
      and ((v.measure = coalesce(m.headline_measure, 'value')
            and v.breakdown = coalesce(m.headline_breakdown, 'all'))
           or v.status = 'no_data')
    qualify row_number() over (
        partition by v.metric_id, v.breakdown_value
        order by coalesce(v.flag = 'partial_period', false),
                 v.period_end desc nulls last,
                 case v.period_type when 'academic_year' then 1 when 'financial_year' then 2
                                    when 'census' then 3 else 4 end) = 1
)
select
    m.priority, m.metric_id, m.name, coalesce(h.unit, m.unit) as unit,
    case when h.breakdown is null or h.breakdown = 'all' then '' else h.breakdown_value end as grp,
    coalesce(h.period, '') as period,
    coalesce(h.period_type, '') as period_type,
    h.value, h.target, h.previous_value, h.change,
    coalesce(h.status, '') as status,         -- '' when no row matches the headline
    coalesce(h.flag, '') as flag
from indicators.metrics m
left join h on h.metric_id = m.metric_id
order by m.priority, m.metric_id, grp;
