-- p4_good_or_better_pct: high Ofsted outcomes, reported against priority 4.
-- depends: p3_good_or_better_pct
--
-- Every row of p3_good_or_better_pct (state-funded schools) unchanged, plus
-- the independent schools of the Charedi community (schools.type
-- 'independent', community 'Charedi' in any case, not closed): borough, phase 'all',
-- breakdown 'independent_community', breakdown_value 'Charedi';
-- numerator = those graded 1 or 2, denominator = those with a grade.
-- These schools are not part of the state-funded 'all' rows.
select * from stage.p3_good_or_better_pct
union all by name
select
    'value' as measure,
    academic_year as period,
    'academic_year' as period_type,
    pm_academic_year_start(academic_year) as period_start,
    pm_academic_year_end(academic_year) as period_end,
    'borough' as geography_level,
    'E09000012' as geography_code,
    'Hackney' as geography_name,
    'all' as phase,
    'independent_community' as breakdown,
    'Charedi' as breakdown_value,
    (count(*) filter (where ofsted_grade in (1, 2)))::double as numerator,
    count(*)::double as denominator,
    count(*) filter (where ofsted_grade in (1, 2)) * 100.0 / count(*) as value,
    'percent' as unit,
    null::double as ci_lower,
    null::double as ci_upper,
    null::varchar as flag
from core.schools
where type = 'independent'
  and lower(trim(community)) = 'charedi'
  and coalesce(status, 'open') <> 'closed'
  and ofsted_grade is not null
group by academic_year
