-- Raw return tables exactly as ingestion creates them (/tmp/rawschema.md),
-- with core views over them, for the P2-4 metric tests. Lineage columns
-- first, then the spec columns, then derived columns, then _extra.
create schema if not exists raw;
create schema if not exists core;
create schema if not exists seed;
create schema if not exists stage;

create table raw.census (
    _load_id BIGINT, _source_file VARCHAR, _source_sheet VARCHAR, _source_row BIGINT,
    census_date DATE, urn BIGINT, upn VARCHAR, ncy VARCHAR, gender VARCHAR, ethnicity VARCHAR,
    fsm BOOLEAN, sen_provision VARCHAR, sen_need VARCHAR, first_language VARCHAR, enrolment VARCHAR,
    academic_year VARCHAR,
    _extra VARCHAR
);
create table raw.schools (
    _load_id BIGINT, _source_file VARCHAR, _source_sheet VARCHAR, _source_row BIGINT,
    academic_year VARCHAR, urn BIGINT, school_name VARCHAR, phase VARCHAR, type VARCHAR,
    maintained BOOLEAN, neighbourhood VARCHAR, net_capacity BIGINT, arp_places BIGINT,
    ofsted_grade BIGINT, ofsted_date DATE, community VARCHAR, status VARCHAR,
    _extra VARCHAR
);
create table raw.exclusions (
    _load_id BIGINT, _source_file VARCHAR, _source_sheet VARCHAR, _source_row BIGINT,
    urn BIGINT, upn VARCHAR, exclusion_type VARCHAR, start_date DATE, sessions DOUBLE, reason VARCHAR,
    ethnicity VARCHAR, sen_provision VARCHAR, fsm BOOLEAN, ncy VARCHAR,
    academic_year VARCHAR,
    _extra VARCHAR
);
create table raw.ehcp (
    _load_id BIGINT, _source_file VARCHAR, _source_sheet VARCHAR, _source_row BIGINT,
    case_id VARCHAR, upn VARCHAR, request_date DATE, decision_date DATE, decision VARCHAR,
    ep_requested_date DATE, ep_issued_date DATE, plan_issued_date DATE, outcome VARCHAR,
    exception BOOLEAN, placement_type VARCHAR, placement_la VARCHAR, date_of_birth DATE, ethnicity VARCHAR,
    _extra VARCHAR
);
create table raw.budgets (
    _load_id BIGINT, _source_file VARCHAR, _source_sheet VARCHAR, _source_row BIGINT,
    urn BIGINT, financial_year VARCHAR, return_period VARCHAR, total_income DOUBLE, total_expenditure DOUBLE,
    in_year_balance DOUBLE, cumulative_balance DOUBLE, staff_costs DOUBLE, agency_staff_costs DOUBLE,
    deficit_recovery_plan BOOLEAN, sfvs_submitted BOOLEAN,
    _extra VARCHAR
);
create table raw.dsg (
    _load_id BIGINT, _source_file VARCHAR, _source_sheet VARCHAR, _source_row BIGINT,
    financial_year VARCHAR, block VARCHAR, allocation DOUBLE, expenditure DOUBLE, cumulative_balance DOUBLE,
    _extra VARCHAR
);

create view core.census as select * from raw.census;
create view core.schools as select * from raw.schools;
create view core.exclusions as select * from raw.exclusions;
create view core.ehcp as select * from raw.ehcp;
create view core.budgets as select * from raw.budgets;
create view core.dsg as select * from raw.dsg;

create table seed.ethnicity (
    code VARCHAR, description VARCHAR, main_code VARCHAR, major_group VARCHAR, focus_group VARCHAR
);
