-- The first row of a metric's output that breaks the contract, as a
-- message; no row when all are fine. {{table}} is the stage table.
with t as (
    select *, concat_ws(' / ',
        'measure=' || coalesce(measure, 'NULL'),
        'period=' || coalesce(period, 'NULL'),
        'geography=' || coalesce(geography_level, 'NULL') || ':' || coalesce(geography_code, 'NULL'),
        'phase=' || coalesce(phase, 'NULL'),
        coalesce(breakdown, 'NULL') || '=' || coalesce(breakdown_value, 'NULL')) as row_key
    from {{table}}
)
select msg from (
    select 1 as ord, 'row ' || row_key || ': measure, period, period_type, geography_level, geography_code, phase, breakdown, breakdown_value and unit must all be filled' as msg
    from t
    where measure is null or period is null or period_type is null or geography_level is null
       or geography_code is null or phase is null or breakdown is null or breakdown_value is null or unit is null
    union all
    select 2, 'row ' || row_key || ': period_type ' || period_type || ' is not one of academic_year, financial_year, calendar_year, census'
    from t where period_type not in ('academic_year', 'financial_year', 'calendar_year', 'census')
    union all
    select 3, 'row ' || row_key || ': geography_level ' || geography_level || ' is not one of borough, neighbourhood, school'
    from t where geography_level not in ('borough', 'neighbourhood', 'school')
    union all
    select 4, 'row ' || row_key || ': unit ' || unit || ' is not one of percent, per_100, per_10000, count, ratio, gbp'
    from t where unit not in ('percent', 'per_100', 'per_10000', 'count', 'ratio', 'gbp')
    union all
    select 5, 'row ' || any_value(row_key) || ' appears ' || count(*) || ' times: each measure, period, geography, phase and breakdown value must appear once'
    from t
    group by measure, period_type, period, geography_level, geography_code, phase, breakdown, breakdown_value
    having count(*) > 1
)
order by ord
limit 1;
