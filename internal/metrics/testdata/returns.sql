-- The raw.<return> tables and core.<return> views as ingestion creates them
-- (/tmp/rawschema.md), for tests that insert hand-made fixture rows.
create table raw.census (
    _load_id bigint, _source_file varchar, _source_sheet varchar, _source_row bigint,
    census_date date, urn bigint, upn varchar, ncy varchar, gender varchar, ethnicity varchar,
    fsm boolean, sen_provision varchar, sen_need varchar, first_language varchar, enrolment varchar,
    academic_year varchar, _extra varchar);
create view core.census as select * from raw.census;

create table raw.schools (
    _load_id bigint, _source_file varchar, _source_sheet varchar, _source_row bigint,
    academic_year varchar, urn bigint, school_name varchar, phase varchar, type varchar,
    maintained boolean, neighbourhood varchar, net_capacity bigint, arp_places bigint,
    ofsted_grade bigint, ofsted_date date, community varchar, status varchar, _extra varchar);
create view core.schools as select * from raw.schools;

create table raw.exclusions (
    _load_id bigint, _source_file varchar, _source_sheet varchar, _source_row bigint,
    urn bigint, upn varchar, exclusion_type varchar, start_date date, sessions double,
    reason varchar, ethnicity varchar, sen_provision varchar, fsm boolean, ncy varchar,
    academic_year varchar, _extra varchar);
create view core.exclusions as select * from raw.exclusions;

create table raw.ehcp (
    _load_id bigint, _source_file varchar, _source_sheet varchar, _source_row bigint,
    case_id varchar, upn varchar, request_date date, decision_date date, decision varchar,
    ep_requested_date date, ep_issued_date date, plan_issued_date date, outcome varchar,
    exception boolean, placement_type varchar, placement_la varchar, date_of_birth date,
    ethnicity varchar, _extra varchar);
create view core.ehcp as select * from raw.ehcp;

create table raw.budgets (
    _load_id bigint, _source_file varchar, _source_sheet varchar, _source_row bigint,
    urn bigint, financial_year varchar, return_period varchar, total_income double,
    total_expenditure double, in_year_balance double, cumulative_balance double,
    staff_costs double, agency_staff_costs double, deficit_recovery_plan boolean,
    sfvs_submitted boolean, _extra varchar);
create view core.budgets as select * from raw.budgets;

create table raw.dsg (
    _load_id bigint, _source_file varchar, _source_sheet varchar, _source_row bigint,
    financial_year varchar, block varchar, allocation double, expenditure double,
    cumulative_balance double, _extra varchar);
create view core.dsg as select * from raw.dsg;
