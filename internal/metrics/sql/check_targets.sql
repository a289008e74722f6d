-- The first targets.csv row that makes no sense, as a message; no row when
-- all are fine.
select msg from (
    select 1 as ord, format('metric_id {} is not in the metric catalogue', t.metric_id) as msg
    from seed.targets t
    where trim(t.metric_id) not in (select metric_id from indicators.metrics)
    union all
    select 2, format('metric {}: target {} is not a number', metric_id, target)
    from seed.targets
    where nullif(trim(target), '') is not null and try_cast(trim(target) as double) is null
    union all
    select 3, format('metric {}: comparison {} is not one of >=, >, <=, <, improve', metric_id, comparison)
    from seed.targets
    where nullif(lower(trim(comparison)), '') not in ('>=', '>', '<=', '<', 'improve')
    union all
    select 4, format('metric {}: comparison {} needs a target value (or use improve)', metric_id, comparison)
    from seed.targets
    where nullif(lower(trim(comparison)), '') in ('>=', '>', '<=', '<') and nullif(trim(target), '') is null
    union all
    select 5, format('metric {}: comparison improve takes no target value (the target is the previous period)', metric_id)
    from seed.targets
    where lower(trim(comparison)) = 'improve' and nullif(trim(target), '') is not null
)
order by ord
limit 1;
