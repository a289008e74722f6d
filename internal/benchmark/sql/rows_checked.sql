-- Resolve each staged source row (bm_rows) to an area and a period, and say
-- why a row cannot be loaded. bm_rows has one row per source row with the
-- standard EES columns as text (missing ones null), plus la_hint (LAIT's LA
-- number) and stage_problem/stage_column (a problem the stage found).
-- Parameters: the file's own names for time_period, geographic_level,
-- region_code and old_la_code, for messages.
create or replace temp table bm_checked as
with params as (
    select ?::varchar as c_time, ?::varchar as c_level, ?::varchar as c_region, ?::varchar as c_la
),
-- periods and time identifiers are few: work each out once
ti as (
    select time_identifier, benchmark.period_type_of(trim(time_identifier)) as ptype
    from (select distinct time_identifier from bm_rows)
),
r as (
    select
        b.*,
        lower(trim(b.geographic_level)) as lvl,
        ti.ptype
    from bm_rows b
    left join ti on ti.time_identifier is not distinct from b.time_identifier
),
periods as (
    select time_period, ptype, benchmark.plan_period(trim(time_period), ptype) as period
    from (select distinct time_period, ptype from r)
),
n as (
    select
        r.*,
        case r.lvl
            when 'national' then 970
            when 'regional' then coalesce(r.la_hint, rc.la_number)
            when 'local authority' then coalesce(try_cast(trim(r.old_la_code) as integer), r.la_hint, lc.la_number)
        end as la_number
    from r
    left join benchmark.areas rc
        on rc.geographic_level = 'Regional' and rc.area_code = upper(trim(r.region_code))
    left join benchmark.areas lc
        on lc.geographic_level = 'Local authority' and lc.area_code = upper(trim(r.new_la_code))
),
c as (
    select
        n.*,
        n.lvl not in ('national', 'regional', 'local authority') and n.stage_problem is null as skip,
        case
            when n.stage_problem is not null then n.stage_problem
            when n.lvl not in ('national', 'regional', 'local authority') then null
            when nullif(trim(n.time_period), '') is null then 'the period is blank'
            when n.lvl = 'regional' and n.la_number is null then
                'region code ' || coalesce(nullif(trim(n.region_code), ''), '(blank)')
                || ' is not an English region (E12000001 to E12000009, E13000001 Inner London, E13000002 Outer London)'
            when n.lvl = 'local authority' and n.la_number is null then
                'no LA number: old_la_code is blank or not a number and new_la_code '
                || coalesce(nullif(trim(n.new_la_code), ''), '(blank)') || ' is not a known LA code'
        end as problem,
        case
            when n.stage_problem is not null then n.stage_column
            when nullif(trim(n.time_period), '') is null then p.c_time
            when n.lvl = 'regional' then p.c_region
            else p.c_la
        end as problem_column,
        case
            when n.stage_problem is not null then n.stage_value
            when nullif(trim(n.time_period), '') is null then n.time_period
            when n.lvl = 'regional' then n.region_code
            else coalesce(n.old_la_code, n.new_la_code)
        end as problem_value
    from n, params p
)
select
    c._bm_row,
    c.filters,
    trim(c.time_period) as time_period,
    nullif(trim(c.time_identifier), '') as time_identifier,
    pe.period,
    c.ptype as period_type,
    case c.lvl
        when 'national' then 'National'
        when 'regional' then 'Regional'
        when 'local authority' then 'Local authority'
        else c.geographic_level
    end as geographic_level,
    c.la_number,
    case c.lvl
        when 'national' then coalesce(nullif(upper(trim(c.country_code)), ''), a.area_code)
        when 'regional' then coalesce(nullif(upper(trim(c.region_code)), ''), a.area_code)
        else coalesce(nullif(upper(trim(c.new_la_code)), ''), a.area_code)
    end as area_code,
    case c.lvl
        when 'national' then coalesce(nullif(trim(c.country_name), ''), a.area_name)
        when 'regional' then coalesce(nullif(trim(c.region_name), ''), a.area_name)
        else coalesce(nullif(trim(c.la_name), ''), a.area_name)
    end as area_name,
    c.skip,
    c.problem,
    c.problem_column,
    c.problem_value
from c
left join benchmark.areas a on a.la_number = c.la_number
left join periods pe on pe.time_period is not distinct from c.time_period and pe.ptype is not distinct from c.ptype;
