-- Statistical neighbours staged in bm_sn (one row per LA and neighbour) into
-- benchmark.statistical_neighbours, with ONS codes and names filled in from
-- the workbook itself or benchmark.areas. Parameters: load_id, file.
insert into benchmark.statistical_neighbours
    (load_id, file, row_number, la_number, la_code, la_name, region, sn_rank,
     sn_la_number, sn_la_code, sn_la_name, closeness, is_current)
with names as (
    -- an LA's name as the workbook spells it (first row that has it)
    select la_number, arg_min(nullif(la_name, ''), row_number) as la_name
    from bm_sn
    group by la_number
)
select
    ?::bigint as load_id,
    ?::varchar as file,
    s.row_number,
    s.la_number,
    a.area_code,
    coalesce(nullif(s.la_name, ''), a.area_name),
    nullif(s.region, ''),
    s.sn_rank,
    s.sn_la_number,
    sa.area_code,
    coalesce(n.la_name, sa.area_name),
    nullif(s.closeness, ''),
    s.is_current
from bm_sn s
left join benchmark.areas a on a.la_number = s.la_number
left join benchmark.areas sa on sa.la_number = s.sn_la_number
left join names n on n.la_number = s.sn_la_number
order by s.row_number, s.sn_rank;
