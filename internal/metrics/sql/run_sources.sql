-- The loads whose rows are current in core.<return> at this build:
-- {{table}} is core.<return>, the parameter the return name.
insert into indicators.run_sources (run_id, return_type, load_id, file_name, sha256, rows)
select getvariable('pm_run_id'), ?, c._load_id, l.file_name, l.sha256, c.n
from (select _load_id, count(*) as n from {{table}} group by _load_id) c
left join meta.loads l on l.load_id = c._load_id;
