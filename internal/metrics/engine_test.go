package metrics

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"planmetrics/internal/overlay"
	"planmetrics/seeds"
)

// seriesSQL is a metric file over core.t9 (a table tests create): one
// borough value per academic year of the given series.
func seriesSQL(series string) string {
	return `-- test metric over core.t9
select 'value' as measure, period, 'academic_year' as period_type,
    pm_academic_year_start(period) as period_start, pm_academic_year_end(period) as period_end,
    'borough' as geography_level, 'E09000012' as geography_code, 'Hackney' as geography_name,
    'all' as phase, 'all' as breakdown, 'all' as breakdown_value,
    null as numerator, null as denominator, v as value, 'count' as unit,
    null as ci_lower, null as ci_upper, null as flag
from core.t9
where series = '` + series + `';
`
}

// catalogueEntry is a minimal local.yaml entry for a test metric.
func catalogueEntry(id, direction string, sources ...string) string {
	if len(sources) == 0 {
		sources = []string{"t9"}
	}
	return `  - id: ` + id + `
    name: test metric ` + id + `
    priority: 5
    definition: a metric added by a test through the override directory
    unit: count
    direction: ` + direction + `
    sources: [` + strings.Join(sources, ", ") + `]
`
}

func withTargets(t *testing.T, opts Options, csv string) Options {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "targets.csv"), []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	var err error
	if opts.Seeds, err = overlay.New(seeds.FS, dir); err != nil {
		t.Fatal(err)
	}
	return opts
}

func newT9(t *testing.T, rows [][3]any) (*sql.DB, int64) {
	t.Helper()
	db, run := newWarehouse(t)
	mustExec(t, db, `create table core.t9 (series varchar, period varchar, v double)`)
	for _, r := range rows {
		mustExec(t, db, `insert into core.t9 values (?, ?, ?)`, r[0], r[1], r[2])
	}
	return db, run
}

