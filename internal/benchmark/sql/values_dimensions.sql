-- New filter combinations, periods and area names of the rows that resolved
-- (bm_checked) into the dimension tables, then each row's ids (bm_ids).
insert into benchmark.filter_sets (filter_id, filters)
select nextval('benchmark.filter_seq'), n.filters
from (select distinct filters from bm_checked where problem is null and not skip) n
where not exists (select 1 from benchmark.filter_sets f where f.filters = n.filters);

insert into benchmark.periods (period_id, time_period, time_identifier, period, period_type)
select nextval('benchmark.period_seq'), n.*
from (
    select distinct time_period, time_identifier, period, period_type
    from bm_checked where problem is null and not skip
) n
where not exists (
    select 1 from benchmark.periods p
    where p.time_period = n.time_period
      and p.time_identifier is not distinct from n.time_identifier
      and p.period is not distinct from n.period
      and p.period_type is not distinct from n.period_type);

insert into benchmark.area_names (area_id, geographic_level, la_number, area_code, area_name)
select nextval('benchmark.area_seq'), n.*
from (
    select distinct geographic_level, la_number, area_code, area_name
    from bm_checked where problem is null and not skip
) n
where not exists (
    select 1 from benchmark.area_names a
    where a.geographic_level = n.geographic_level
      and a.la_number is not distinct from n.la_number
      and a.area_code is not distinct from n.area_code
      and a.area_name is not distinct from n.area_name);

create or replace temp table bm_ids as
select c._bm_row, f.filter_id, p.period_id, a.area_id
from bm_checked c
join benchmark.filter_sets f on f.filters = c.filters
join benchmark.periods p
  on p.time_period = c.time_period
 and p.time_identifier is not distinct from c.time_identifier
 and p.period is not distinct from c.period
 and p.period_type is not distinct from c.period_type
join benchmark.area_names a
  on a.geographic_level = c.geographic_level
 and a.la_number is not distinct from c.la_number
 and a.area_code is not distinct from c.area_code
 and a.area_name is not distinct from c.area_name
where c.problem is null and not c.skip;
