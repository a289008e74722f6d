-- p1_specialist_places: special school and ARP places.
-- From the school register of each academic year, state-funded schools that
-- are not closed:
--   special_school_places = net_capacity of special schools (phase or type special)
--   arp_places            = arp_places of every school (resourced provision)
--   value                 = special_school_places + arp_places
-- Borough and neighbourhood totals, and each school that has such places.
with schools as (
    select
        academic_year, urn, school_name, phase, neighbourhood,
        case when phase = 'special' or type = 'special' then coalesce(net_capacity, 0) else 0 end as special_places,
        coalesce(arp_places, 0) as arp
    from core.schools
    where coalesce(status, 'open') <> 'closed'
      and type <> 'independent'
),
geo as (
    select academic_year, 'borough' as geography_level, 'E09000012' as geography_code,
           'Hackney' as geography_name, 'all' as phase, special_places, arp
    from schools
    union all
    select academic_year, 'neighbourhood', neighbourhood, neighbourhood, 'all', special_places, arp
    from schools
    where neighbourhood is not null
    union all
    select academic_year, 'school', cast(urn as varchar), school_name, phase, special_places, arp
    from schools
    where special_places + arp > 0
),
totals as (
    select academic_year, geography_level, geography_code, geography_name, phase,
           sum(special_places) as special_places, sum(arp) as arp
    from geo
    group by all
)
select
    m.measure,
    academic_year as period,
    'academic_year' as period_type,
    pm_academic_year_start(academic_year) as period_start,
    pm_academic_year_end(academic_year) as period_end,
    geography_level, geography_code, geography_name, phase,
    'all' as breakdown,
    'all' as breakdown_value,
    m.places as numerator,
    null as denominator,
    m.places as value,
    'count' as unit,
    null as ci_lower,
    null as ci_upper,
    null as flag
from totals, unnest([
    {'measure': 'value', 'places': special_places + arp},
    {'measure': 'special_school_places', 'places': special_places},
    {'measure': 'arp_places', 'places': arp}
]) as u(m)
