-- The catalogue of one priority (0 = all) for the Parquet export, with its
-- types (sources stays a list).
select * from indicators.metrics where $1 = 0 or priority = $1 order by priority, metric_id