// TestTargetsStatus checks previous_value, change, target and status for each
// direction, with and without stated targets.
func TestTargetsStatus(t *testing.T) {
	rows := [][3]any{
		{"up", "2022/23", 10.0}, {"up", "2023/24", 12.0}, {"up", "2024/25", 12.0},
		{"down", "2022/23", 10.0}, {"down", "2023/24", 8.0}, {"down", "2024/25", 9.0},
		{"t1", "2022/23", 1.5}, {"t1", "2023/24", 1.2}, {"t1", "2024/25", 0.7},
		{"t1par", "2023/24", 1.0}, {"t1par", "2024/25", 1.0},
		{"t0", "2022/23", -5.0}, {"t0", "2023/24", 3.0}, {"t0", "2024/25", -4.0},
		{"gap", "2020/21", 5.0}, {"gap", "2024/25", 6.0},
		{"sup", "2022/23", 10.0}, {"sup", "2023/24", 12.0}, {"sup", "2024/25", 12.0},
		{"sdown", "2022/23", 10.0}, {"sdown", "2023/24", 8.0}, {"sdown", "2024/25", 8.5},
		{"st1", "2023/24", 1.5}, {"st1", "2024/25", 1.08},
		{"floor", "2023/24", 0.0}, {"floor", "2024/25", 0.0},
		{"full", "2023/24", 100.0}, {"full", "2024/25", 100.0},
		{"part", "2023/24", 5.0}, {"part", "2024/25", 6.0},
	}
	db, run := newT9(t, rows)
	files := map[string]string{
		"metrics/local.yaml": "metrics:\n" +
			catalogueEntry("p9_up", "up") + catalogueEntry("p9_down", "down") +
			catalogueEntry("p9_t1", "towards_1") + catalogueEntry("p9_t1par", "towards_1") +
			catalogueEntry("p9_t0", "towards_0") + catalogueEntry("p9_gap", "up") +
			catalogueEntry("p9_sup", "up") + catalogueEntry("p9_sdown", "down") + catalogueEntry("p9_st1", "towards_1") +
			catalogueEntry("p9_floor", "down") + catalogueEntry("p9_full", "up") + catalogueEntry("p9_part", "up"),
	}
	for _, s := range []string{"up", "down", "t1", "t1par", "t0", "gap", "sup", "sdown", "st1", "floor"} {
		files["metrics/p9_"+s+".sql"] = seriesSQL(s)
	}
	files["metrics/p9_full.sql"] = strings.Replace(seriesSQL("full"), "'count' as unit", "'percent' as unit", 1)
	files["metrics/p9_part.sql"] = strings.Replace(seriesSQL("part"), "null as flag", "case when period = '2023/24' then 'partial_period' end as flag", 1)
	opts := withTargets(t, testOptions(t, run, files), `metric_id,measure,period,target,comparison,source
p9_sup,value,2024/25,11,,a stated target for one year only
p9_sdown,*,*,8.5,<,below 8.5 every year
p9_st1,value,*,1.1,,within 0.1 of parity
`)
	mustBuild(t, db, opts)

	const none = -999.0 // marks an expected NULL
	tests := []struct {
		metric, period       string
		prev, change, target float64
		status               string
	}{
		// up: first period has nothing to beat; then better; then equal is not better.
		{"p9_up", "2022/23", none, none, none, "no_target"},
		{"p9_up", "2023/24", 10, 2, 10, "on_track"},
		{"p9_up", "2024/25", 12, 0, 12, "off_track"},
		{"p9_down", "2023/24", 10, -2, 10, "on_track"},
		{"p9_down", "2024/25", 8, 1, 8, "off_track"},
		// towards_1: |1.2-1| < |1.5-1|; |0.7-1| = 0.3 > 0.2.
		{"p9_t1", "2023/24", 1.5, -0.3, 1.5, "on_track"},
		{"p9_t1", "2024/25", 1.2, -0.5, 1.2, "off_track"},
		// parity kept is on track.
		{"p9_t1par", "2024/25", 1, 0, 1, "on_track"},
		// towards_0: |3| < |-5|; |-4| > |3|.
		{"p9_t0", "2023/24", -5, 8, -5, "on_track"},
		{"p9_t0", "2024/25", 3, -7, 3, "off_track"},
		// 2020/21 is four years before 2024/25: not the previous period.
		{"p9_gap", "2024/25", none, none, none, "no_target"},
		// stated target for 2024/25 only: 12 >= 11; other years improve on previous.
		{"p9_sup", "2024/25", 12, 0, 11, "on_track"},
		{"p9_sup", "2023/24", 10, 2, 10, "on_track"},
		// stated '< 8.5' for every period, even the first.
		{"p9_sdown", "2022/23", none, none, 8.5, "off_track"},
		{"p9_sdown", "2023/24", 10, -2, 8.5, "on_track"},
		{"p9_sdown", "2024/25", 8, 0.5, 8.5, "off_track"},
		// towards_1 with stated 1.1: |1.08-1| <= |1.1-1|, |1.5-1| > 0.1.
		{"p9_st1", "2024/25", 1.5, -0.42, 1.1, "on_track"},
		{"p9_st1", "2023/24", none, none, 1.1, "off_track"},
		// Staying at the best possible value: 0 for down, 100% for an up percentage.
		{"p9_floor", "2024/25", 0, 0, 0, "on_track"},
		{"p9_full", "2024/25", 100, 0, 100, "on_track"},
		// A part-year is not judged, and is no baseline for the next whole year.
		{"p9_part", "2023/24", none, none, none, "no_target"},
		{"p9_part", "2024/25", none, none, none, "no_target"},
	}
	for _, tt := range tests {
		t.Run(tt.metric+" "+tt.period, func(t *testing.T) {
			r := boroughRow(t, db, tt.metric, "value", tt.period, "all", "all")
			check := func(what string, got sql.NullFloat64, want float64) {
				t.Helper()
				if want == none {
					isNull(t, what, got)
				} else {
					near(t, what, got, want)
				}
			}
			check("previous_value", r.Prev, tt.prev)
			check("change", r.Change, tt.change)
			check("target", r.Target, tt.target)
			if r.Status != tt.status {
				t.Errorf("status = %q, want %q", r.Status, tt.status)
			}
		})
	}
}

