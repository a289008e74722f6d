-- depends: p2_exclusion_risk_ratio
-- p5_exclusion_disproportionality: disproportionality in exclusions for the
-- plan's focus groups. The rows of p2_exclusion_risk_ratio for breakdown
-- focus_group (Black Caribbean; Turkish, Kurdish and Turkish Cypriot),
-- unchanged: measures suspension and permanent, the risk ratio of the
-- group's rate against all other pupils, with CI and small_group flag.
select
    measure, period, period_type, period_start, period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    numerator, denominator, value, unit, ci_lower, ci_upper, flag
from stage.p2_exclusion_risk_ratio
where breakdown = 'focus_group'
