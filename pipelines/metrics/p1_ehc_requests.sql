-- p1_ehc_requests: requests for an EHC needs assessment.
-- A request counts in the period (academic year and calendar year) of its
-- request_date.
--   value     = number of requests (numerator), unit count
--   per_10000 = requests / headcount x 10,000, where headcount is the January
--               census of the period: the academic year's own census, or the
--               January census held in the calendar year (so 2025 uses
--               January 2025, i.e. academic year 2024/25)
-- Borough, by the ethnicity recorded on the case (code, group, focus group);
-- a group's rate uses that group's headcount. No census for the period: no
-- per_10000 row.
-- flag 'partial_period' on periods the return does not cover whole (ending
-- after its latest date or starting before its earliest): the engine does
-- not judge them.
-- Requests by period and breakdown: core.ehcp_periods (pipelines/core/050_ehcp_periods.sql).
with
counts as (
    select period, period_type, period_start, period_end, partial_period, census_year,
           breakdown, breakdown_value,
           count(*) as requests
    from core.ehcp_periods
    where step = 'request'
    group by all
),
headcount as (
    select academic_year, breakdown, breakdown_value, count(*) as pupils
    from core.pupil_breakdowns
    where geography_level = 'borough' and phase = 'all'
    group by all
),
measures as (
    select c.*, 'value' as measure, c.requests::double as value, null::bigint as pupils, 'count' as unit
    from counts c
    union all
    select c.*, 'per_10000', 10000.0 * c.requests / h.pupils, h.pupils, 'per_10000'
    from counts c
    join headcount h
      on h.academic_year = c.census_year
     and h.breakdown = c.breakdown and h.breakdown_value = c.breakdown_value
)
select
    measure,
    period, period_type, period_start, period_end,
    'borough' as geography_level,
    'E09000012' as geography_code,
    'Hackney' as geography_name,
    'all' as phase,
    breakdown, breakdown_value,
    requests as numerator,
    pupils as denominator,
    value,
    unit,
    null as ci_lower,
    null as ci_upper,
    case when partial_period then 'partial_period' end as flag
from measures