// TestBuildOverrideMetric adds a metric through an override directory only
// (SQL file + catalogue entry in local.yaml) and checks it is computed, with
// its row in the catalogue and the priority view.
func TestBuildOverrideMetric(t *testing.T) {
	db, run := newT9(t, [][3]any{{"x", "2024/25", 42}})
	files := map[string]string{
		"metrics/p9_local.sql": seriesSQL("x"),
		"metrics/local.yaml":   "metrics:\n" + catalogueEntry("p9_local", "up"),
	}
	res := mustBuild(t, db, testOptions(t, run, files))
	if !slices.Contains(res.Computed, "p9_local") {
		t.Errorf("p9_local not computed: %+v", res)
	}
	near(t, "p9_local", boroughRow(t, db, "p9_local", "value", "2024/25", "all", "all").Value, 42)
	if n := countRows(t, db, `select count(*) from indicators.metrics where metric_id = 'p9_local' and priority = 5`); n != 1 {
		t.Errorf("catalogue rows for p9_local: %d, want 1", n)
	}
	if n := countRows(t, db, `select count(*) from indicators.priority_5 where metric_id = 'p9_local' and metric_name = 'test metric p9_local'`); n != 1 {
		t.Errorf("priority_5 rows for p9_local: %d, want 1", n)
	}
	// The embedded catalogue is still there, merged with the local one.
	if n := countRows(t, db, `select count(*) from indicators.metrics`); n < 42 {
		t.Errorf("catalogue has %d metrics, want the embedded ones plus p9_local", n)
	}
}

// TestBuildNoData: a metric whose source return is not loaded gets one
// no_data row (never zero); metrics whose sources are loaded are computed.
func TestBuildNoData(t *testing.T) {
	t.Run("nothing loaded", func(t *testing.T) {
		db, run := newWarehouse(t) // no raw tables, no core views at all
		res := mustBuild(t, db, testOptions(t, run, nil))
		if len(res.Computed) != 0 || len(res.NoData) != res.Metrics {
			t.Fatalf("computed %v, no data %d of %d", res.Computed, len(res.NoData), res.Metrics)
		}
		if n := countRows(t, db, `select count(*) from indicators.metric_values`); n != res.Metrics {
			t.Errorf("%d rows, want one per metric (%d)", n, res.Metrics)
		}
		r := getRow(t, db, "p1_ehcp_20wk_pct", "value", "", "borough", BoroughCode, "all", "all", "all")
		isNull(t, "value", r.Value)
		if r.Status != "no_data" || r.Unit != "percent" {
			t.Errorf("status %q unit %q, want no_data percent", r.Status, r.Unit)
		}
	})
	t.Run("ehcp only", func(t *testing.T) {
		db, run := newReturnsWarehouse(t)
		addEHCPCases(t, db)
		res := mustBuild(t, db, testOptions(t, run, nil))
		for _, id := range []string{"p1_ehcp_20wk_pct", "p1_ep_advice_6wk_pct", "p1_out_of_borough_specialist"} {
			if !slices.Contains(res.Computed, id) {
				t.Errorf("%s not computed", id)
			}
		}
		// p1_ehc_requests needs the census too (per 10,000), which is empty.
		for _, id := range []string{"p1_ehc_requests", "p1_sen_support_pct", "p1_high_needs_balance", "p2_ap_neet_pct"} {
			if !slices.Contains(res.NoData, id) {
				t.Errorf("%s computed without its sources", id)
			}
			r := getRow(t, db, id, "value", "", "borough", BoroughCode, "all", "all", "all")
			if r.Status != "no_data" || r.Value.Valid {
				t.Errorf("%s: status %q value %v, want no_data NULL", id, r.Status, r.Value)
			}
		}
	})
}

// TestBuildKeepStage keeps each metric's output in schema stage, and a
// second build replaces it.
func TestBuildKeepStage(t *testing.T) {
	db, run := newT9(t, [][3]any{{"x", "2024/25", 3}})
	opts := testOptions(t, run, map[string]string{
		"metrics/p9_x.sql":   seriesSQL("x"),
		"metrics/local.yaml": "metrics:\n" + catalogueEntry("p9_x", "up"),
	})
	opts.KeepStage = true
	for i := range 2 {
		mustBuild(t, db, opts)
		if n := countRows(t, db, `select count(*) from stage.p9_x`); n != 1 {
			t.Fatalf("build %d: stage.p9_x has %d rows, want 1", i+1, n)
		}
	}
	opts.KeepStage = false
	mustBuild(t, db, opts)
	if n := countRows(t, db, `select count(*) from information_schema.schemata where schema_name = 'stage'`); n != 0 {
		t.Errorf("stage schema kept without KeepStage")
	}
}

