-- The latest period of every series (metric, measure, period type,
-- geography, phase, breakdown value): what a dashboard shows as "now".
-- Calendar-year and academic-year series of one metric are kept apart.
create or replace view indicators.latest as
select *
from indicators.metric_values
qualify row_number() over (
    partition by metric_id, measure, period_type, geography_level, geography_code,
                 phase, breakdown, breakdown_value
    order by period_end desc nulls last, period desc nulls last) = 1;

-- One view per plan priority: every value (all periods, for trends) of its
-- metrics, with the metric's name and direction.
create or replace view indicators.priority_1 as
select v.*, m.name as metric_name, m.direction
from indicators.metric_values v join indicators.metrics m on m.metric_id = v.metric_id
where v.priority = 1;
create or replace view indicators.priority_2 as
select v.*, m.name as metric_name, m.direction
from indicators.metric_values v join indicators.metrics m on m.metric_id = v.metric_id
where v.priority = 2;
create or replace view indicators.priority_3 as
select v.*, m.name as metric_name, m.direction
from indicators.metric_values v join indicators.metrics m on m.metric_id = v.metric_id
where v.priority = 3;
create or replace view indicators.priority_4 as
select v.*, m.name as metric_name, m.direction
from indicators.metric_values v join indicators.metrics m on m.metric_id = v.metric_id
where v.priority = 4;
create or replace view indicators.priority_5 as
select v.*, m.name as metric_name, m.direction
from indicators.metric_values v join indicators.metrics m on m.metric_id = v.metric_id
where v.priority = 5;

-- Provenance: for every value, the loads (files) its run read.
create or replace view indicators.value_sources as
select v.metric_id, v.run_id, s.return_type, s.load_id, s.file_name, s.sha256, s.rows
from (select distinct metric_id, run_id from indicators.metric_values) v
join indicators.metrics m on m.metric_id = v.metric_id
join indicators.run_sources s on s.run_id = v.run_id and list_contains(m.sources, s.return_type);
