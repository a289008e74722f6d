-- A hand-made warehouse for the export tests: a small catalogue and
-- metric_values with several periods, breakdowns, small numbers and a school
-- whose name is a formula.
insert into meta.runs (run_id, command, started_at, finished_at, status, program_version, message) values
    (6, 'run', '2025-03-01 01:00:00+00', '2025-03-01 01:05:00+00', 'ok', 'test', null),
    (7, 'run', '2025-03-02 01:00:00+00', '2025-03-02 01:06:00+00', 'ok', 'test', null);

insert into meta.loads (load_id, run_id, file_path, file_name, sha256, return_type, rows_read, rows_accepted,
                        rows_rejected, status, started_at, finished_at, program_version) values
    (1, 6, 'data/inbox/census_2025.csv', 'census_2025.csv', 'aa', 'census', 1000, 998, 2, 'loaded', '2025-03-01 01:01:00+00', '2025-03-01 01:02:00+00', 'test'),
    (2, 7, 'data/inbox/ehcp_2025.xlsx', 'ehcp_2025.xlsx', 'bb', 'ehcp', 50, 50, 0, 'loaded', '2025-03-02 01:01:00+00', '2025-03-02 01:02:00+00', 'test'),
    (3, 7, 'data/inbox/bad.csv', 'bad.csv', 'cc', null, 0, 0, 0, 'rejected', '2025-03-02 01:03:00+00', '2025-03-02 01:03:00+00', 'test');

insert into indicators.metrics (metric_id, name, priority, definition, numerator, denominator, unit,
                                direction, sources, plan_wording, same_as, notes) values
    ('p1_ehcp_20wk_pct', 'EHC plans issued within 20 weeks', 1,
     'Plans issued in the period within 140 days of the request, excluding exception cases, as a percentage of all plans issued excluding exceptions.',
     'plans issued within 20 weeks', 'plans issued, excluding exceptions', 'percent', 'up', ['ehcp'],
     'Improve the timeliness of EHC needs assessments', null, null),
    ('p1_ehc_requests', 'Requests for EHC needs assessment', 1,
     'Requests received in the period, and per 10,000 pupils.', 'requests', 'pupils on roll', 'count', 'down', ['ehcp', 'census'],
     'Manage demand for EHC needs assessments', null, null),
    ('p1_sen_support_pct', 'Pupils receiving SEN support', 1,
     'Pupils with SEN provision K as a percentage of pupils on roll at the January census.', 'pupils with SEN support', 'pupils on roll',
     'percent', 'up', ['census'], 'Identify needs early', null, null),
    ('p1_high_needs_balance', 'High Needs Block cumulative balance', 1,
     'Cumulative balance of the high needs block at the end of the financial year.', null, null, 'gbp', 'up', ['dsg'],
     'Reduce the High Needs Block deficit year on year', null, null),
    ('p1_specialist_places', 'Special school and ARP places', 1,
     'Net capacity of special schools plus ARP places.', null, null, 'count', 'up', ['schools'],
     'Increase local specialist places', null, null),
    ('p2_suspension_rate', 'Suspensions per 100 pupils', 2,
     'Suspensions in the academic year per 100 pupils on roll.', 'suspensions', 'pupils on roll', 'per_100', 'down',
     ['exclusions', 'census'], 'Reduce suspensions', null, null),
    ('p5_exclusion_disproportionality', 'Disproportionality in exclusions', 5,
     'Risk ratio of the suspension rate of each focus group against all other pupils.', 'suspensions in the group',
     'pupils in the group', 'ratio', 'towards_1', ['exclusions', 'census'], 'Disproportionality in exclusions eradicated', null, null);

-- A risk ratio is headlined per focus group, on its suspension measure.
update indicators.metrics set headline_measure = 'suspension', headline_breakdown = 'focus_group'
where metric_id = 'p5_exclusion_disproportionality';