func TestOrder(t *testing.T) {
	cat := func(deps map[string][]string, ids ...string) Catalogue {
		var c Catalogue
		for _, id := range ids {
			c = append(c, Metric{ID: id, Depends: deps[id]})
		}
		return c
	}
	tests := []struct {
		name  string
		cat   Catalogue
		want  []string
		cycle []string
	}{
		{"no dependencies keeps catalogue order", cat(nil, "a", "b", "c"), []string{"a", "b", "c"}, nil},
		{"dependency first", cat(map[string][]string{"a": {"c"}, "b": {"a"}}, "a", "b", "c"), []string{"c", "a", "b"}, nil},
		{"diamond", cat(map[string][]string{"d": {"b", "c"}, "b": {"a"}, "c": {"a"}}, "d", "c", "b", "a"), []string{"a", "c", "b", "d"}, nil},
		{"self", cat(map[string][]string{"a": {"a"}}, "a"), nil, []string{"a", "a"}},
		{"loop", cat(map[string][]string{"a": {"b"}, "b": {"c"}, "c": {"a"}}, "a", "b", "c"), nil, []string{"a", "b", "c", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cat.Order()
			if tt.cycle != nil {
				var ce *CycleError
				if !errors.As(err, &ce) || !slices.Equal(ce.Cycle, tt.cycle) {
					t.Fatalf("err = %v, want cycle %v", err, tt.cycle)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("Order() = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestBuildDependencies runs a metric that reads another's stage table, and
// a build whose metrics form a cycle.
func TestBuildDependencies(t *testing.T) {
	t.Run("dependent reads stage", func(t *testing.T) {
		db, run := newT9(t, [][3]any{{"x", "2024/25", 21}})
		// p9_a sorts before p9_b but depends on it: order must follow the header.
		files := map[string]string{
			"metrics/p9_b.sql": seriesSQL("x"),
			"metrics/p9_a.sql": "-- a test metric: twice p9_b\n-- depends: p9_b\n" +
				"select * replace (value * 2 as value) from stage.p9_b",
			"metrics/local.yaml": "metrics:\n" + catalogueEntry("p9_a", "up") + catalogueEntry("p9_b", "up"),
		}
		mustBuild(t, db, testOptions(t, run, files))
		near(t, "p9_a", boroughRow(t, db, "p9_a", "value", "2024/25", "all", "all").Value, 42)
		if n := countRows(t, db, `select count(*) from information_schema.schemata where schema_name = 'stage'`); n != 0 {
			t.Errorf("stage schema left behind")
		}
	})
	t.Run("cycle", func(t *testing.T) {
		db, run := newT9(t, nil)
		files := map[string]string{
			"metrics/p9_a.sql":   "-- depends: p9_b\nselect * from stage.p9_b",
			"metrics/p9_b.sql":   "-- depends: p9_a\nselect * from stage.p9_a",
			"metrics/local.yaml": "metrics:\n" + catalogueEntry("p9_a", "up") + catalogueEntry("p9_b", "up"),
		}
		_, err := Build(context.Background(), db, testOptions(t, run, files))
		var ce *CycleError
		if !errors.As(err, &ce) || !slices.Equal(ce.Cycle, []string{"p9_a", "p9_b", "p9_a"}) {
			t.Fatalf("err = %v, want a p9_a -> p9_b -> p9_a cycle", err)
		}
	})
	t.Run("unknown dependency", func(t *testing.T) {
		db, run := newT9(t, nil)
		files := map[string]string{
			"metrics/p9_a.sql":   "-- depends: p9_nope\nselect 1",
			"metrics/local.yaml": "metrics:\n" + catalogueEntry("p9_a", "up"),
		}
		_, err := Build(context.Background(), db, testOptions(t, run, files))
		var ce *CatalogueError
		if !errors.As(err, &ce) || ce.Metric != "p9_a" || !strings.Contains(err.Error(), "p9_nope") {
			t.Fatalf("err = %v, want a CatalogueError about p9_nope", err)
		}
	})
}

// TestBuildRejectsBadMetrics: a metric breaking the contract fails the build
// with its file named, and the previous build's values stay as they were.
func TestBuildRejectsBadMetrics(t *testing.T) {
	good := seriesSQL("x")
	tests := []struct {
		name, sql, want string
	}{
		{"missing column", strings.Replace(good, ", null as flag", "", 1), "missing: flag"},
		{"extra column", strings.Replace(good, "null as flag", "null as flag, 1 as extra", 1), "unexpected: extra"},
		{"duplicate rows", strings.TrimSuffix(strings.TrimSpace(good), ";") + "\nunion all\n" + good, "appears 2 times"},
		{"bad unit", strings.Replace(good, "'count' as unit", "'pounds' as unit", 1), "unit pounds"},
		{"null phase", strings.Replace(good, "'all' as phase", "null as phase", 1), "must all be filled"},
		{"sql error", strings.Replace(good, "from core.t9", "from core.no_such_table", 1), "no_such_table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, run := newT9(t, [][3]any{{"x", "2024/25", 7}})
			catalogue := "metrics:\n" + catalogueEntry("p9_x", "up")
			mustBuild(t, db, testOptions(t, run, map[string]string{"metrics/p9_x.sql": good, "metrics/local.yaml": catalogue}))
			before := countRows(t, db, `select count(*) from indicators.metric_values`)

			_, err := Build(context.Background(), db, testOptions(t, run, map[string]string{"metrics/p9_x.sql": tt.sql, "metrics/local.yaml": catalogue}))
			var me *MetricError
			if !errors.As(err, &me) || me.Metric != "p9_x" || me.File != "metrics/p9_x.sql" || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a MetricError for metrics/p9_x.sql containing %q", err, tt.want)
			}
			if after := countRows(t, db, `select count(*) from indicators.metric_values`); after != before {
				t.Errorf("metric_values has %d rows after a failed build, want the %d from before", after, before)
			}
			near(t, "p9_x after failed build", boroughRow(t, db, "p9_x", "value", "2024/25", "all", "all").Value, 7)
		})
	}
}

func TestBuildRejectsBadTargets(t *testing.T) {
	tests := []struct{ name, csv, want string }{
		{"unknown metric", "p9_nope,value,*,1,,x", "not in the metric catalogue"},
		{"not a number", "p1_ehcp_pct,value,*,lots,,x", "is not a number"},
		{"bad comparison", "p1_ehcp_pct,value,*,1,=,x", "is not one of"},
		{"comparison without target", "p1_ehcp_pct,value,*,,<,x", "needs a target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, run := newWarehouse(t)
			opts := withTargets(t, testOptions(t, run, nil), "metric_id,measure,period,target,comparison,source\n"+tt.csv+"\n")
			_, err := Build(context.Background(), db, opts)
			if err == nil || !strings.Contains(err.Error(), "targets.csv") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a targets.csv error containing %q", err, tt.want)
			}
		})
	}
}

// TestBuildProvenance: every value's run traces to the loads its sources
// were read from.
func TestBuildProvenance(t *testing.T) {
	db, run := newReturnsWarehouse(t)
	addEHCPCases(t, db) // _load_id 3
	mustExec(t, db, `insert into meta.loads (load_id, run_id, file_path, file_name, sha256, return_type, status, started_at, program_version)
		values (3, 1, 'inbox/ehcp.csv', 'ehcp.csv', 'abc123', 'ehcp', 'loaded', now(), 'test')`)
	mustBuild(t, db, testOptions(t, run, nil))
	var file, sha string
	var rows int64
	err := db.QueryRow(`select file_name, sha256, rows from indicators.run_sources where run_id = ? and return_type = 'ehcp' and load_id = 3`, run).Scan(&file, &sha, &rows)
	if err != nil || file != "ehcp.csv" || sha != "abc123" || rows != 10 {
		t.Fatalf("run_sources: %q %q %d %v, want ehcp.csv abc123 10", file, sha, rows, err)
	}
	if n := countRows(t, db, `select count(*) from indicators.value_sources where metric_id = 'p1_ehcp_20wk_pct' and load_id = 3`); n != 1 {
		t.Errorf("value_sources rows for p1_ehcp_20wk_pct: %d, want 1", n)
	}
	if n := countRows(t, db, `select count(*) from indicators.metric_values where run_id <> ? or run_id is null or computed_at is null`, run); n != 0 {
		t.Errorf("%d values without this run's id or a computed_at", n)
	}
}

func TestBuildLatestAndHeadlines(t *testing.T) {
	db, run := p1p5Fixture(t)
	addEHCPCases(t, db)
	mustBuild(t, db, testOptions(t, run, nil))

	// latest: one row per series; the academic series of 20wk ends 2024/25.
	var period string
	if err := db.QueryRow(`select period from indicators.latest where metric_id = 'p1_ehcp_20wk_pct' and measure = 'value'
		and period_type = 'academic_year' and geography_level = 'borough' and breakdown = 'all'`).Scan(&period); err != nil || period != "2024/25" {
		t.Fatalf("latest 20wk academic period %q (%v), want 2024/25", period, err)
	}
	if n := countRows(t, db, `select count(*) from (select metric_id, measure, period_type, geography_level, geography_code, phase, breakdown, breakdown_value
		from indicators.latest group by all having count(*) > 1)`); n != 0 {
		t.Errorf("%d series with more than one latest row", n)
	}

	hs, err := Headlines(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]Headline{}
	for _, h := range hs {
		byKey[h.MetricID+"|"+h.Group] = h
	}
	// The 20wk headline is the latest complete period: calendar 2025 (31 Dec
	// 2025) is still running (partial_period), so academic 2024/25 (31 Aug
	// 2025, 2 of 3) beats calendar 2024 (31 Dec 2024).
	if h := byKey["p1_ehcp_20wk_pct|"]; h.Period != "2024/25" || h.Value == nil || h.Status != "on_track" {
		t.Errorf("20wk headline %+v, want 2024/25 on track", h)
	}
	if h := byKey["p1_sen_support_pct|"]; h.Period != "2025-01-16" || h.Status != "no_target" || h.Value == nil {
		t.Errorf("sen support headline %+v", h)
	}
	// p5_sen_representation is headlined per focus group.
	for _, g := range []string{"Black Caribbean", "Turkish, Kurdish and Turkish Cypriot"} {
		if h, ok := byKey["p5_sen_representation|"+g]; !ok || h.Value == nil {
			t.Errorf("no p5_sen_representation headline for %s", g)
		}
	}
	if h := byKey["p3_early_years_takeup_pct|"]; h.Status != "no_data" || h.Value != nil {
		t.Errorf("early years headline %+v, want no_data", h)
	}
	seen := map[string]bool{}
	for _, h := range hs {
		seen[h.MetricID] = true
	}
	cat, err := LoadCatalogue(testOptions(t, run, nil).Pipelines)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range cat {
		if !seen[m.ID] {
			t.Errorf("no headline for %s", m.ID)
		}
	}

	var buf bytes.Buffer
	if err := WriteHeadlines(&buf, hs); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Priority 1: SEND and inclusion",
		"Priority 5: Equity for children and families",
		"p1_sen_support_pct",
		"15.4%",
		"p5_sen_representation [Black Caribbean]",
		"no data",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("headline table lacks %q:\n%s", want, out)
		}
	}
}

func TestFormatValue(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		unit string
		v    *float64
		want string
	}{
		{"percent", f(15.3846), "15.4%"},
		{"per_100", f(3.2149), "3.21"},
		{"ratio", f(1), "1.00"},
		{"per_10000", f(461.538), "461.5"},
		{"count", f(1234567), "1,234,567"},
		{"count", f(12.5), "12.5"},
		{"gbp", f(-8_500_000.4), "-£8,500,000"},
		{"gbp", f(999), "£999"},
		{"percent", nil, "-"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.unit, tt.v); got != tt.want {
			t.Errorf("FormatValue(%s, %v) = %q, want %q", tt.unit, tt.v, got, tt.want)
		}
	}
}

