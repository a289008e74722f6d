-- Every staged value with its target, previous value, change and status,
-- into indicators.metric_values (replaced wholesale).
--
-- previous_value: the same metric, measure, geography, phase and breakdown
--   value in the metric's previous period of the same period_type: its
--   latest period that ends before this one and at most 13 months (396
--   days) earlier, so the previous year of a yearly series or the previous
--   January census, never a period years back after a gap. None when that
--   period has no such row.
-- target: the stated target from seeds/targets.csv (exact period before '*',
--   exact measure before '*'); otherwise, and for comparison 'improve', the
--   previous value, since the plan's default aim is to do better than the
--   previous period.
-- A row flagged 'partial_period' (a period still running) is not judged:
--   no target, status no_target; previous value and change are shown.
-- status: no_data when there is no value; with a stated target, on_track
--   when the value meets it (comparison, or by direction: up >=, down <=,
--   towards_1 |v-1| <= |t-1|, towards_0 |v| <= |t|); otherwise no_target in
--   a first period, on_track when strictly better than the previous value in
--   the metric's direction (or already at 1 / 0 for towards_1 / towards_0, or
--   staying at 0 for down, at 100% for an up percentage), else off_track.
delete from indicators.metric_values;

insert into indicators.metric_values (
    metric_id, priority, measure, period, period_type, period_start, period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    numerator, denominator, value, unit, ci_lower, ci_upper,
    target, status, previous_value, change, flag, run_id, computed_at)
with v as (
    select row_number() over () as rid, s.*, m.direction
    from stage._values s
    join indicators.metrics m on m.metric_id = s.metric_id
),
periods as (
    select metric_id, period_type, period, max(period_end) as period_end
    from v
    where period is not null and period_end is not null
    group by metric_id, period_type, period
),
previous_periods as (
    select p.metric_id, p.period_type, p.period, arg_max(q.period, q.period_end) as previous_period
    from periods p
    left join periods q
      on q.metric_id = p.metric_id and q.period_type = p.period_type
     and q.period_end < p.period_end
     and q.period_end >= p.period_end - interval 396 day
    group by p.metric_id, p.period_type, p.period
),
with_previous as (
    select v.*, p.value as previous_value
    from v
    left join previous_periods pp
      on pp.metric_id = v.metric_id and pp.period_type = v.period_type and pp.period = v.period
    left join v p
      on p.metric_id = v.metric_id and p.measure = v.measure and p.period_type = v.period_type
     and p.period = pp.previous_period
     and coalesce(p.flag, '') <> 'partial_period' -- a part-year is no baseline for a whole one
     and p.geography_level = v.geography_level and p.geography_code = v.geography_code
     and p.phase = v.phase and p.breakdown = v.breakdown and p.breakdown_value = v.breakdown_value
),
targeted as (
    select w.*, t.target as stated_target, t.comparison
    from with_previous w
    left join indicators.targets t
      on t.metric_id = w.metric_id
     and (t.measure = w.measure or t.measure = '*')
     and (t.period = w.period or t.period = '*')
    qualify row_number() over (partition by w.rid order by t.period = '*', t.measure = '*') = 1
),
judged as (
    select *,
        stated_target is not null and coalesce(comparison, '') <> 'improve' as has_stated,
        coalesce(flag = 'partial_period', false) as partial
    from targeted
)
select
    metric_id, priority, measure, period, period_type, period_start, period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    numerator, denominator, value, unit, ci_lower, ci_upper,
    case when partial then null when has_stated then stated_target else previous_value end as target,
    case
        when no_data or value is null then 'no_data'
        when partial then 'no_target'
        when has_stated then
            case when (case coalesce(comparison, '')
                           when '>=' then value >= stated_target
                           when '>'  then value > stated_target
                           when '<=' then value <= stated_target
                           when '<'  then value < stated_target
                           else case direction
                                    when 'up'        then value >= stated_target
                                    when 'down'      then value <= stated_target
                                    when 'towards_1' then abs(value - 1) <= abs(stated_target - 1)
                                    when 'towards_0' then abs(value) <= abs(stated_target)
                                end
                       end)
                 then 'on_track' else 'off_track' end
        when previous_value is null then 'no_target'
        when (case direction
                  -- Staying at the best possible value (0 for a lower-is-better
                  -- metric, 100% for a higher-is-better percentage) is on track.
                  when 'up'        then value > previous_value or (unit = 'percent' and value = 100 and previous_value = 100)
                  when 'down'      then value < previous_value or (value = 0 and previous_value = 0)
                  when 'towards_1' then abs(value - 1) < abs(previous_value - 1) or value = 1
                  when 'towards_0' then abs(value) < abs(previous_value) or value = 0
              end)
            then 'on_track'
        else 'off_track'
    end as status,
    previous_value,
    value - previous_value as change,
    flag,
    getvariable('pm_run_id') as run_id,
    now() as computed_at
from judged;