insert into indicators.metric_values (metric_id, priority, measure, period, period_type, period_start,
    period_end, geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    numerator, denominator, value, unit, ci_lower, ci_upper, target, status, previous_value, change,
    flag, run_id, computed_at) values
    -- p1_ehcp_20wk_pct: four academic years and one calendar year, borough.
    ('p1_ehcp_20wk_pct', 1, 'value', '2021/22', 'academic_year', '2021-09-01', '2022-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 150, 300, 50.0, 'percent', 44.4, 55.6, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_ehcp_20wk_pct', 1, 'value', '2022/23', 'academic_year', '2022-09-01', '2023-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 170, 310, 54.838709677, 'percent', 49.3, 60.3, 50.0, 'on_track', 50.0, 4.838709677, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_ehcp_20wk_pct', 1, 'value', '2023/24', 'academic_year', '2023-09-01', '2024-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 200, 320, 62.5, 'percent', 57.1, 67.6, 54.838709677, 'on_track', 54.838709677, 7.661290323, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_ehcp_20wk_pct', 1, 'value', '2024/25', 'academic_year', '2024-09-01', '2025-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 240, 330, 72.727272727, 'percent', 67.7, 77.2, 62.5, 'on_track', 62.5, 10.227272727, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_ehcp_20wk_pct', 1, 'value', '2024', 'calendar_year', '2024-01-01', '2024-12-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 230, 325, 70.769230769, 'percent', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    -- p1_sen_support_pct: three censuses at borough level ...
    ('p1_sen_support_pct', 1, 'value', '2023-01-19', 'census', '2023-01-19', '2023-01-19', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 1900, 16500, 11.515151515, 'percent', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2024-01-18', 'census', '2024-01-18', '2024-01-18', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 1950, 16450, 11.854103343, 'percent', null, null, 11.515151515, 'on_track', 11.515151515, 0.338951828, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 2003, 16400, 12.213414634, 'percent', null, null, 11.854103343, 'on_track', 11.854103343, 0.359311291, null, 7, '2025-03-02 01:05:00+00'),
    -- ... by phase (special is small: 3 pupils) ...
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'borough', 'E09000012', 'Hackney', 'primary', 'all', 'all', 1200, 9000, 13.333333333, 'percent', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'borough', 'E09000012', 'Hackney', 'secondary', 'all', 'all', 800, 7000, 11.428571429, 'percent', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'borough', 'E09000012', 'Hackney', 'special', 'all', 'all', 3, 400, 0.75, 'percent', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    -- ... by school (one school is named like a formula and is small) ...
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'school', '100001', 'Alpha Primary School', 'all', 'all', 'all', 100, 900, 11.111111111, 'percent', null, null, null, 'no_target', 10.5, 0.611111111, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'school', '100002', '=HYPERLINK("http://x","y")', 'all', 'all', 'all', 4, 300, 1.333333333, 'percent', null, null, null, 'no_target', 2.0, -0.666666667, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'school', '100003', 'Gamma Academy', 'all', 'all', 'all', 60, 700, 8.571428571, 'percent', null, null, null, 'no_target', 9.0, -0.428571429, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'school', '100004', '+Plus School @ Dalston', 'all', 'all', 'all', 90, 800, 11.25, 'percent', null, null, null, 'no_target', 11.0, 0.25, null, 7, '2025-03-02 01:05:00+00'),
    -- ... by neighbourhood ...
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'neighbourhood', 'N1', 'Hackney Central', 'all', 'all', 'all', 1000, 8000, 12.5, 'percent', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'neighbourhood', 'N2', 'Stoke Newington', 'all', 'all', 'all', 1003, 8400, 11.94047619, 'percent', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    -- ... by ethnicity group (Gypsy/Roma is small) ...
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'borough', 'E09000012', 'Hackney', 'all', 'ethnicity_group', 'Black Caribbean', 300, 2000, 15.0, 'percent', null, null, null, 'no_target', null, null, 'small_group', 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'borough', 'E09000012', 'Hackney', 'all', 'ethnicity_group', 'White British', 500, 5000, 10.0, 'percent', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'borough', 'E09000012', 'Hackney', 'all', 'ethnicity_group', 'Gypsy/Roma', 2, 30, 6.666666667, 'percent', null, null, null, 'no_target', null, null, 'small_group', 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'borough', 'E09000012', 'Hackney', 'all', 'ethnicity_group', 'Other', 1201, 9370, 12.817502668, 'percent', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    -- ... and by FSM (nothing small).
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'borough', 'E09000012', 'Hackney', 'all', 'fsm', 'eligible', 900, 6000, 15.0, 'percent', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_sen_support_pct', 1, 'value', '2025-01-16', 'census', '2025-01-16', '2025-01-16', 'borough', 'E09000012', 'Hackney', 'all', 'fsm', 'not eligible', 1103, 10400, 10.605769231, 'percent', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    -- p1_ehc_requests: a count and a rate per 10,000, three calendar years.
    ('p1_ehc_requests', 1, 'value', '2022', 'calendar_year', '2022-01-01', '2022-12-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 310, null, 310, 'count', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_ehc_requests', 1, 'value', '2023', 'calendar_year', '2023-01-01', '2023-12-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 330, null, 330, 'count', null, null, 310, 'off_track', 310, 20, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_ehc_requests', 1, 'value', '2024', 'calendar_year', '2024-01-01', '2024-12-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 352, null, 352, 'count', null, null, 330, 'off_track', 330, 22, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_ehc_requests', 1, 'per_10000', '2022', 'calendar_year', '2022-01-01', '2022-12-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 310, 33000, 93.939393939, 'per_10000', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_ehc_requests', 1, 'per_10000', '2023', 'calendar_year', '2023-01-01', '2023-12-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 330, 33100, 99.697885196, 'per_10000', null, null, null, 'no_target', 93.939393939, 5.758491257, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_ehc_requests', 1, 'per_10000', '2024', 'calendar_year', '2024-01-01', '2024-12-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 352, 33200, 106.024096386, 'per_10000', null, null, null, 'no_target', 99.697885196, 6.32621119, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_ehc_requests', 1, 'value', '2024', 'calendar_year', '2024-01-01', '2024-12-31', 'borough', 'E09000012', 'Hackney', 'all', 'gender', 'M', 230, null, 230, 'count', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_ehc_requests', 1, 'value', '2024', 'calendar_year', '2024-01-01', '2024-12-31', 'borough', 'E09000012', 'Hackney', 'all', 'gender', 'F', 122, null, 122, 'count', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    -- p1_high_needs_balance: money, no numerator, three financial years.
    ('p1_high_needs_balance', 1, 'value', '2022-23', 'financial_year', '2022-04-01', '2023-03-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', null, null, -5200000, 'gbp', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_high_needs_balance', 1, 'value', '2023-24', 'financial_year', '2023-04-01', '2024-03-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', null, null, -6100000, 'gbp', null, null, -5200000, 'off_track', -5200000, -900000, null, 7, '2025-03-02 01:05:00+00'),
    ('p1_high_needs_balance', 1, 'value', '2024-25', 'financial_year', '2024-04-01', '2025-03-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', null, null, -5500000, 'gbp', null, null, -6100000, 'on_track', -6100000, 600000, null, 7, '2025-03-02 01:05:00+00'),
    -- p1_specialist_places has no values: its return is not loaded.
    -- p2_suspension_rate: two academic years.
    ('p2_suspension_rate', 2, 'value', '2023/24', 'academic_year', '2023-09-01', '2024-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 1000, 32000, 3.125, 'per_100', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p2_suspension_rate', 2, 'value', '2024/25', 'academic_year', '2024-09-01', '2025-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 930, 32100, 2.897196262, 'per_100', null, null, 3.125, 'on_track', 3.125, -0.227803738, null, 7, '2025-03-02 01:05:00+00'),
    -- p5_exclusion_disproportionality: two focus groups, two measures, two years.
    ('p5_exclusion_disproportionality', 5, 'suspension', '2023/24', 'academic_year', '2023-09-01', '2024-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'focus_group', 'Black Caribbean', 60, 1500, 2.1, 'ratio', 1.6, 2.7, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p5_exclusion_disproportionality', 5, 'suspension', '2024/25', 'academic_year', '2024-09-01', '2025-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'focus_group', 'Black Caribbean', 55, 1480, 1.9, 'ratio', 1.4, 2.5, 2.1, 'on_track', 2.1, -0.2, null, 7, '2025-03-02 01:05:00+00'),
    ('p5_exclusion_disproportionality', 5, 'suspension', '2023/24', 'academic_year', '2023-09-01', '2024-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'focus_group', 'TKTC', 30, 900, 1.2, 'ratio', 0.8, 1.7, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p5_exclusion_disproportionality', 5, 'suspension', '2024/25', 'academic_year', '2024-09-01', '2025-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'focus_group', 'TKTC', 36, 910, 1.4, 'ratio', 1.0, 1.9, 1.2, 'off_track', 1.2, 0.2, null, 7, '2025-03-02 01:05:00+00'),
    ('p5_exclusion_disproportionality', 5, 'permanent', '2024/25', 'academic_year', '2024-09-01', '2025-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'focus_group', 'Black Caribbean', 3, 1480, 3.0, 'ratio', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00'),
    ('p5_exclusion_disproportionality', 5, 'permanent', '2024/25', 'academic_year', '2024-09-01', '2025-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'focus_group', 'TKTC', 6, 910, 2.5, 'ratio', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00');

-- A special-phase suspension rate small enough to be suppressed (3 pupils):
-- its published comparison's computed figure must show c.
insert into indicators.metric_values (metric_id, priority, measure, period, period_type, period_start,
    period_end, geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    numerator, denominator, value, unit, ci_lower, ci_upper, target, status, previous_value, change,
    flag, run_id, computed_at) values
    ('p2_suspension_rate', 2, 'value', '2024/25', 'academic_year', '2024-09-01', '2025-08-31', 'borough', 'E09000012', 'Hackney', 'special', 'all', 'all', 3, 150, 2.0, 'per_100', null, null, null, 'no_target', null, null, null, 7, '2025-03-02 01:05:00+00');

-- Published comparisons. benchmark.Compare creates indicators.benchmarks;
-- the export tests run it first, so these rows go into the real table. A
-- warehouse without it (the cli tests) gets the same columns here.
create table if not exists indicators.benchmarks (
    metric_id varchar, priority integer, measure varchar, phase varchar, period varchar, period_type varchar,
    source varchar, indicator varchar, indicator_label varchar, filters varchar, time_period varchar,
    better varchar, rank_order varchar, hackney_published double, hackney_symbol varchar,
    hackney_computed double, difference double, england double, london double, inner_london double,
    sn_average double, sn_with_value bigint, sn_count bigint, rank bigint, rank_of bigint,
    las_without_value bigint, quartile varchar, quartile_q1 double, quartile_median double, quartile_q3 double,
    sn_rank bigint, sn_rank_of bigint, previous_period varchar, previous_value double, change double,
    computed_at timestamptz
);

insert into indicators.benchmarks (metric_id, priority, measure, phase, period, period_type, source, indicator,
    indicator_label, filters, time_period, better, rank_order, hackney_published, hackney_symbol,
    hackney_computed, difference, england, london, inner_london, sn_average, sn_with_value, sn_count,
    rank, rank_of, las_without_value, quartile, quartile_q1, quartile_median, quartile_q3, sn_rank,
    sn_rank_of, previous_period, previous_value, change, computed_at) values
    -- p1_ehcp_20wk_pct from LAIT: three calendar years, England missing in
    -- 2023 (a gap in the chart); Hackney's own figure exists for 2024 only.
    ('p1_ehcp_20wk_pct', 1, 'value', 'all', '2022', 'calendar_year', 'lait', 'SEN_EHC_Excpt_20wks', 'EHC plans issued within 20 weeks (excluding exceptions)', '{}', '2022', 'up', 'highest',
     39.4, null, null, null, 49.2, 66.2, 64.0, 57.8, 10, 10, 130, 152, 1, 'D', 45.0, 52.0, 60.0, 11, 11, null, null, null, '2025-03-02 01:05:00+00'),
    ('p1_ehcp_20wk_pct', 1, 'value', 'all', '2023', 'calendar_year', 'lait', 'SEN_EHC_Excpt_20wks', 'EHC plans issued within 20 weeks (excluding exceptions)', '{}', '2023', 'up', 'highest',
     36.0, null, null, null, null, 67.3, 65.1, 61.6, 10, 10, 140, 153, 0, 'D', 44.0, 50.0, 58.0, 10, 11, '2022', 39.4, -3.4, '2025-03-02 01:05:00+00'),
    ('p1_ehcp_20wk_pct', 1, 'value', 'all', '2024', 'calendar_year', 'lait', 'SEN_EHC_Excpt_20wks', 'EHC plans issued within 20 weeks (excluding exceptions)', '{}', '2024', 'up', 'highest',
     68.5, null, 70.769230769, 2.269230769, 46.4, 63.4, 61.0, 60.1, 9, 10, 23, 153, 0, 'A', 40.0, 50.0, 66.0, 3, 10, '2023', 36.0, 32.5, '2025-03-02 01:05:00+00'),
    -- ... the same from EES: identical in 2022 and 2023 (shown once), not in
    -- 2024 (shown too).
    ('p1_ehcp_20wk_pct', 1, 'value', 'all', '2022', 'calendar_year', 'ees', 'PC_plans_issued_20_weeks_ex', null, '{"breakdown":"All EHC plans issued"}', '2022', 'up', 'highest',
     39.4, null, null, null, 49.2, 66.2, 64.0, 57.8, 10, 10, 130, 152, 1, 'D', 45.0, 52.0, 60.0, 11, 11, null, null, null, '2025-03-02 01:05:00+00'),
    ('p1_ehcp_20wk_pct', 1, 'value', 'all', '2023', 'calendar_year', 'ees', 'PC_plans_issued_20_weeks_ex', null, '{"breakdown":"All EHC plans issued"}', '2023', 'up', 'highest',
     36.0, null, null, null, null, 67.3, 65.1, 61.6, 10, 10, 140, 153, 0, 'D', 44.0, 50.0, 58.0, 10, 11, '2022', 39.4, -3.4, '2025-03-02 01:05:00+00'),
    ('p1_ehcp_20wk_pct', 1, 'value', 'all', '2024', 'calendar_year', 'ees', 'PC_plans_issued_20_weeks_ex', null, '{"breakdown":"All EHC plans issued"}', '2024', 'up', 'highest',
     68.6, null, 70.769230769, 2.169230769, 46.5, 63.4, 61.0, 60.2, 9, 10, 22, 153, 0, 'A', 40.0, 50.0, 66.0, 3, 10, '2023', 36.0, 32.6, '2025-03-02 01:05:00+00'),
    -- ... and including exceptions: LAIT publishes a symbol for Hackney.
    ('p1_ehcp_20wk_pct', 1, 'incl_exceptions', 'all', '2024', 'calendar_year', 'lait', 'SEN_EHC_All_20wks', null, '{}', '2024', 'up', 'highest',
     null, 'c', null, null, 45.1, 61.0, 59.9, 58.2, 10, 10, null, 150, 3, null, 40.0, 48.0, 60.0, null, 10, '2023', null, null, '2025-03-02 01:05:00+00'),
    -- p2_suspension_rate: Hackney's 2024/25 figure is published as x (no
    -- chart), and the special phase's own figure is suppressed.
    ('p2_suspension_rate', 2, 'value', 'all', '2023/24', 'academic_year', 'lait', 'TotFixedEx', null, '{}', '2023/24', 'down', 'lowest',
     3.2, null, 3.125, -0.075, 9.33, 5.6, 6.1, 9.7, 10, 10, 12, 153, 0, 'A', 5.0, 8.0, 11.0, 2, 11, null, null, null, '2025-03-02 01:05:00+00'),
    ('p2_suspension_rate', 2, 'value', 'all', '2024/25', 'academic_year', 'lait', 'TotFixedEx', null, '{}', '2024/25', 'down', 'lowest',
     null, 'x', 2.897196262, null, 9.5, 5.8, 6.3, 9.9, 10, 10, null, 152, 1, null, 5.1, 8.1, 11.2, null, 10, '2023/24', 3.2, null, '2025-03-02 01:05:00+00'),
    ('p2_suspension_rate', 2, 'value', 'special', '2024/25', 'academic_year', 'lait', 'SpecFixedEx', null, '{}', '2024/25', 'down', 'lowest',
     1.9, null, 2.0, 0.1, 7.0, 4.0, 4.2, 6.5, 8, 10, 40, 140, 13, 'B', 2.0, 5.0, 9.0, 4, 9, null, null, null, '2025-03-02 01:05:00+00');
