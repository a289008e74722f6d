-- Every aggregate value of one priority (0 = every priority). Only
-- indicators.metric_values is read: exports never touch raw.*.
select metric_id,
       priority,
       coalesce(measure, 'value')        as measure,
       coalesce(period, '')              as period,
       coalesce(period_type, '')         as period_type,
       period_start,
       period_end,
       geography_level,
       geography_code,
       coalesce(geography_name, '')      as geography_name,
       phase,
       breakdown,
       breakdown_value,
       numerator,
       denominator,
       value,
       unit,
       ci_lower,
       ci_upper,
       target,
       status,
       previous_value,
       change,
       coalesce(flag, '')                as flag,
       run_id,
       computed_at
from indicators.metric_values
where $1 = 0 or priority = $1
order by metric_id, measure, geography_level, geography_code, phase, breakdown,
         breakdown_value, period_type, period_start nulls first, period