func TestCatalogueErrors(t *testing.T) {
	base := "metrics:\n" + catalogueEntry("p9_ok", "up")
	tests := []struct {
		name  string
		files fstest.MapFS
		want  string
	}{
		{"sql without entry", fstest.MapFS{"metrics/c.yaml": {Data: []byte(base)}, "metrics/p9_x.sql": {Data: []byte("select 1")}}, "no catalogue entry"},
		{"bad direction", fstest.MapFS{"metrics/c.yaml": {Data: []byte(strings.Replace(base, "direction: up", "direction: sideways", 1))}}, "direction \"sideways\""},
		{"bad unit", fstest.MapFS{"metrics/c.yaml": {Data: []byte(strings.Replace(base, "unit: count", "unit: pounds", 1))}}, "unit \"pounds\""},
		{"unknown field", fstest.MapFS{"metrics/c.yaml": {Data: []byte(base + "    colour: red\n")}}, "colour"},
		{"twice in a file", fstest.MapFS{"metrics/c.yaml": {Data: []byte(base + catalogueEntry("p9_ok", "up"))}}, "listed twice"},
		{"no catalogue", fstest.MapFS{"metrics/p9_x.sql": {Data: []byte("select 1")}}, "no metric catalogue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadCatalogue(tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
	// A later file replaces an entry of an earlier one.
	cat, err := LoadCatalogue(fstest.MapFS{
		"metrics/a.yaml": {Data: []byte(base)},
		"metrics/b.yaml": {Data: []byte("metrics:\n" + strings.Replace(catalogueEntry("p9_ok", "down"), "priority: 5", "priority: 2", 1))},
	})
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := cat.Lookup("p9_ok"); m.Direction != "down" || m.Priority != 2 || m.HeadlineMeasure != "value" {
		t.Errorf("merged entry %+v, want b.yaml's (down, priority 2, headline measure value)", m)
	}
}

// TestCatalogueMatchesPlan: every metric id of metrics.md is in the
// catalogue, and every plan_wording quote is verbatim in the plan.
func TestCatalogueMatchesPlan(t *testing.T) {
	const shared = "/work/shared"
	plan, err := os.ReadFile(filepath.Join(shared, "seeds", "hackney-education-strategic-plan-2026-2029.md"))
	if err != nil {
		t.Skipf("the plan text is not available (%v): skipping", err)
	}
	spec, err := os.ReadFile(filepath.Join(shared, "metrics.md"))
	if err != nil {
		t.Skipf("metrics.md is not available (%v): skipping", err)
	}
	cat, err := LoadCatalogue(testOptions(t, 0, nil).Pipelines)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range regexp.MustCompile(`\bp[1-5]_[a-z0-9_]+`).FindAllString(string(spec), -1) {
		if _, ok := cat.Lookup(id); !ok {
			t.Errorf("metrics.md id %s is not in the catalogue", id)
		}
	}
	text := regexp.MustCompile(`\s+`).ReplaceAllString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(plan), " "), " ")
	for _, m := range cat {
		if len(m.PlanWording) == 0 {
			t.Errorf("%s has no plan_wording", m.ID)
		}
		for _, q := range m.PlanWording {
			if !strings.Contains(text, q) {
				t.Errorf("%s: plan_wording %q is not in the plan", m.ID, q)
			}
		}
	}
}

