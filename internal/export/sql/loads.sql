-- When each return was last loaded: the newest loaded file per return type.
select return_type,
       max(coalesce(finished_at, started_at))                               as loaded_at,
       arg_max(file_name, coalesce(finished_at, started_at))               as file_name,
       arg_max(rows_accepted, coalesce(finished_at, started_at))           as rows_accepted,
       arg_max(rows_rejected, coalesce(finished_at, started_at))           as rows_rejected,
       count(*)                                                            as files_loaded
from meta.loads
where status = 'loaded' and return_type is not null
group by return_type
order by return_type
