-- Staged values (bm_long: one row per source row and indicator column, blank
-- cells dropped, v the cell read as a number) of the rows that resolved
-- (bm_ids) into benchmark.observations. A cell that is not a number is kept
-- as a symbol with no value. Parameter: dataset_id.
insert into benchmark.observations
    (dataset_id, row_number, indicator, filter_id, period_id, area_id, value, symbol)
select
    ?::integer,
    i._bm_row,
    l.indicator,
    i.filter_id,
    i.period_id,
    i.area_id,
    l.v,
    case when l.v is null then trim(l.raw) end
from bm_long l
join bm_ids i using (_bm_row);