// TestSeeds: every seeds/*.csv becomes seed.<name>, text columns, empty
// cells NULL, # lines skipped; a name that cannot be a table fails clearly.
func TestSeeds(t *testing.T) {
	seedDir := func(t *testing.T, run int64, name, content string) Options {
		t.Helper()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		opts := testOptions(t, run, nil)
		var err error
		if opts.Seeds, err = overlay.New(seeds.FS, dir); err != nil {
			t.Fatal(err)
		}
		return opts
	}
	t.Run("loads", func(t *testing.T) {
		db, run := newWarehouse(t)
		opts := seedDir(t, run, "test_codes.csv", "\uFEFF# notes about the file\nLA_Code,name\n204,Hackney\n202,\n")
		mustBuild(t, db, opts)
		var n, blank int
		if err := db.QueryRow(`select count(*), count(*) filter (where name is null) from seed.test_codes where la_code in ('204', '202')`).Scan(&n, &blank); err != nil || n != 2 || blank != 1 {
			t.Errorf("seed.test_codes: %d rows, %d blank names (%v); want 2, 1", n, blank, err)
		}
	})
	t.Run("bad name", func(t *testing.T) {
		db, run := newWarehouse(t)
		opts := seedDir(t, run, "LA codes.csv", "code\n204\n")
		_, err := Build(context.Background(), db, opts)
		if err == nil || !strings.Contains(err.Error(), "rename it") {
			t.Fatalf("err = %v, want a rename hint", err)
		}
	})
}
