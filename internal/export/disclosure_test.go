package export

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"planmetrics/internal/warehouse"
)

// warehouseWith is the fixture warehouse plus the statements in sqls, opened
// read-only as the export command opens it.
func warehouseWith(t *testing.T, sqls ...string) *sql.DB {
	t.Helper()
	path := newWarehouse(t)
	w, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range sqls {
		if _, err := w.Exec(q); err != nil {
			w.Close()
			t.Fatalf("%s: %v", q, err)
		}
	}
	w.Close()
	db, err := warehouse.OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// revealingTarget is a series whose 2023/24 value is suppressed (3 of 500)
// and whose 2024/25 target, with no target stated, is the previous value:
// 0.6, that is 3 of 500.
const revealingTarget = `insert into indicators.metric_values (metric_id, priority, measure, period, period_type,
	period_start, period_end, geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
	numerator, denominator, value, unit, target, status, previous_value, change) values
	('p1_revealing', 1, 'value', '2022/23', 'academic_year', '2022-09-01', '2023-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 30, 500, 6.0, 'percent', null, 'no_target', null, null),
	('p1_revealing', 1, 'value', '2023/24', 'academic_year', '2023-09-01', '2024-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 3, 500, 0.6, 'percent', 6.0, 'off_track', 6.0, -5.4),
	('p1_revealing', 1, 'value', '2024/25', 'academic_year', '2024-09-01', '2025-08-31', 'borough', 'E09000012', 'Hackney', 'all', 'all', 'all', 40, 500, 8.0, 'percent', 0.6, 'on_track', 0.6, 7.4)`

// TestTargetDoesNotRevealSuppressedPrevious: where the engine took the
// previous value as the target, the target of the period after a
// suppressed one is hidden in every analyst format, as the workbooks hide
// it: otherwise it shows the suppressed figure itself.
func TestTargetDoesNotRevealSuppressedPrevious(t *testing.T) {
	db := warehouseWith(t, revealingTarget)
	ctx := context.Background()
	opts := Options{Priorities: []int{1}, SuppressBelow: 5}
	out := t.TempDir()

	if _, err := Tables(ctx, db, out, FormatCSV, opts); err != nil {
		t.Fatal(err)
	}
	_, rows := readCSV(t, filepath.Join(out, "metric_values-priority-1.csv"))
	r := findRecord(t, rows, map[string]string{"metric_id": "p1_revealing", "period": "2024/25"})
	for _, col := range []string{"target", "previous_value", "change"} {
		if r[col] != Symbol {
			t.Errorf("csv 2024/25 %s = %q, want %s: it would reveal the suppressed 2023/24", col, r[col], Symbol)
		}
	}
	if r := findRecord(t, rows, map[string]string{"metric_id": "p1_revealing", "period": "2023/24"}); r["target"] != "6" {
		t.Errorf("csv 2023/24 target = %q, want 6 (its previous period is shown)", r["target"])
	}

	if _, err := EES(ctx, db, out, opts); err != nil {
		t.Fatal(err)
	}
	_, rows = readCSV(t, filepath.Join(out, "ees_metric_values_priority_1_academic_year.csv"))
	r = findRecord(t, rows, map[string]string{"metric": "p1_revealing (%)", "time_period": "202425"})
	if r["target"] != Symbol || r["change"] != Symbol {
		t.Errorf("ees 202425 target %q, change %q; want %s", r["target"], r["change"], Symbol)
	}

	if _, err := Tables(ctx, db, out, FormatParquet, opts); err != nil {
		t.Fatal(err)
	}
	mem, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	var target, previous sql.Null[float64]
	if err := mem.QueryRow(`select target, previous_value from read_parquet(`+
		warehouse.QuoteLiteral(filepath.Join(out, "metric_values-priority-1.parquet"))+
		`) where metric_id = 'p1_revealing' and period = '2024/25'`).Scan(&target, &previous); err != nil {
		t.Fatal(err)
	}
	if target.Valid || previous.Valid {
		t.Errorf("parquet 2024/25 target %v, previous %v; want null", target, previous)
	}
}

// nestedAndRepeated is priority 1's metric p1_nested, January 2025: six
// ethnicity codes in two ethnicity groups (BCRB, 3 pupils, is small) and
// four primary schools in two neighbourhoods (100101, 4 pupils, is small),
// with the reference tables that say which code is in which group and which
// school in which neighbourhood that year (100102 moved from N2 to N1); and
// priority 5's p5_repeat, which repeats WIRT's figure (10 of 100).
var nestedAndRepeated = []string{
	`create schema if not exists seed`,
	`create table seed.ethnicity as select * from (values
		('BCRB', 'Black', null), ('BAFR', 'Black', null), ('BOTH', 'Black', null),
		('WBRI', 'White', null), ('WIRT', 'White', null), ('WOTH', 'White', null)) t(code, major_group, focus_group)`,
	`create table core.schools as select * from (values
		(100101, '2024/25', 'N1'), (100102, '2024/25', 'N1'), (100102, '2023/24', 'N2'),
		(100103, '2024/25', 'N2'), (100104, '2024/25', 'N2')) t(urn, academic_year, neighbourhood)`,
	`insert into indicators.metric_values (metric_id, priority, measure, period, period_type, period_start, period_end,
		geography_level, geography_code, geography_name, phase, breakdown, breakdown_value, numerator, denominator, value,
		unit, status)
	select metric_id, priority, 'value', '2025-01-16', 'census', date '2025-01-16', date '2025-01-16', level, code, code,
		phase, breakdown, bvalue, n, d, 100.0 * n / d, unit, 'no_target'
	from (values
		('p1_nested', 1, 'borough', 'E09000012', 'all', 'all', 'all', 300, 3000, 'percent'),
		('p1_nested', 1, 'borough', 'E09000012', 'all', 'ethnicity_group', 'Black', 93, 900, 'percent'),
		('p1_nested', 1, 'borough', 'E09000012', 'all', 'ethnicity_group', 'White', 207, 2100, 'percent'),
		('p1_nested', 1, 'borough', 'E09000012', 'all', 'ethnicity', 'BCRB', 3, 100, 'percent'),
		('p1_nested', 1, 'borough', 'E09000012', 'all', 'ethnicity', 'BAFR', 50, 500, 'percent'),
		('p1_nested', 1, 'borough', 'E09000012', 'all', 'ethnicity', 'BOTH', 40, 300, 'percent'),
		('p1_nested', 1, 'borough', 'E09000012', 'all', 'ethnicity', 'WBRI', 150, 1500, 'percent'),
		('p1_nested', 1, 'borough', 'E09000012', 'all', 'ethnicity', 'WIRT', 10, 100, 'percent'),
		('p1_nested', 1, 'borough', 'E09000012', 'all', 'ethnicity', 'WOTH', 47, 500, 'percent'),
		('p1_nested', 1, 'borough', 'E09000012', 'primary', 'all', 'all', 164, 2000, 'percent'),
		('p1_nested', 1, 'neighbourhood', 'N1', 'primary', 'all', 'all', 54, 600, 'percent'),
		('p1_nested', 1, 'neighbourhood', 'N2', 'primary', 'all', 'all', 110, 1400, 'percent'),
		('p1_nested', 1, 'school', '100101', 'primary', 'all', 'all', 4, 100, 'percent'),
		('p1_nested', 1, 'school', '100102', 'primary', 'all', 'all', 50, 500, 'percent'),
		('p1_nested', 1, 'school', '100103', 'primary', 'all', 'all', 10, 400, 'percent'),
		('p1_nested', 1, 'school', '100104', 'primary', 'all', 'all', 100, 1000, 'percent'),
		('p5_repeat', 5, 'borough', 'E09000012', 'all', 'ethnicity', 'WIRT', 10, 100, 'ratio')
	) t(metric_id, priority, level, code, phase, breakdown, bvalue, n, d, unit)`,
}

// TestLoadPrioritySuppressesNestedAndRepeated: LoadPriority reads which
// ethnicity group and neighbourhood each row is in, and the other
// priorities' values, so that a priority's export hides every cell that
// would give a suppressed one away.
func TestLoadPrioritySuppressesNestedAndRepeated(t *testing.T) {
	db := warehouseWith(t, nestedAndRepeated...)
	hidden := func(n int, metric string) map[string]bool {
		t.Helper()
		p, err := LoadPriority(context.Background(), db, n)
		if err != nil {
			t.Fatal(err)
		}
		p.Suppress(5)
		got := map[string]bool{}
		for _, v := range p.Values {
			if v.MetricID == metric && v.Suppressed != NotSuppressed {
				got[v.GeographyCode+" "+v.BreakdownValue] = true
			}
		}
		return got
	}
	want := map[string]bool{
		"E09000012 BCRB": true, "E09000012 WIRT": true, // small, and the smallest other code
		"E09000012 BOTH": true, "E09000012 WOTH": true, // Black and White less the codes shown
		"100101 all": true, "100103 all": true, // small, and the smallest other school
		"100102 all": true, "100104 all": true, // N1 and N2 less the schools shown
	}
	if diff := cmp.Diff(want, hidden(1, "p1_nested")); diff != "" {
		t.Errorf("priority 1 hidden cells (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]bool{"E09000012 WIRT": true}, hidden(5, "p5_repeat")); diff != "" {
		t.Errorf("priority 5 hidden cells (-want +got):\n%s", diff)
	}
}
