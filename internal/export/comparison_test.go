package export

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// compared is the comparison table of a metric sheet as read back.
type compared struct {
	heading int // 1-based sheet row of the section heading; 0 when absent
	header  int // 1-based sheet row of the table header
	columns []string
	records []map[string]string
	lines   []string // the text lines between the heading and the table
}

// readComparison finds the "Compared with published data" section of a
// metric sheet and reads its table.
func readComparison(t *testing.T, rows [][]string) compared {
	t.Helper()
	var c compared
	h := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Compared with published data" })
	if h < 0 {
		return c
	}
	c.heading = h + 1
	for r := h + 1; r < len(rows); r++ {
		if len(rows[r]) > 1 && rows[r][0] == "Period" {
			c.header, c.columns = r+1, rows[r]
			for d := r + 1; d < len(rows) && len(rows[d]) > 0 && rows[d][0] != ""; d++ {
				rec := map[string]string{}
				for i, name := range c.columns {
					if i < len(rows[d]) {
						rec[name] = rows[d][i]
					}
				}
				c.records = append(c.records, rec)
			}
			return c
		}
		if len(rows[r]) > 0 && rows[r][0] != "" {
			c.lines = append(c.lines, rows[r][0])
		}
	}
	t.Fatal("comparison section without a table")
	return c
}

// benchmarkRow reads one row of indicators.benchmarks by column name.
func benchmarkRow(t *testing.T, db *sql.DB, metric, measure, phase, source, period string) map[string]any {
	t.Helper()
	rows, err := db.Query(`select * from indicators.benchmarks
		where metric_id = ? and measure = ? and phase = ? and source = ? and period = ?`, metric, measure, phase, source, period)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatalf("no benchmark %s %s %s %s %s", metric, measure, phase, source, period)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for i, c := range cols {
		out[c] = vals[i]
	}
	return out
}

// wantCell is how the workbook shows a warehouse figure: a number, or ""
// for null.
func wantCell(t *testing.T, v any) string {
	t.Helper()
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return fmt.Sprint(x)
	case int64:
		return fmt.Sprint(x)
	case string:
		return x
	}
	t.Fatalf("unexpected %T %v", v, v)
	return ""
}

// sameNumber compares a cell with a warehouse figure (cells keep 15
// significant digits).
func sameNumber(t *testing.T, got string, want any) bool {
	t.Helper()
	if want == nil {
		return got == ""
	}
	return got != "" && near(parseFloat(t, got), want.(float64))
}

