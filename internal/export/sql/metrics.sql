-- The catalogue entries of one priority (0 = every priority). All columns:
-- the exporter picks the ones it knows by name.
select *
from indicators.metrics
where $1 = 0 or priority = $1
order by priority, metric_id
