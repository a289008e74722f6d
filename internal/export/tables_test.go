package export

import (
	"context"
	"database/sql"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"planmetrics/internal/warehouse"
)

// readCSV reads a whole CSV file as header and records keyed by column.
func readCSV(t *testing.T, path string) ([]string, []map[string]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return recs[0], rows
}

func findRecord(t *testing.T, rows []map[string]string, match map[string]string) map[string]string {
	t.Helper()
	for _, r := range rows {
		ok := true
		for k, v := range match {
			ok = ok && r[k] == v
		}
		if ok {
			return r
		}
	}
	t.Fatalf("no record matching %v", match)
	return nil
}

func TestTablesCSV(t *testing.T) {
	db := openWarehouse(t)
	out := t.TempDir()
	paths, err := Tables(context.Background(), db, out, FormatCSV, Options{SuppressBelow: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(out, "metric_values.csv"), filepath.Join(out, "metrics.csv"), filepath.Join(out, "benchmarks.csv")}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Fatalf("paths (-want +got):\n%s", diff)
	}
	for _, p := range paths {
		checkPrivate(t, p)
	}
	noTempFiles(t, out)

	header, rows := readCSV(t, paths[0])
	if diff := cmp.Diff(valueColumns, header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if n := queryFloat(t, db, `select count(*) from indicators.metric_values`); len(rows) != int(n) {
		t.Errorf("%d rows, want %v (every value of every priority)", len(rows), n)
	}
	small := findRecord(t, rows, map[string]string{"geography_code": "100002"})
	for _, col := range []string{"value", "numerator", "denominator", "previous_value", "change"} {
		if small[col] != "c" {
			t.Errorf("suppressed school: %s = %q, want c", col, small[col])
		}
	}
	if small["suppressed"] != "true" {
		t.Errorf("suppressed = %q, want true", small["suppressed"])
	}
	// Excel would run the name as a formula: it is defused with an apostrophe.
	if got := small["geography_name"]; got != "'"+injection {
		t.Errorf("geography_name = %q, want the name behind an apostrophe", got)
	}
	alpha := findRecord(t, rows, map[string]string{"geography_code": "100001"})
	v, err := strconv.ParseFloat(alpha["value"], 64)
	if err != nil {
		t.Fatal(err)
	}
	if want := queryFloat(t, db, `select value from indicators.metric_values where geography_code = '100001'`); v != want {
		t.Errorf("value = %v, want %v", v, want)
	}
	// A negative figure is a number, not defused.
	hnb := findRecord(t, rows, map[string]string{"metric_id": "p1_high_needs_balance", "period": "2023-24"})
	if hnb["value"] != "-6100000" || hnb["change"] != "-900000" {
		t.Errorf("negative figures written as %q and %q", hnb["value"], hnb["change"])
	}

	_, metrics := readCSV(t, paths[1])
	m := findRecord(t, metrics, map[string]string{"metric_id": "p1_ehc_requests"})
	if m["sources"] != "ehcp; census" || m["unit"] != "count" {
		t.Errorf("catalogue row = %v", m)
	}
}

func TestTablesParquet(t *testing.T) {
	db := openWarehouse(t)
	out := t.TempDir()
	paths, err := Tables(context.Background(), db, out, FormatParquet, Options{Priorities: []int{1}, SuppressBelow: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(out, "metric_values-priority-1.parquet"), filepath.Join(out, "metrics-priority-1.parquet"),
		filepath.Join(out, "benchmarks-priority-1.parquet")}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Fatalf("paths (-want +got):\n%s", diff)
	}
	for _, p := range paths {
		checkPrivate(t, p)
	}
	noTempFiles(t, out)

	mem, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	types := func(path string) map[string]string {
		t.Helper()
		rows, err := mem.Query(`select column_name, column_type from (describe select * from read_parquet(` + warehouse.QuoteLiteral(path) + `))`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[string]string{}
		for rows.Next() {
			var n, ty string
			if err := rows.Scan(&n, &ty); err != nil {
				t.Fatal(err)
			}
			got[n] = ty
		}
		return got
	}
	vt := types(paths[0])
	for col, ty := range map[string]string{
		"priority": "INTEGER", "value": "DOUBLE", "numerator": "DOUBLE", "period_start": "DATE",
		"computed_at": "TIMESTAMP WITH TIME ZONE", "run_id": "BIGINT", "suppressed": "BOOLEAN", "geography_name": "VARCHAR",
	} {
		if vt[col] != ty {
			t.Errorf("metric_values.%s is %q, want %s", col, vt[col], ty)
		}
	}
	if mt := types(paths[1]); mt["sources"] != "VARCHAR[]" {
		t.Errorf("metrics.sources is %q, want VARCHAR[] (the list kept)", mt["sources"])
	}

	read := func(q string, args ...any) *sql.Row {
		return mem.QueryRow(q+` from read_parquet(`+warehouse.QuoteLiteral(paths[0])+`) `, args...)
	}
	var n int
	if err := read(`select count(*)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if want := queryFloat(t, db, `select count(*) from indicators.metric_values where priority = 1`); n != int(want) {
		t.Errorf("%d rows, want %v (priority 1 only)", n, want)
	}
	var value sql.Null[float64]
	var hidden bool
	var name string
	if err := mem.QueryRow(`select value, suppressed, geography_name from read_parquet(`+warehouse.QuoteLiteral(paths[0])+`) where geography_code = '100002'`).Scan(&value, &hidden, &name); err != nil {
		t.Fatal(err)
	}
	if value.Valid || !hidden || name != injection {
		t.Errorf("suppressed school: value %v, suppressed %v, name %q; want null, true and the name as it is", value, hidden, name)
	}
	var got float64
	if err := mem.QueryRow(`select value from read_parquet(` + warehouse.QuoteLiteral(paths[0]) + `) where geography_code = '100001'`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := queryFloat(t, db, `select value from indicators.metric_values where geography_code = '100001'`); got != want {
		t.Errorf("value = %v, want %v", got, want)
	}
}

func TestEES(t *testing.T) {
	db := openWarehouse(t)
	out := t.TempDir()
	paths, err := EES(context.Background(), db, out, Options{SuppressBelow: 5})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
		checkPrivate(t, p)
	}
	want := []string{
		"ees_metric_values_academic_year.csv", "ees_metric_values_academic_year.meta.csv",
		"ees_metric_values_calendar_year.csv", "ees_metric_values_calendar_year.meta.csv",
		"ees_metric_values_financial_year.csv", "ees_metric_values_financial_year.meta.csv",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}
	header, rows := readCSV(t, filepath.Join(out, "ees_metric_values_academic_year.csv"))
	for _, col := range []string{"time_period", "time_identifier", "geographic_level", "country_code", "country_name",
		"region_code", "region_name", "new_la_code", "la_name", "old_la_code", "school_urn", "school_name"} {
		if !slices.Contains(header, col) {
			t.Errorf("data file lacks %s", col)
		}
	}
	_, meta := readCSV(t, filepath.Join(out, "ees_metric_values_academic_year.meta.csv"))
	indicators := 0
	for _, m := range meta {
		if !slices.Contains(header, m["col_name"]) {
			t.Errorf("metadata names %s, not in the data file", m["col_name"])
		}
		if g := m["filter_grouping_column"]; g != "" && !slices.Contains(header, g) {
			t.Errorf("filter grouping column %s not in the data file", g)
		}
		if m["col_type"] == "Indicator" {
			indicators++
		}
	}
	if indicators == 0 {
		t.Error("metadata has no indicators")
	}
	for _, r := range rows {
		if r["time_identifier"] != "Academic year" || len(r["time_period"]) != 6 {
			t.Errorf("time %q %q, want a six-digit academic year", r["time_period"], r["time_identifier"])
		}
		if r["geographic_level"] != "Local authority" && r["geographic_level"] != "School" {
			t.Errorf("geographic level %q (neighbourhoods are not an EES level)", r["geographic_level"])
		}
		for _, m := range meta {
			if r[m["col_name"]] == "" {
				t.Errorf("blank %s in %v: EES wants a symbol", m["col_name"], r)
			}
		}
	}
	// The January 2025 census counts in 2024/25.
	sen := findRecord(t, rows, map[string]string{"metric": "Pupils receiving SEN support (%)", "geographic_level": "Local authority",
		"education_phase": "Total", "breakdown": "Total", "time_period": "202425"})
	if sen["new_la_code"] != HackneyCode || sen["old_la_code"] != "204" || sen["region_code"] != "E12000007" {
		t.Errorf("Hackney's codes: %v", sen)
	}
	v, _ := strconv.ParseFloat(sen["value"], 64)
	if want := queryFloat(t, db, `select value from indicators.metric_values where metric_id = 'p1_sen_support_pct'
		and period = '2025-01-16' and geography_level = 'borough' and phase = 'all' and breakdown = 'all'`); v != want {
		t.Errorf("value %v, want %v", v, want)
	}
	small := findRecord(t, rows, map[string]string{"school_urn": "100002"})
	if small["value"] != "c" || small["numerator"] != "c" || small["school_name"] != "'"+injection {
		t.Errorf("suppressed school: %v", small)
	}
	roma := findRecord(t, rows, map[string]string{"breakdown_topic": "Ethnicity group", "breakdown": "Gypsy/Roma"})
	if roma["value"] != "c" {
		t.Errorf("Gypsy/Roma value %q, want c", roma["value"])
	}
	target := findRecord(t, rows, map[string]string{"metric": "Pupils receiving SEN support (%)", "breakdown": "White British"})
	if target["target"] != "z" {
		t.Errorf("no target: %q, want z (not applicable)", target["target"])
	}
}

// TestTablesBenchmarks: the analyst exports carry indicators.benchmarks as a
// third table, Hackney's computed figure suppressed like its metric value.
func TestTablesBenchmarks(t *testing.T) {
	db := openWarehouse(t)
	ctx := context.Background()

	t.Run("csv", func(t *testing.T) {
		out := t.TempDir()
		paths, err := Tables(ctx, db, out, FormatCSV, Options{SuppressBelow: 5})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(out, "benchmarks.csv")
		if !slices.Contains(paths, path) {
			t.Fatalf("paths %v lack %s", paths, path)
		}
		checkPrivate(t, path)
		header, rows := readCSV(t, path)
		if diff := cmp.Diff(benchmarkColumns, header); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		if n := queryFloat(t, db, `select count(*) from indicators.benchmarks`); len(rows) != int(n) {
			t.Errorf("%d rows, want %v: every row, repeats across sources included", len(rows), n)
		}
		special := findRecord(t, rows, map[string]string{"metric_id": "p2_suspension_rate", "phase": "special"})
		if special["hackney_computed"] != "c" || special["difference"] != "c" || special["hackney_computed_suppressed"] != "true" {
			t.Errorf("suppressed computed figure: %v", special)
		}
		want := queryFloat(t, db, `select hackney_published from indicators.benchmarks where metric_id = 'p2_suspension_rate' and phase = 'special'`)
		if got, _ := strconv.ParseFloat(special["hackney_published"], 64); got != want {
			t.Errorf("published figure %q, want %v (public, never suppressed)", special["hackney_published"], want)
		}
		lait := findRecord(t, rows, map[string]string{"metric_id": "p1_ehcp_20wk_pct", "source": "lait", "period": "2024", "measure": "value"})
		want = queryFloat(t, db, `select hackney_computed from indicators.benchmarks where metric_id = 'p1_ehcp_20wk_pct'
			and source = 'lait' and period = '2024' and measure = 'value'`)
		if got, _ := strconv.ParseFloat(lait["hackney_computed"], 64); got != want || lait["hackney_computed_suppressed"] != "false" {
			t.Errorf("computed figure %q (suppressed %s), want %v", lait["hackney_computed"], lait["hackney_computed_suppressed"], want)
		}
		if lait["rank"] != "23" || lait["rank_of"] != "153" {
			t.Errorf("rank %s of %s, want 23 of 153", lait["rank"], lait["rank_of"])
		}
		symbol := findRecord(t, rows, map[string]string{"metric_id": "p1_ehcp_20wk_pct", "measure": "incl_exceptions"})
		if symbol["hackney_published"] != "" || symbol["hackney_symbol"] != "c" {
			t.Errorf("published symbol: value %q, symbol %q; want empty and c", symbol["hackney_published"], symbol["hackney_symbol"])
		}
	})

	t.Run("parquet", func(t *testing.T) {
		out := t.TempDir()
		if _, err := Tables(ctx, db, out, FormatParquet, Options{Priorities: []int{2}, SuppressBelow: 5}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(out, "benchmarks-priority-2.parquet")
		checkPrivate(t, path)
		mem, err := sql.Open("duckdb", "")
		if err != nil {
			t.Fatal(err)
		}
		defer mem.Close()
		src := "read_parquet(" + warehouse.QuoteLiteral(path) + ")"
		var n int
		if err := mem.QueryRow(`select count(*) from ` + src).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := queryFloat(t, db, `select count(*) from indicators.benchmarks where priority = 2`); n != int(want) {
			t.Errorf("%d rows, want %v (priority 2 only)", n, want)
		}
		// The warehouse's types, column by column, plus the flag.
		types := map[string]string{}
		rows, err := mem.Query(`select column_name, column_type from (describe select * from ` + src + `)`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c, ty string
			if err := rows.Scan(&c, &ty); err != nil {
				t.Fatal(err)
			}
			types[c] = ty
		}
		rows.Close()
		wrows, err := db.Query(`select column_name, column_type from (describe indicators.benchmarks)`)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"hackney_computed_suppressed": "BOOLEAN"}
		for wrows.Next() {
			var c, ty string
			if err := wrows.Scan(&c, &ty); err != nil {
				t.Fatal(err)
			}
			want[c] = ty
		}
		wrows.Close()
		if diff := cmp.Diff(want, types); diff != "" {
			t.Errorf("parquet types (-warehouse +parquet):\n%s", diff)
		}
		var computed, diff, published sql.Null[float64]
		var hidden bool
		if err := mem.QueryRow(`select hackney_computed, difference, hackney_published, hackney_computed_suppressed from `+src+
			` where phase = 'special'`).Scan(&computed, &diff, &published, &hidden); err != nil {
			t.Fatal(err)
		}
		if computed.Valid || diff.Valid || !hidden || !published.Valid {
			t.Errorf("special phase: computed %v, difference %v, suppressed %v, published %v; want null, null, true and the published figure",
				computed, diff, hidden, published)
		}
	})

	t.Run("warehouse without benchmarks", func(t *testing.T) {
		out := t.TempDir()
		if _, err := Tables(ctx, openBareWarehouse(t), out, FormatCSV, Options{SuppressBelow: 5}); err != nil {
			t.Fatal(err)
		}
		header, rows := readCSV(t, filepath.Join(out, "benchmarks.csv"))
		if len(rows) != 0 || !slices.Equal(header, benchmarkColumns) {
			t.Errorf("benchmarks.csv without the table: header %v and %d rows, want the header only", header, len(rows))
		}
	})
}
