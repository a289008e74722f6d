-- p3_surplus_places_pct: surplus (empty) places as a percentage of capacity,
-- at each January census.
--
-- Schools: state-funded (type not independent) with net_capacity > 0 in the
-- register of the academic year and pupils at its January census (a school
-- whose census has not arrived is left out rather than shown 100% empty).
-- Pupils: core.january_census (enrolment C or M). Net capacity counts
-- reception to sixth form, so nursery-class pupils (N1, N2) are not set
-- against it, except in nursery schools, whose capacity is nursery places.
-- school rows:    numerator = net_capacity - pupils (negative when over
--                 capacity), denominator = net_capacity;
-- borough (all phases and each phase) and neighbourhood (all phases and
-- each phase) rows: numerator = unfilled places, the sum over schools of
-- max(0, net_capacity - pupils) (DfE's convention: one school's excess
-- pupils do not fill another's empty places), denominator = sum of
-- net_capacity. value = numerator / denominator x 100.
-- period = the January census date (latest of the academic year). No CI or
-- small_group flag (places, not people).
with
census_dates as (
    select academic_year, max(census_date) as census_date
    from core.january_census
    group by academic_year
),
on_roll as (
    select academic_year, urn, count(*) as pupils
    from core.january_census
    where coalesce(ncy, '') not in ('N1', 'N2') or school_phase = 'nursery'
    group by academic_year, urn
),
schools as (
    select s.academic_year, s.urn, s.school_name, s.phase, s.neighbourhood, s.net_capacity,
           s.net_capacity - coalesce(r.pupils, 0) as surplus
    from core.schools s
    join (select distinct academic_year, urn from core.january_census) c using (academic_year, urn)
    left join on_roll r using (academic_year, urn)
    where s.type <> 'independent'
      and s.net_capacity > 0
),
grouped as (
    select s.academic_year, g.geography_level, g.geography_code, g.geography_name, g.phase,
           sum(case when g.geography_level = 'school' then s.surplus else greatest(s.surplus, 0) end) as places,
           sum(s.net_capacity) as capacity
    from schools s, unnest(pm_geographies(s.urn, s.school_name, s.phase, s.neighbourhood)) as v(g)
    where g.geography_code is not null and g.phase is not null
    group by all
)
select
    'value' as measure,
    strftime(d.census_date, '%Y-%m-%d') as period,
    'census' as period_type,
    d.census_date as period_start,
    d.census_date as period_end,
    geography_level, geography_code, geography_name, phase,
    'all' as breakdown, 'all' as breakdown_value,
    places::double as numerator,
    capacity::double as denominator,
    places * 100.0 / capacity as value,
    'percent' as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    null::varchar as flag
from grouped
join census_dates d using (academic_year)
