-- The run that computed a priority's values (the newest run id among them),
-- or the newest run when no value carries one.
with wanted as (
    select coalesce(
        (select max(run_id) from indicators.metric_values where $1 = 0 or priority = $1),
        (select max(run_id) from meta.runs)) as run_id
)
select r.run_id,
       r.command,
       r.started_at,
       r.finished_at,
       r.status,
       r.program_version
from meta.runs r
join wanted w on r.run_id = w.run_id
