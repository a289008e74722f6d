-- The one row of a metric that could not be computed (a source return not
-- loaded, or no rows): borough, all phases, no period, value NULL.
insert into stage._values (metric_id, priority, no_data, measure, period, period_type,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value, unit)
values (?, ?, true, 'value', null, null, 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', ?);
