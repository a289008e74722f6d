-- Benchmark tables: DfE's published figures, loaded as they are, in one long
-- table. Applied before every load and comparison; every statement is
-- idempotent.
create schema if not exists benchmark;
create schema if not exists indicators;

-- Published values are kept as a narrow fact table (benchmark.observations)
-- with small dimension tables, because a release can hold millions of values
-- and repeating a dozen strings on each would make loading several times
-- slower; benchmark.values puts them back together.
create sequence if not exists benchmark.dataset_seq;
create sequence if not exists benchmark.filter_seq;
create sequence if not exists benchmark.period_seq;
create sequence if not exists benchmark.area_seq;

-- One row per file (or zip member) loaded. A later file of the same source
-- and dataset replaces it.
create table if not exists benchmark.datasets (
    dataset_id  integer not null,
    load_id     bigint not null,
    source      varchar not null,        -- ees | lait | scorecard
    dataset     varchar not null,        -- file name without extension: timeliness_20_week, bds_long_0
    file        varchar not null         -- the file (zip!member) the values came from
);

-- Filter combinations: a JSON object filter column -> value, keys sorted;
-- '{}' when none.
create table if not exists benchmark.filter_sets (
    filter_id   integer not null,
    filters     varchar not null
);

-- Periods as published, with the plan's label where it can be told.
create table if not exists benchmark.periods (
    period_id       integer not null,
    time_period     varchar not null,    -- as published: 202425, 2024, 2023/24, 2025 (Rev)
    time_identifier varchar,             -- EES time_identifier; LAIT year type from its dictionary
    period          varchar,             -- plan label: 2024/25, 2024-25, 2024
    period_type     varchar              -- academic_year | financial_year | calendar_year
);

