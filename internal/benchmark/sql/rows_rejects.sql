-- Source rows that could not be resolved, into meta.rejects. Parameters:
-- load_id, file.
insert into meta.rejects (load_id, file, sheet, row_number, column_name, value, rule, message)
select ?::bigint, ?::varchar, null, _bm_row, problem_column, problem_value, 'benchmark_row', problem
from bm_checked
where problem is not null
order by _bm_row;
