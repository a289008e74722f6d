-- The warehouse contract (see DESIGN.md). Applied on every write session;
-- every statement is idempotent.
create schema if not exists meta;
create schema if not exists raw;
create schema if not exists core;
create schema if not exists indicators;
create schema if not exists benchmark;

-- One row per command that wrote the warehouse.
create table if not exists meta.runs (
    run_id          bigint not null,
    command         varchar not null,
    started_at      timestamptz not null,
    finished_at     timestamptz,
    status          varchar not null,       -- running | ok | partial | failed
    program_version varchar not null,
    message         varchar
);

-- One row per file offered for loading, whatever happened to it.
create table if not exists meta.loads (
    load_id         bigint not null,
    run_id          bigint not null,
    file_path       varchar not null,
    file_name       varchar not null,
    sha256          varchar not null,
    return_type     varchar,                -- null when it could not be told
    sheet           varchar,                -- xlsx sheet the rows came from
    header_row      integer,
    rows_read       bigint not null default 0,  -- = rows_accepted + rows_rejected
    rows_accepted   bigint not null default 0,
    rows_rejected   bigint not null default 0,
    rows_skipped    bigint not null default 0,  -- blank, totals and repeated header rows
    status          varchar not null,       -- loaded | duplicate | rejected | failed
    message         varchar,
    started_at      timestamptz not null,
    finished_at     timestamptz,
    program_version varchar not null
);

-- Every row that did not reach raw, and why. Several rows per input row when
-- several of its values break a rule. Clear UPNs never appear here (masked).
create table if not exists meta.rejects (
    load_id     bigint not null,
    file        varchar not null,
    sheet       varchar,
    row_number  bigint,                     -- 1-based line (csv) or row (xlsx) in the file
    column_name varchar,
    value       varchar,
    rule        varchar not null,
    message     varchar not null
);

-- Things worth knowing that did not stop a row: unknown extra columns, a URN
-- not in the school register, skipped totals rows.
create table if not exists meta.warnings (
    load_id     bigint not null,
    file        varchar not null,
    sheet       varchar,
    row_number  bigint,
    column_name varchar,
    value       varchar,
    rule        varchar not null,
    message     varchar not null
);

-- The metric catalogue (one row per metric id of metrics.md).
create table if not exists indicators.metrics (
    metric_id     varchar not null,
    name          varchar not null,
    priority      integer not null,
    definition    varchar not null,
    numerator     varchar,
    denominator   varchar,
    unit          varchar not null,         -- percent | per_100 | per_10000 | count | ratio | gbp
    direction     varchar not null,         -- up | down | towards_1 | towards_0
    sources       varchar[] not null,
    plan_wording  varchar,
    same_as       varchar,                  -- another metric this one reports again
    notes         varchar,
    headline_measure   varchar,             -- measure the headline table shows (usually 'value')
    headline_breakdown varchar              -- 'all', or one headline per value of this breakdown
);

-- Every metric value, long format (DESIGN.md "Warehouse contract").
create table if not exists indicators.metric_values (
    metric_id        varchar not null,
    priority         integer not null,
    -- A metric with several measures (a count and a rate, the suspension and
    -- the permanent exclusion risk ratio) has one row per measure; the
    -- headline measure is 'value'.
    measure          varchar not null default 'value',
    period           varchar,
    period_type      varchar,               -- academic_year | financial_year | calendar_year | census
    period_start     date,
    period_end       date,
    geography_level  varchar not null,      -- borough | neighbourhood | school
    geography_code   varchar not null,
    geography_name   varchar,
    phase            varchar not null,
    breakdown        varchar not null,
    breakdown_value  varchar not null,
    numerator        double,
    denominator      double,
    value            double,
    unit             varchar not null,
    ci_lower         double,
    ci_upper         double,
    target           double,
    status           varchar not null,      -- on_track | off_track | no_target | no_data
    previous_value   double,
    change           double,
    flag             varchar,               -- e.g. small_group: below the configured minimum size
    run_id           bigint,
    computed_at      timestamptz
);

-- Provenance: the loads (files) whose rows were current in core.<return>
-- when a build ran. indicators.metric_values.run_id -> run_id here ->
-- load_id -> meta.loads.
create table if not exists indicators.run_sources (
    run_id       bigint not null,
    return_type  varchar not null,
    load_id      bigint,
    file_name    varchar,
    sha256       varchar,
    rows         bigint not null
);

-- Period labels used everywhere (DESIGN.md): the academic year of a date
-- ('2024/25' for 2024-09-01 .. 2025-08-31) and its financial year ('2025-26'
-- for 2025-04-01 .. 2026-03-31). NULL in, NULL out.
create or replace macro pm_academic_year(d) as (
    case when d is null then null
         when month(d) >= 9 then cast(year(d) as varchar) || '/' || lpad(cast((year(d) + 1) % 100 as varchar), 2, '0')
         else cast(year(d) - 1 as varchar) || '/' || lpad(cast(year(d) % 100 as varchar), 2, '0')
    end
);
create or replace macro pm_financial_year(d) as (
    case when d is null then null
         when month(d) >= 4 then cast(year(d) as varchar) || '-' || lpad(cast((year(d) + 1) % 100 as varchar), 2, '0')
         else cast(year(d) - 1 as varchar) || '-' || lpad(cast(year(d) % 100 as varchar), 2, '0')
    end
);