func TestWorkbookComparison(t *testing.T) {
	ctx := context.Background()
	db := openWarehouse(t)
	out := t.TempDir()
	paths, err := Workbooks(ctx, db, out, Options{Priorities: []int{1, 2}, SuppressBelow: 5})
	if err != nil {
		t.Fatal(err)
	}
	p1 := openXLSX(t, paths[0])
	const sheet = "p1_ehcp_20wk_pct"
	c := readComparison(t, sheetRows(t, p1, sheet))

	t.Run("rows: one per period and source, repeats left out", func(t *testing.T) {
		type key struct{ Measure, Source, Period string }
		var got []key
		for _, r := range c.records {
			source, _, _ := strings.Cut(r["Published source"], ":")
			got = append(got, key{r["Measure"], source, r["Period"]})
		}
		// EES repeats LAIT's 2022 and 2023 figures: shown once, from LAIT.
		// Its 2024 figures differ: shown too.
		want := []key{
			{"headline", "LAIT", "2022"}, {"headline", "LAIT", "2023"}, {"headline", "LAIT", "2024"},
			{"headline", "EES", "2024"}, {"incl exceptions", "LAIT", "2024"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("comparison rows (-want +got):\n%s", diff)
		}
		if !slices.ContainsFunc(c.lines, func(l string) bool {
			return strings.HasPrefix(l, "EES publishes the same figures as LAIT in 2 of the rows below")
		}) {
			t.Errorf("no note on the repeated EES figures in %q", c.lines)
		}
		if got := c.records[0]["Published source"]; got != "LAIT: EHC plans issued within 20 weeks (excluding exceptions)" {
			t.Errorf("source = %q, want the source and the indicator's label", got)
		}
		if got := c.records[3]["Published source"]; got != "EES: PC_plans_issued_20_weeks_ex" {
			t.Errorf("source without a label = %q, want the indicator", got)
		}
	})

	t.Run("cells equal indicators.benchmarks", func(t *testing.T) {
		measures := map[string]string{"headline": "value", "incl exceptions": "incl_exceptions"}
		figures := map[string]string{
			"Hackney (published)": "hackney_published", "Hackney (planmetrics)": "hackney_computed",
			"Difference from published": "difference", "SN average": "sn_average", "London": "london",
			"Inner London": "inner_london", "England": "england", "Change on previous period": "change",
		}
		for _, r := range c.records {
			source, _, _ := strings.Cut(r["Published source"], ":")
			want := benchmarkRow(t, db, sheet, measures[r["Measure"]], "all", strings.ToLower(source), r["Period"])
			name := fmt.Sprintf("%s %s %s", r["Measure"], source, r["Period"])
			for header, col := range figures {
				if header == "Hackney (published)" && want[col] == nil && want["hackney_symbol"] != nil {
					if r[header] != want["hackney_symbol"] {
						t.Errorf("%s: %s = %q, want the published symbol %v", name, header, r[header], want["hackney_symbol"])
					}
					continue
				}
				if !sameNumber(t, r[header], want[col]) {
					t.Errorf("%s: %s = %q, want %v", name, header, r[header], want[col])
				}
			}
			ranks := map[string][2]string{
				"Rank of LAs": {"rank", "rank_of"}, "Rank among neighbours": {"sn_rank", "sn_rank_of"},
				"Neighbours with a value": {"sn_with_value", "sn_count"},
			}
			for header, cols := range ranks {
				w := ""
				if want[cols[0]] != nil {
					w = wantCell(t, want[cols[0]]) + " of " + wantCell(t, want[cols[1]])
				}
				if r[header] != w {
					t.Errorf("%s: %s = %q, want %q", name, header, r[header], w)
				}
			}
			if r["Quartile band"] != wantCell(t, want["quartile"]) {
				t.Errorf("%s: quartile = %q, want %v", name, r["Quartile band"], want["quartile"])
			}
		}
		if got := c.records[2]["Rank of LAs"]; got != "23 of 153" {
			t.Errorf("LAIT 2024 rank = %q, want 23 of 153", got)
		}
		if got := c.records[4]["Hackney (published)"]; got != "c" {
			t.Errorf("published symbol = %q, want c as published", got)
		}
		// The 2023 England figure is missing: an empty cell, a gap in the chart.
		if got := c.records[1]["England"]; got != "" {
			t.Errorf("missing England figure = %q, want an empty cell", got)
		}
	})

	t.Run("chart of the headline series", func(t *testing.T) {
		parts := zipParts(t, paths[0])
		var charts []string
		for name, body := range parts {
			if regexp.MustCompile(`^xl/charts/chart\d+\.xml$`).MatchString(name) && strings.Contains(body, "SN average and England") {
				charts = append(charts, html.UnescapeString(body))
			}
		}
		if len(charts) != 1 {
			t.Fatalf("%d comparison charts in priority 1, want 1 (only %s has published data)", len(charts), sheet)
		}
		body := charts[0]
		if n := strings.Count(body, "<ser>"); n != 3 {
			t.Errorf("%d series, want Hackney (published), SN average and England", n)
		}
		// Each line points at its column of the table's LAIT headline rows.
		for _, h := range []string{"Hackney (published)", "SN average", "England"} {
			col := slices.Index(c.columns, h) + 1
			if want := ref(sheet, col, c.header+1, col, c.header+3); !strings.Contains(body, "<f>"+want+"</f>") {
				t.Errorf("chart has no series %s over %s", h, want)
			}
		}
		if want := ref(sheet, 1, c.header+1, 1, c.header+3); !strings.Contains(body, "<f>"+want+"</f>") {
			t.Errorf("chart categories are not the periods %s", want)
		}
		if !strings.Contains(body, `<dispBlanksAs val="gap"`) {
			t.Error("a missing figure must be a gap, not zero")
		}
		if !slices.ContainsFunc(mapValues(parts), func(b string) bool {
			return strings.Contains(html.UnescapeString(b), `descr="Line chart of EHC plans issued within 20 weeks (LAIT) for Hackney's published figure`)
		}) {
			t.Error("comparison chart without alt text")
		}
	})

	t.Run("metric without published data has no comparison", func(t *testing.T) {
		for _, s := range []string{"p1_sen_support_pct", "p1_ehc_requests", "p1_high_needs_balance"} {
			if got := readComparison(t, sheetRows(t, p1, s)); got.heading != 0 {
				t.Errorf("%s has a comparison at row %d", s, got.heading)
			}
		}
	})

	t.Run("summary rank and quartile", func(t *testing.T) {
		rows := sheetRows(t, p1, "Summary")
		r := lookup(t, rows, "", "Metric id", sheet)
		if got := r.get("Rank of LAs (published)"); got != "23 of 153 (2024)" {
			t.Errorf("Summary rank = %q, want the latest LAIT rank 23 of 153 (2024)", got)
		}
		if got := r.get("Quartile band"); got != "A" {
			t.Errorf("Summary quartile = %q, want A", got)
		}
		r = lookup(t, rows, "", "Metric id", "p1_sen_support_pct")
		if got := r.get("Rank of LAs (published)") + r.get("Quartile band"); got != "" {
			t.Errorf("metric without published data: rank and quartile %q, want blank", got)
		}
	})

	t.Run("notes and definitions explain it", func(t *testing.T) {
		notes := sheetRows(t, p1, "Notes")
		for _, prefix := range []string{"Rank of LAs:", "Quartile band:", "SN average:", "Compared with published data:"} {
			if !slices.ContainsFunc(notes, func(r []string) bool { return len(r) > 1 && strings.HasPrefix(r[1], prefix) }) {
				t.Errorf("no note starting %q", prefix)
			}
		}
		r := lookup(t, sheetRows(t, p1, "Definitions"), "", "Metric id", sheet)
		if got, want := r.get("Compared with (published)"), "LAIT: SEN_EHC_Excpt_20wks, SEN_EHC_All_20wks; EES: PC_plans_issued_20_weeks_ex"; got != want {
			t.Errorf("compared with = %q, want %q", got, want)
		}
	})

	t.Run("suppressed computed figure shows c", func(t *testing.T) {
		p2 := openXLSX(t, paths[1])
		c := readComparison(t, sheetRows(t, p2, "p2_suspension_rate"))
		byKey := map[string]map[string]string{}
		for _, r := range c.records {
			byKey[r["Phase"]+" "+r["Period"]] = r
		}
		special := byKey["special 2024/25"]
		if special == nil {
			t.Fatalf("no special phase row in %v", c.records)
		}
		// 3 suspensions in the special phase: our own figure is suppressed,
		// the published one is public.
		for _, h := range []string{"Hackney (planmetrics)", "Difference from published"} {
			if special[h] != "c" {
				t.Errorf("special phase %s = %q, want c", h, special[h])
			}
		}
		want := benchmarkRow(t, db, "p2_suspension_rate", "value", "special", "lait", "2024/25")
		if !sameNumber(t, special["Hackney (published)"], want["hackney_published"]) {
			t.Errorf("published figure = %q, want %v (public, never suppressed)", special["Hackney (published)"], want["hackney_published"])
		}
		total := byKey["all 2023/24"]
		want = benchmarkRow(t, db, "p2_suspension_rate", "value", "all", "lait", "2023/24")
		if !sameNumber(t, total["Hackney (planmetrics)"], want["hackney_computed"]) {
			t.Errorf("computed figure = %q, want %v", total["Hackney (planmetrics)"], want["hackney_computed"])
		}
		// Hackney's 2024/25 figure is published as x: no chart, and it says why.
		if got := byKey["all 2024/25"]["Hackney (published)"]; got != "x" {
			t.Errorf("published symbol = %q, want x", got)
		}
		if !slices.ContainsFunc(c.lines, func(l string) bool { return strings.HasPrefix(l, "No chart:") }) {
			t.Errorf("no line saying why there is no chart in %q", c.lines)
		}
		for name, body := range zipParts(t, paths[1]) {
			if strings.HasPrefix(name, "xl/charts/") && strings.Contains(body, "SN average and England") {
				t.Errorf("%s: a comparison chart with a symbol in Hackney's series", name)
			}
		}
	})

	t.Run("unsuppressed copy shows the computed figure", func(t *testing.T) {
		paths, err := Workbooks(ctx, db, t.TempDir(), Options{Priorities: []int{2}, SuppressBelow: 5, NoSuppress: true})
		if err != nil {
			t.Fatal(err)
		}
		c := readComparison(t, sheetRows(t, openXLSX(t, paths[0]), "p2_suspension_rate"))
		i := slices.IndexFunc(c.records, func(r map[string]string) bool { return r["Phase"] == "special" })
		if i < 0 {
			t.Fatal("no special phase row")
		}
		want := benchmarkRow(t, db, "p2_suspension_rate", "value", "special", "lait", "2024/25")
		if got := c.records[i]["Hackney (planmetrics)"]; !sameNumber(t, got, want["hackney_computed"]) {
			t.Errorf("unsuppressed computed figure = %q, want %v", got, want["hackney_computed"])
		}
	})
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestWorkbookWithoutBenchmarks: a warehouse built before benchmarks
// existed has no indicators.benchmarks; the workbook has no comparison and
// no rank columns.
func TestWorkbookWithoutBenchmarks(t *testing.T) {
	ctx := context.Background()
	db := openWarehouse(t)
	p, err := LoadPriority(ctx, db, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Benchmarks) == 0 {
		t.Fatal("fixture has no benchmarks for priority 1")
	}
	p.Benchmarks = nil // as loadBenchmarks returns for a warehouse without the table
	p.Suppress(5)
	path := filepath.Join(t.TempDir(), "priority-1.xlsx")
	if err := WriteWorkbook(path, p, Options{}); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, path)
	if c := readComparison(t, sheetRows(t, f, "p1_ehcp_20wk_pct")); c.heading != 0 {
		t.Errorf("comparison at row %d without benchmarks", c.heading)
	}
	rows := sheetRows(t, f, "Summary")
	r := lookup(t, rows, "", "Metric id", "p1_ehcp_20wk_pct")
	if slices.Contains(r.header, "Rank of LAs (published)") {
		t.Errorf("Summary has rank columns without benchmarks: %v", r.header)
	}

	// And loading from a warehouse that has no such table is not an error.
	bare := openBareWarehouse(t)
	bs, err := loadBenchmarks(ctx, bare, 0)
	if err != nil || bs != nil {
		t.Errorf("loadBenchmarks without the table = %v, %v; want none and no error", bs, err)
	}
}

func TestSuppressBenchmarks(t *testing.T) {
	day := func(s string) sql.Null[time.Time] {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return sql.Null[time.Time]{V: d, Valid: true}
	}
	num := func(f float64) sql.Null[float64] { return sql.Null[float64]{V: f, Valid: true} }
	total := func(period, ptype string, start sql.Null[time.Time], numerator float64) Value {
		return Value{MetricID: "m", Measure: "value", Period: period, PeriodType: ptype, PeriodStart: start,
			GeographyLevel: "borough", GeographyCode: HackneyCode, Phase: all, Breakdown: all, BreakdownValue: all,
			Numerator: num(numerator), Denominator: num(100), Value: num(numerator), Unit: "percent"}
	}
	bench := func(period string, computed bool) Benchmark {
		b := Benchmark{MetricID: "m", Measure: "value", Phase: all, Period: period, HackneyPublished: num(5)}
		if computed {
			b.HackneyComputed = num(4)
		}
		return b
	}
	for _, tt := range []struct {
		name      string
		values    []Value
		bench     Benchmark
		threshold int
		want      bool
	}{
		{"shown value", []Value{total("2024/25", "academic_year", day("2024-09-01"), 40)}, bench("2024/25", true), 5, false},
		{"suppressed value", []Value{total("2024/25", "academic_year", day("2024-09-01"), 3)}, bench("2024/25", true), 5, true},
		{"census counts in its academic year", []Value{total("2025-01-16", "census", day("2025-01-16"), 3)}, bench("2024/25", true), 5, true},
		{"census without a start date", []Value{total("2025-01-16", "census", sql.Null[time.Time]{}, 40)}, bench("2024/25", true), 5, false},
		{"other period's suppression does not matter", []Value{total("2023/24", "academic_year", day("2023-09-01"), 3),
			total("2024/25", "academic_year", day("2024-09-01"), 40)}, bench("2024/25", true), 5, false},
		{"no value to check against", nil, bench("2024/25", true), 5, true},
		{"no computed figure", []Value{total("2024/25", "academic_year", day("2024-09-01"), 3)}, bench("2024/25", false), 5, false},
		{"suppression off", []Value{total("2024/25", "academic_year", day("2024-09-01"), 3)}, bench("2024/25", true), 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &Priority{Values: tt.values, Benchmarks: []Benchmark{tt.bench}}
			p.Suppress(tt.threshold)
			if got := p.Benchmarks[0].ComputedSuppressed; got != tt.want {
				t.Errorf("computed suppressed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestComparisonRows(t *testing.T) {
	num := func(f float64) sql.Null[float64] { return sql.Null[float64]{V: f, Valid: true} }
	b := func(measure, phase, source, period string, hackney float64) *Benchmark {
		return &Benchmark{MetricID: "m", Measure: measure, Phase: phase, Source: source, Indicator: source + "_ind",
			Period: period, PeriodType: "academic_year", HackneyPublished: num(hackney), England: num(10)}
	}
	in := []*Benchmark{
		b("value", "primary", "lait", "2023/24", 1),
		b("count", all, "lait", "2023/24", 9),
		b("value", all, "scorecard", "2023/24", 3),
		b("value", all, "ees", "2023/24", 3),
		b("value", all, "lait", "2023/24", 3),
		b("value", all, "ees", "2022/23", 2.5),
		b("value", all, "lait", "2022/23", 2),
	}
	rows, repeats := comparisonRows("value", in)
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join([]string{r.Measure, r.Phase, r.Source, r.Period}, " "))
	}
	want := []string{
		// headline measure, phase all, LAIT first; EES's 2023/24 and the
		// scorecard's repeat LAIT's and are left out, EES's 2022/23 differs.
		"value all lait 2022/23", "value all lait 2023/24", "value all ees 2022/23",
		"value primary lait 2023/24",
		"count all lait 2023/24",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	wantRepeats := []repeat{{source: "EES", kept: "LAIT", periods: 1}, {source: "Scorecard", kept: "LAIT", periods: 1}}
	if diff := cmp.Diff(wantRepeats, repeats, cmp.AllowUnexported(repeat{})); diff != "" {
		t.Errorf("repeats (-want +got):\n%s", diff)
	}
}
