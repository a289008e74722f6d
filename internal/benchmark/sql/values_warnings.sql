-- Cells that are neither a number nor a known symbol: loaded as symbols, and
-- noted. Parameters: load_id, file.
insert into meta.warnings (load_id, file, sheet, row_number, column_name, value, rule, message)
select
    ?::bigint, ?::varchar, null, c._bm_row, l.indicator, l.raw, 'unknown_symbol',
    'not a number or a published symbol (c, x, z, :, low, -, NA ...): kept as a symbol with no value'
from bm_long l
join bm_checked c using (_bm_row)
where c.problem is null and not c.skip
  and l.v is null
  and not benchmark.is_symbol(l.raw)
order by c._bm_row, l.indicator;
