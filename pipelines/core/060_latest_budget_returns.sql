-- requires: budgets, schools
-- One row per maintained school and financial year with a budget return
-- (only maintained schools send them): every column of the school's latest
-- return of the year (outturn, else Q3, else Q2, else Q1, else the
-- start-of-year budget), plus
--   sfvs_in_year   sfvs_submitted true on any return of the year;
--   school_name, phase, neighbourhood
--                  from the register of the academic year in which the
--                  financial year ends ('2024-25' -> '2024/25'), else the
--                  school's latest register row; NULL when the URN is not
--                  on the register.
create or replace view core.latest_budget_returns as
with
latest as (
    select
        b.*,
        bool_or(coalesce(b.sfvs_submitted, false)) over (partition by b.urn, b.financial_year) as sfvs_in_year
    from core.budgets b
    qualify row_number() over (
        partition by b.urn, b.financial_year
        order by case b.return_period when 'outturn' then 5 when 'Q3' then 4 when 'Q2' then 3
                                      when 'Q1' then 2 when 'budget' then 1 else 0 end desc
    ) = 1
)
select l.*, s.school_name, s.phase, s.neighbourhood
from latest l
left join core.schools s on s.urn = l.urn
qualify row_number() over (
    partition by l.urn, l.financial_year
    order by (s.academic_year = replace(l.financial_year, '-', '/')) desc nulls last,
             s.academic_year desc nulls last
) = 1;
