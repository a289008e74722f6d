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
