-- A fresh stage schema for this build: each metric's output lands in
-- stage.<metric_id> (so a dependent metric can read it), then all of them in
-- stage._values. Dropped again at the end of the build.
drop schema if exists stage cascade;
create schema stage;

-- The columns a metric SQL file returns (the metric contract), typed.
create table stage._shape (
    measure          varchar,
    period           varchar,
    period_type      varchar,
    period_start     date,
    period_end       date,
    geography_level  varchar,
    geography_code   varchar,
    geography_name   varchar,
    phase            varchar,
    breakdown        varchar,
    breakdown_value  varchar,
    numerator        double,
    denominator      double,
    value            double,
    unit             varchar,
    ci_lower         double,
    ci_upper         double,
    flag             varchar
);

create table stage._values as
select
    cast(null as varchar) as metric_id,
    cast(null as integer) as priority,
    false as no_data,
    *
from stage._shape
limit 0;

-- Targets from the seed, typed. seed.targets may be absent (a seeds tree
-- without targets.csv): then no metric has a stated target.
create table if not exists seed.targets (
    metric_id varchar, measure varchar, period varchar,
    target varchar, comparison varchar, source varchar
);
create or replace table indicators.targets as
select
    trim(metric_id)                         as metric_id,
    coalesce(nullif(trim(measure), ''), '*') as measure,
    coalesce(nullif(trim(period), ''), '*')  as period,
    try_cast(trim(target) as double)        as target,
    nullif(lower(trim(comparison)), '')     as comparison,
    source
from seed.targets;
