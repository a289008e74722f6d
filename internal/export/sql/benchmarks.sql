-- Hackney's figures beside the published ones (indicators.benchmarks, built
-- by the benchmark package on every build) for one priority (0 = every
-- priority). Published figures are public aggregates; hackney_computed is
-- our own and is suppressed in Go like every other computed figure.
select metric_id,
       priority,
       coalesce(measure, 'value')         as measure,
       coalesce(phase, 'all')             as phase,
       coalesce(period, '')               as period,
       coalesce(period_type, '')          as period_type,
       coalesce(source, '')               as source,
       coalesce(indicator, '')            as indicator,
       coalesce(indicator_label, '')      as indicator_label,
       coalesce(filters, '')              as filters,
       coalesce(time_period, '')          as time_period,
       coalesce(better, '')               as better,
       coalesce(rank_order, '')           as rank_order,
       hackney_published,
       coalesce(hackney_symbol, '')       as hackney_symbol,
       hackney_computed,
       difference,
       england,
       london,
       inner_london,
       sn_average,
       sn_with_value,
       sn_count,
       rank,
       rank_of,
       las_without_value,
       coalesce(quartile, '')             as quartile,
       quartile_q1,
       quartile_median,
       quartile_q3,
       sn_rank,
       sn_rank_of,
       coalesce(previous_period, '')      as previous_period,
       previous_value,
       change,
       computed_at
from indicators.benchmarks
where $1 = 0 or priority = $1
order by metric_id, measure, phase, source, indicator, filters, period_type, period
