-- How each candidate column of a wide file reads, over the rows that will be
-- loaded: how many cells are not blank (bm_long has no blank cells), numbers,
-- and other text (neither a number nor a symbol), and how many distinct other
-- texts. Decides which columns are indicators and which are filters.
select
    l.indicator,
    count(*) as nonblank,
    count(l.v) as numbers,
    count(*) filter (where l.v is null and not benchmark.is_symbol(l.raw)) as text_cells,
    count(distinct case when l.v is null and not benchmark.is_symbol(l.raw) then trim(l.raw) end) as text_values
from bm_long l
join bm_rows r using (_bm_row)
where lower(trim(r.geographic_level)) in ('national', 'regional', 'local authority')
group by l.indicator;