-- Areas as the files name them.
create table if not exists benchmark.area_names (
    area_id          integer not null,
    geographic_level varchar not null,   -- National | Regional | Local authority
    la_number        integer,            -- LA number; England 970, regions 980-990 (LAIT's numbering)
    area_code        varchar,            -- ONS code: E92000001, E12000007, E09000012
    area_name        varchar
);

create table if not exists benchmark.observations (
    dataset_id  integer not null,
    row_number  bigint,                  -- 1-based line (csv, header = 1) or row (parquet) in the file
    indicator   varchar not null,        -- EES indicator column, LAIT Short Desc, scorecard column
    filter_id   integer not null,
    period_id   integer not null,
    area_id     integer not null,
    value       double,                  -- null when the file gives a symbol
    symbol      varchar                  -- c, x, z, :, low, -, NA ... as published, when there is no value
);

-- One row per published value (or symbol) per indicator, filter combination,
-- area and period.
create or replace view benchmark.values as
select
    d.load_id, d.source, d.dataset, d.file, o.row_number, o.indicator, f.filters,
    p.time_period, p.time_identifier, p.period, p.period_type,
    a.geographic_level, a.la_number, a.area_code, a.area_name,
    o.value, o.symbol
from benchmark.observations o
join benchmark.datasets d using (dataset_id)
join benchmark.filter_sets f using (filter_id)
join benchmark.periods p using (period_id)
join benchmark.area_names a using (area_id);

-- What each published indicator is: label and, for LAIT, polarity and units
-- from its data dictionary.
create table if not exists benchmark.indicators (
    load_id     bigint not null,
    source      varchar not null,
    dataset     varchar not null,
    indicator   varchar not null,
    label       varchar,
    description varchar,
    polarity    varchar,                 -- High | Low | NA | - (LAIT's own words)
    unit        varchar,
    year_type   varchar,                 -- Academic Year | Financial Year | Calendar Year ...
    decimals    integer
);

-- DfE statistical neighbours: for each LA, its nearest LAs in rank order.
create table if not exists benchmark.statistical_neighbours (
    load_id       bigint not null,
    file          varchar not null,
    row_number    bigint not null,       -- row in the sheet
    la_number     integer not null,
    la_code       varchar,
    la_name       varchar,
    region        varchar,
    sn_rank       integer not null,      -- 1 = nearest
    sn_la_number  integer not null,
    sn_la_code    varchar,
    sn_la_name    varchar,
    closeness     varchar,               -- Extremely close ... Not close
    is_current    boolean not null       -- false for the rows under "Old SNs" (LAs before reorganisation)
);

-- Areas known without any file: England, the regions with LAIT's numbers, and
-- every LA with its current code. Rewritten from areas.csv on every apply.
create or replace table benchmark.areas (
    geographic_level varchar not null,
    la_number        integer not null,
    area_code        varchar not null,
    area_name        varchar not null
);

-- The value of a published cell: a number (spaces and thousands separators
-- allowed), or null for a symbol, blank or anything else.
create or replace macro benchmark.parse_value(x) as (
    case when isfinite(try_cast(replace(trim(x), ',', '') as double))
         then try_cast(replace(trim(x), ',', '') as double) end
);

-- EES and LAIT symbols for "no value".
create or replace macro benchmark.is_symbol(x) as (
    lower(trim(x)) in ('c', 'x', 'z', ':', 'low', '-', 'u', '~', 'k', 'w', 'na', 'n/a', 'nan', '..', '.', '*')
);

-- A period label without its revision note: '2025 (Rev)' -> '2025'.
create or replace macro benchmark.period_base(tp) as (
    trim(regexp_replace(coalesce(tp, ''), '\s*\([^)]*\)\s*$', ''))
);

-- Start year of a one-year span written 202425, 2024/25, 2024-25 or
-- 2024/2025; null for a single year or a multi-year range (2015-17).
create or replace macro benchmark.period_pair_start(tp) as (
    case when regexp_full_match(benchmark.period_base(tp), '\d{4}[/-]?(\d{2}|\d{4})')
          and (cast(left(benchmark.period_base(tp), 4) as integer) + 1) % 100
              = cast(right(benchmark.period_base(tp), 2) as integer)
         then cast(left(benchmark.period_base(tp), 4) as integer) end
);

-- The period type a published time identifier or LAIT year type stands for.
create or replace macro benchmark.period_type_of(ti) as (
    case
        when ti is null then null
        when lower(ti) like 'academic year%' or lower(ti) like '%term%'
          or lower(ti) like 'annual - january%' then 'academic_year'
        when lower(ti) like 'financial year%' or lower(ti) like 'tax year%' then 'financial_year'
        when lower(ti) like 'calendar year%'
          or lower(ti) in ('january', 'february', 'march', 'april', 'may', 'june', 'july',
                           'august', 'september', 'october', 'november', 'december')
          then 'calendar_year'
    end
);

-- The plan's label for a published period: academic 2024/25, financial
-- 2024-25, calendar 2024. A single year is the year the period ends in
-- (LAIT's '2025' for the January 2025 census is academic year 2024/25).
create or replace macro benchmark.plan_period(tp, ptype) as (
    case
        when benchmark.period_pair_start(tp) is not null then
            cast(benchmark.period_pair_start(tp) as varchar)
            || case when ptype = 'financial_year' then '-' else '/' end
            || lpad(cast((benchmark.period_pair_start(tp) + 1) % 100 as varchar), 2, '0')
        when regexp_full_match(benchmark.period_base(tp), '\d{4}') then
            case
                when ptype = 'academic_year' then
                    cast(cast(benchmark.period_base(tp) as integer) - 1 as varchar) || '/' || right(benchmark.period_base(tp), 2)
                when ptype = 'financial_year' then
                    cast(cast(benchmark.period_base(tp) as integer) - 1 as varchar) || '-' || right(benchmark.period_base(tp), 2)
                else benchmark.period_base(tp)
            end
        else nullif(benchmark.period_base(tp), '')
    end
);

-- Which of two figures for the same period to keep: revised or final beats
-- plain beats provisional.
create or replace macro benchmark.period_status_rank(tp) as (
    case
        when lower(tp) similar to '.*\((rev|revised|final|r)\).*' then 3
        when lower(tp) similar to '.*\((prov|provisional|p)\).*' then 1
        else 2
    end
);

-- The academic year (2024/25) a date falls in.
create or replace macro benchmark.academic_year(d) as (
    case when d is null then null
         when month(d) >= 9 then cast(year(d) as varchar) || '/' || lpad(cast((year(d) + 1) % 100 as varchar), 2, '0')
         else cast(year(d) - 1 as varchar) || '/' || lpad(cast(year(d) % 100 as varchar), 2, '0')
    end
);
