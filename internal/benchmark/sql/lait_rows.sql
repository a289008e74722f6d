-- LAIT's long table (staged as bm_lait with its columns renamed) into the
-- standard staging shape: bm_rows (one row per source row) and bm_long (its
-- one value). LA Number 970 is England, 980-990 the regions (987 Inner
-- London, 988 Outer London), below 970 an LA. The year type comes from the
-- LAIT data dictionary when it has been loaded.
create or replace temp table bm_rows as
with d as (
    select indicator, arg_max(year_type, load_id) as year_type
    from benchmark.indicators
    where source = 'lait' and year_type is not null
    group by indicator
),
s as (
    select
        b.*,
        case when try_cast(trim(b.la_number_text) as double) = floor(try_cast(trim(b.la_number_text) as double))
             then cast(try_cast(trim(b.la_number_text) as double) as integer) end as n
    from bm_lait b
)
select
    s._bm_row,
    '{}' as filters,
    s.years as time_period,
    d.year_type as time_identifier,
    case when s.n = 970 then 'National'
         when s.n between 980 and 990 then 'Regional'
         when s.n < 970 then 'Local authority'
         else 'unknown'
    end as geographic_level,
    null::varchar as country_code,
    null::varchar as country_name,
    null::varchar as region_code,
    case when s.n >= 970 then s.area_name end as region_name,
    null::varchar as new_la_code,
    case when s.n < 970 then cast(s.n as varchar) end as old_la_code,
    case when s.n < 970 then s.area_name end as la_name,
    s.n as la_hint,
    case
        when nullif(trim(s.indicator), '') is null then 'the indicator (Short Desc) is blank'
        when s.n is null then 'LA Number must be a whole number (an LA below 970, England 970, a region 980-990)'
        when s.n not between 1 and 990 or s.n between 971 and 979 then
            'LA Number ' || s.n || ' is not an LA (below 970), England (970) or a region (980-990)'
    end as stage_problem,
    case
        when nullif(trim(s.indicator), '') is null then 'Short Desc'
        else 'LA Number'
    end as stage_column,
    case
        when nullif(trim(s.indicator), '') is null then s.indicator
        else s.la_number_text
    end as stage_value
from s
left join d on d.indicator = trim(s.indicator);

create or replace temp table bm_long as
select _bm_row, trim(indicator) as indicator, raw, benchmark.parse_value(raw) as v
from bm_lait
where nullif(trim(raw), '') is not null;
