-- Shared statistical and period macros for metric SQL. Run first (files in
-- pipelines/core run in name order) on every build; every statement is
-- idempotent. All percentages are on the 0-100 scale.

-- 95% Wilson score interval for k successes out of n, as percentages.
-- NULL when n is 0 or NULL. z = 1.96.
create or replace macro pm_wilson_lower(k, n) as (
    case when n is null or n <= 0 or k is null then null
    else 100 * (
        (k::double / n + 1.96 * 1.96 / (2 * n))
        - 1.96 * sqrt((k::double / n) * (1 - k::double / n) / n + 1.96 * 1.96 / (4.0 * n * n))
    ) / (1 + 1.96 * 1.96 / n)
    end
);

create or replace macro pm_wilson_upper(k, n) as (
    case when n is null or n <= 0 or k is null then null
    else 100 * (
        (k::double / n + 1.96 * 1.96 / (2 * n))
        + 1.96 * sqrt((k::double / n) * (1 - k::double / n) / n + 1.96 * 1.96 / (4.0 * n * n))
    ) / (1 + 1.96 * 1.96 / n)
    end
);

-- Risk ratio of a events in a group of n1 against b events in a comparison
-- group of n2: (a/n1) / (b/n2). NULL when n1, n2 or b is 0.
create or replace macro pm_risk_ratio(a, n1, b, n2) as (
    case when n1 is null or n2 is null or b is null or a is null
              or n1 = 0 or n2 = 0 or b = 0 then null
    else (a::double / n1) / (b::double / n2)
    end
);

-- 95% confidence interval of the risk ratio, log method:
-- exp(ln RR -/+ 1.96 * sqrt(1/a - 1/n1 + 1/b - 1/n2)).
-- NULL when any count is 0 (the log method has no answer there), and when
-- the variance term is not positive: events can outnumber pupils (several
-- suspensions of one pupil), and then the binomial formula does not apply.
create or replace macro pm_rr_ci_lower(a, n1, b, n2) as (
    case when a is null or n1 is null or b is null or n2 is null
              or a = 0 or n1 = 0 or b = 0 or n2 = 0
              or 1.0 / a - 1.0 / n1 + 1.0 / b - 1.0 / n2 <= 0 then null
    else exp(ln((a::double / n1) / (b::double / n2))
             - 1.96 * sqrt(1.0 / a - 1.0 / n1 + 1.0 / b - 1.0 / n2))
    end
);

create or replace macro pm_rr_ci_upper(a, n1, b, n2) as (
    case when a is null or n1 is null or b is null or n2 is null
              or a = 0 or n1 = 0 or b = 0 or n2 = 0
              or 1.0 / a - 1.0 / n1 + 1.0 / b - 1.0 / n2 <= 0 then null
    else exp(ln((a::double / n1) / (b::double / n2))
             + 1.96 * sqrt(1.0 / a - 1.0 / n1 + 1.0 / b - 1.0 / n2))
    end
);

-- First and last day of an academic year label ('2024/25' -> 2024-09-01,
-- 2025-08-31) and of a financial year label ('2025-26' -> 2025-04-01,
-- 2026-03-31). pm_academic_year(d) and pm_financial_year(d), the other way
-- round, are defined in the warehouse schema.
create or replace macro pm_academic_year_start(ay) as (
    make_date(cast(left(ay, 4) as integer), 9, 1)
);
create or replace macro pm_academic_year_end(ay) as (
    make_date(cast(left(ay, 4) as integer) + 1, 8, 31)
);
create or replace macro pm_financial_year_start(fy) as (
    make_date(cast(left(fy, 4) as integer), 4, 1)
);
create or replace macro pm_financial_year_end(fy) as (
    make_date(cast(left(fy, 4) as integer) + 1, 3, 31)
);

-- The geographies a pupil, event or school is counted in, as a list to
-- unnest (`from t, unnest(pm_geographies(urn, school_name, school_phase,
-- neighbourhood)) as v(g)`): the borough (all phases and the school's
-- phase), its neighbourhood (all phases and the school's phase) and the
-- school itself. Filter out what a metric does not report, and the entries
-- with a NULL geography_code or phase (no neighbourhood, no URN, no phase).
create or replace macro pm_geographies(school_urn, school_name, school_phase, neighbourhood) as [
    {'geography_level': 'borough', 'geography_code': 'E09000012', 'geography_name': 'Hackney', 'phase': 'all'},
    {'geography_level': 'borough', 'geography_code': 'E09000012', 'geography_name': 'Hackney', 'phase': school_phase},
    {'geography_level': 'neighbourhood', 'geography_code': neighbourhood, 'geography_name': neighbourhood, 'phase': 'all'},
    {'geography_level': 'neighbourhood', 'geography_code': neighbourhood, 'geography_name': neighbourhood, 'phase': school_phase},
    {'geography_level': 'school', 'geography_code': cast(school_urn as varchar), 'geography_name': school_name, 'phase': school_phase}
];

-- A pupil's breakdown groups, as a list to unnest (`unnest(pm_breakdowns(
-- ...)) as u(b)`), with the spellings every metric uses: 'all'; ethnicity =
-- the code in the return ('unknown' when blank); ethnicity_group = the
-- seed's major group; focus_group = the plan's focus groups only (NULL for
-- pupils in none: filter out NULL breakdown_value); sen_provision N/K/E;
-- fsm 'eligible' / 'not eligible'; gender M/F ('unknown' when missing).
create or replace macro pm_breakdowns(ethnicity, ethnicity_group, focus_group, sen_provision, fsm, gender) as [
    {'breakdown': 'all',             'breakdown_value': 'all'},
    {'breakdown': 'ethnicity',       'breakdown_value': coalesce(ethnicity, 'unknown')},
    {'breakdown': 'ethnicity_group', 'breakdown_value': ethnicity_group},
    {'breakdown': 'focus_group',     'breakdown_value': focus_group},
    {'breakdown': 'sen_provision',   'breakdown_value': coalesce(sen_provision, 'unknown')},
    {'breakdown': 'fsm',             'breakdown_value': case when fsm then 'eligible'
                                                             when not fsm then 'not eligible'
                                                             else 'unknown' end},
    {'breakdown': 'gender',          'breakdown_value': coalesce(gender, 'unknown')}
];

-- The academic year before a label: '2024/25' -> '2023/24'.
create or replace macro pm_previous_academic_year(ay) as (
    cast(cast(left(ay, 4) as integer) - 1 as varchar) || '/' || substr(ay, 3, 2)
);

-- pm_home_la(code): whether an LA code, as an LA number (204) or an ONS code
-- (E09000012), is the home borough marked in seeds/la_codes.csv. Placements
-- with any other code are out of borough.
create or replace macro pm_home_la(code) as
    upper(trim(code)) in (
        select la_number from seed.la_codes where home = 'Y'
        union all
        select upper(area_code) from seed.la_codes where home = 'Y'
    );
