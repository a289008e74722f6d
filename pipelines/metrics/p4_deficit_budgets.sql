-- p4_deficit_budgets: fewer deficit budgets. The same figures as
-- p3_schools_in_deficit (measure 'count': maintained schools whose latest
-- return of the financial year has a cumulative deficit; 'value': their
-- percentage of maintained schools with a return), reported against
-- priority 4. The logic lives in p3_schools_in_deficit only.
-- depends: p3_schools_in_deficit
select * from stage.p3_schools_in_deficit
