package benchmark

import (
	"archive/zip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

func TestDetect(t *testing.T) {
	dir := t.TempDir()
	csvs := []struct {
		name, content string
		want          string // "" = not a benchmark file
	}{
		{"ees.csv", "\ufefftime_period,time_identifier,geographic_level,country_code,x\n2024,Calendar year,National,E92000001,1\n", TypeEES},
		{"ees.meta.csv", "col_name,col_type,label\nx,Indicator,X\n", TypeEES},
		{"lait.csv", "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\nA,,2025,Hackney,1,204,Inner London\n", TypeLAIT},
		{"dictionary.csv", `"Measure_code","Topic","Measure","Measure_short","Polarity"` + "\n1,t,m,M,High\n", TypeLAIT},
		{"scorecard.csv", "Year,geographic_level,country_code,LANumber,new_la_code,LA_name,Quan_P_UP\n2024/25,National,E92000001,0,,England,13.8\n", TypeScorecard},
		{"metadata.csv", "programmer_friendly_names,user_friendly_names\nQuan_P_UP,Unfilled\n", TypeScorecard},
		{"census.csv", "census_date,urn,upn,ncy,gender\n2025-01-16,100000,A123,7,F\n", ""},
		{"empty.csv", "", ""},
	}
	for _, c := range csvs {
		writeFile(t, dir, c.name, c.content)
	}
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"urn", "school_name", "phase"})
	if err := f.SaveAs(filepath.Join(dir, "schools.xlsx")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	writeNeighbours(t, dir, map[int][]int{204: hackneySNs})
	writeZip(t, filepath.Join(dir, "release.zip"), map[string]string{"data/a.csv": suppressedEES, "readme.txt": "hello"})
	writeZip(t, filepath.Join(dir, "other.zip"), map[string]string{"x.csv": "a,b\n1,2\n"})

	tests := []struct {
		file    string
		want    string
		wantErr bool
	}{
		{file: "sn.xlsx", want: TypeStatisticalNeighbours},
		{file: "schools.xlsx"},
		{file: "release.zip", want: TypeEES},
		{file: "other.zip"},
		{file: "empty.csv", wantErr: true},
	}
	for _, c := range csvs {
		if c.name != "empty.csv" {
			tests = append(tests, struct {
				file    string
				want    string
				wantErr bool
			}{file: c.name, want: c.want})
		}
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, ok, err := Detect(filepath.Join(dir, tt.file))
			if (err != nil) != tt.wantErr {
				t.Fatalf("Detect error = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Detect = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}

func zipOf(t *testing.T, dir, name string, members map[string]string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	writeZip(t, p, members)
	return p
}

func writeZip(t *testing.T, p string, members map[string]string) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	for _, name := range sortedKeys(members) {
		m, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		m.Write([]byte(members[name]))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// TestLoadWrongType: a file forced to another type, or of no type, is
// rejected saying what it is.
func TestLoadWrongType(t *testing.T) {
	dir := t.TempDir()
	ees := writeFile(t, dir, "scores.csv", suppressedEES)
	db := newWarehouse(t)
	if err := applySchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, typ, want string
		is              error
	}{
		{ees, TypeLAIT, "scores.csv: not a lait file: it is an EES tidy data file (load it as --return ees)", ErrNotBenchmark},
		{ees, TypeStatisticalNeighbours, "scores.csv: not a statistical neighbours workbook: cannot be opened as an .xlsx workbook", ErrNotBenchmark},
		{ees, "pupils", `unknown benchmark return type "pupils": use one of ees, lait, statistical_neighbours, scorecard`, ErrUnknownType},
		{writeFile(t, dir, "census.csv", "census_date,urn\n2025-01-16,1\n"), "", "census.csv: not a benchmark file: a benchmark CSV is an EES tidy file", ErrNotBenchmark},
		{zipOf(t, dir, "release.zip", map[string]string{"data/scores.csv": suppressedEES}), TypeLAIT,
			"release.zip: no member of the zip is a benchmark table", ErrNotBenchmark},
	}
	for _, tt := range tests {
		_, err := load(t, db, 1, tt.path, tt.typ)
		if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%s, %q) = %v; want %v containing %q", filepath.Base(tt.path), tt.typ, err, tt.is, tt.want)
		}
	}
	if n := queryValue[int64](t, db, `select count(*) from benchmark.values`); n != 0 {
		t.Errorf("%d values loaded from rejected files", n)
	}
}

// TestLoadRejectsAndSkips: rows that cannot be placed go to meta.rejects
// with line, column, value and reason; rows of other geographic levels are
// skipped; the counts reconcile.
func TestLoadRejectsAndSkips(t *testing.T) {
	content := eesHeader + `,score
202425,Academic year,National,E92000001,England,,,,,,1
,Academic year,Local authority,E92000001,England,E12000007,London,E09000012,204,Hackney,2
202425,Academic year,Regional,E92000001,England,W92000004,Wales,,,,3
202425,Academic year,Local authority,E92000001,England,E12000007,London,,,Nowhere,4
202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000028,,,5
202425,Academic year,Local Authority District,E92000001,England,E12000007,London,,,,6
202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000012,204,Hackney,banana
`
	db := newWarehouse(t)
	res, err := load(t, db, 7, writeFile(t, t.TempDir(), "bad.csv", content), "")
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsRead != 6 || res.RowsAccepted != 3 || res.RowsRejected != 3 || res.RowsSkipped != 1 {
		t.Errorf("counts read %d accepted %d rejected %d skipped %d; want 6, 3, 3, 1", res.RowsRead, res.RowsAccepted, res.RowsRejected, res.RowsSkipped)
	}
	rows, err := db.Query(`select row_number, column_name, coalesce(value, ''), message from meta.rejects where load_id = 7 order by row_number`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var n int
		var col, val, msg string
		rows.Scan(&n, &col, &val, &msg)
		got = append(got, strings.Join([]string{"bad.csv", strconv.Itoa(n), col, val, msg}, ":"))
	}
	rows.Close()
	want := []string{
		"bad.csv:3:time_period::the period is blank",
		"bad.csv:4:region_code:W92000004:region code W92000004 is not an English region (E12000001 to E12000009, E13000001 Inner London, E13000002 Outer London)",
		"bad.csv:5:old_la_code::no LA number: old_la_code is blank or not a number and new_la_code (blank) is not a known LA code",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
	// The LA known only by its new code is placed by it; the stray text is
	// kept as a symbol and noted.
	if n := queryValue[int64](t, db, `select la_number from benchmark.values where area_code = 'E09000028'`); n != 210 {
		t.Errorf("E09000028 placed as LA %d, want 210", n)
	}
	if s := queryValue[string](t, db, `select symbol from benchmark.values where la_number = 204`); s != "banana" {
		t.Errorf("symbol %q", s)
	}
	if w := queryValue[string](t, db, `select rule || ' ' || row_number || ' ' || column_name || ' ' || value from meta.warnings where load_id = 7`); w != "unknown_symbol 8 score banana" {
		t.Errorf("warning %q", w)
	}
}

// TestLoadSupersedesAndRollsBack: the same file loaded again replaces its
// rows; a load rolled back leaves nothing, the statistical neighbours
// (written with the Appender) included.
func TestLoadSupersedesAndRollsBack(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "scores.csv", suppressedEES)
	db := newWarehouse(t)
	for id := int64(1); id <= 2; id++ {
		if _, err := load(t, db, id, p, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := queryValue[string](t, db, `select count(*) || ' ' || min(load_id) || ' ' || count(distinct load_id) from benchmark.values`); got != "16 2 1" {
		t.Errorf("after loading twice: values, first load, loads = %s; want 16 2 1", got)
	}

	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.ExecContext(ctx, "begin transaction")
	if _, err := Load(ctx, conn, 3, writeNeighbours(t, dir, map[int][]int{204: hackneySNs}), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, conn, 3, p, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "rollback"); err != nil {
		t.Fatal(err)
	}
	if got := queryValue[string](t, db, `select (select count(*) from benchmark.statistical_neighbours) || ' ' ||
		(select max(load_id) from benchmark.values)`); got != "0 2" {
		t.Errorf("after rollback: neighbours, latest load = %s; want 0 2", got)
	}
}

// TestLoadZip: a release zip's .meta.csv decides filters and indicators (a
// numeric filter stays a filter) and gives labels; its data guidance gives
// descriptions; members in no benchmark format are skipped with a warning.
func TestLoadZip(t *testing.T) {
	data := eesHeader + ",year_group,pupils,pc_good\n" +
		laRow("202425", 204, "E09000012", "Hackney", "7", "100", "55.5") + "\n" +
		laRow("202425", 204, "E09000012", "Hackney", "8", "90", "c") + "\n"
	meta := "col_name,col_type,label,indicator_unit,indicator_dp\nyear_group,Filter,Year group,,\npupils,Indicator,Pupils,,0\npc_good,Indicator,Good (%),%,1\n"
	guidance := "Filename: outcomes.csv\nVariable name | Variable description\n------ | ------\npc_good | Percentage of pupils doing well\n"
	dir := t.TempDir()
	p := filepath.Join(dir, "release.zip")
	writeZip(t, p, map[string]string{
		"data/outcomes.csv":               data,
		"data/outcomes.meta.csv":          meta,
		"data-guidance/data-guidance.txt": guidance,
		"supporting-files/table.csv":      "Table 1: something\n,,\n",
		"supporting-files/methods.pdf":    "%PDF",
	})
	db := newWarehouse(t)
	res, err := load(t, db, 4, p, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"release.zip!data/outcomes.csv"}, res.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(res.Warnings) != 2 {
		t.Errorf("warnings %q, want two skipped members", res.Warnings)
	}
	got := queryValue[string](t, db, `select string_agg(indicator || ' ' || filters || ' ' || coalesce(value::varchar, symbol), '; ' order by indicator, filters)
		from benchmark.values`)
	want := `pc_good {"year_group":"7"} 55.5; pc_good {"year_group":"8"} c; pupils {"year_group":"7"} 100.0; pupils {"year_group":"8"} 90.0`
	if got != want {
		t.Errorf("values\n%s\nwant\n%s", got, want)
	}
	label := queryValue[string](t, db, `select label || ' | ' || description || ' | ' || unit || ' | ' || decimals from benchmark.indicators where indicator = 'pc_good'`)
	if label != "Good (%) | Percentage of pupils doing well | % | 1" {
		t.Errorf("label %q", label)
	}
}

// TestColumnHeuristic: without a .meta.csv, a column of numbers with a
// "Total" is a filter, and a column of numbers with one stray text is an
// indicator (the text kept as a symbol).
func TestColumnHeuristic(t *testing.T) {
	var b strings.Builder
	b.WriteString(eesHeader + ",ncyear,score\n")
	for i := 0; i < 150; i++ {
		year := []string{"7", "8", "9", "10", "11", "Total"}[i%6]
		v := strconv.Itoa(i)
		if i == 99 {
			v = "n.a."
		}
		b.WriteString(laRow("20"+strconv.Itoa(10+i%10)+strconv.Itoa(11+i%10), 204, "E09000012", "Hackney", year, v) + "\n")
	}
	db := newWarehouse(t)
	res, err := load(t, db, 1, writeFile(t, t.TempDir(), "h.csv", b.String()), "")
	if err != nil {
		t.Fatal(err)
	}
	got := queryValue[string](t, db, `select string_agg(distinct indicator, ',') || ' ' || count(*) || ' ' || count(value) || ' ' ||
		count(*) filter (where filters like '{"ncyear":%')
		from benchmark.values`)
	if got != "score 150 149 150" {
		t.Errorf("indicators, values, with value, with the ncyear filter = %s; want score 150 149 150", got)
	}
	if len(res.Warnings) != 1 {
		t.Errorf("warnings %q, want one (the stray text)", res.Warnings)
	}
}

// TestLoadLAIT: LAIT's long CSV, with its dictionary loaded first for the
// year type: '-' is a symbol, LA numbers place areas, a bad LA number is
// rejected.
func TestLoadLAIT(t *testing.T) {
	dir := t.TempDir()
	dict := writeFile(t, dir, "lait_data_dictionary.csv", "Measure_code,Topic,Measure,Measure_short,Polarity,y_axis_name,Year_Type,dps\n"+
		"230,SEN,% with EHCP,SEN_TotStat,NA,% pupils,Academic Year,1\n60,Ex,Permanent exclusions,TotPermEx,Low,%,Academic Year,2\n")
	bds := writeFile(t, dir, "lait_bds.csv", "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\n"+
		"SEN_TotStat,,2025,Hackney,6.3,204,Inner London\n"+
		"SEN_TotStat,,2025,England,5.3,970,NA\n"+
		"SEN_TotStat,,2025,London (Inner),-,987,NA\n"+
		"SEN_TotStat,,2025 (Rev),Hackney,6.4,204,Inner London\n"+
		"TotPermEx,,2023/24,Hackney,0.15783,204,Inner London\n"+
		"TotPermEx,,2023/24,Nowhere,0.1,975,NA\n"+
		"TotPermEx,,2023/24,Somewhere,0.1,abc,NA\n")
	db := newWarehouse(t)
	if _, err := load(t, db, 1, dict, ""); err != nil {
		t.Fatal(err)
	}
	res, err := load(t, db, 2, bds, TypeLAIT)
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsRead != 7 || res.RowsRejected != 2 {
		t.Errorf("read %d rejected %d, want 7 and 2", res.RowsRead, res.RowsRejected)
	}
	got := queryValue[string](t, db, `select string_agg(indicator || ' ' || time_period || ' ' || coalesce(period, '?') || ' ' ||
		geographic_level || ' ' || la_number || ' ' || area_code || ' ' || coalesce(value::varchar, symbol), '; '
		order by indicator, time_period, la_number) from benchmark.values`)
	want := "SEN_TotStat 2025 2024/25 Local authority 204 E09000012 6.3; SEN_TotStat 2025 2024/25 National 970 E92000001 5.3; " +
		"SEN_TotStat 2025 2024/25 Regional 987 E13000001 -; SEN_TotStat 2025 (Rev) 2024/25 Local authority 204 E09000012 6.4; " +
		"TotPermEx 2023/24 2023/24 Local authority 204 E09000012 0.15783"
	if got != want {
		t.Errorf("values\n%s\nwant\n%s", got, want)
	}
	msgs := queryValue[string](t, db, `select string_agg(column_name || '=' || value || ': ' || message, ' | ' order by row_number) from meta.rejects`)
	if msgs != "LA Number=975: LA Number 975 is not an LA (below 970), England (970) or a region (980-990) | "+
		"LA Number=abc: LA Number must be a whole number (an LA below 970, England 970, a region 980-990)" {
		t.Errorf("rejects %q", msgs)
	}
	// The revised 2025 figure wins in the comparison.
	if _, err := Compare(context.Background(), db, seedFS("p1_ehcp_pct,value,all,lait,SEN_TotStat,,academic_year,none,,,")); err != nil {
		t.Fatal(err)
	}
	if v := queryValue[float64](t, db, `select hackney_published from indicators.benchmarks`); v != 6.4 {
		t.Errorf("Hackney %v, want the revised 6.4", v)
	}
}

func TestPlanPeriod(t *testing.T) {
	db := newWarehouse(t)
	if err := applySchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ tp, ptype, want string }{
		{"202425", "academic_year", "2024/25"},
		{"202425", "", "2024/25"},
		{"201516", "financial_year", "2015-16"},
		{"199900", "academic_year", "1999/00"},
		{"2024", "calendar_year", "2024"},
		{"2024", "", "2024"},
		{"2025", "academic_year", "2024/25"},
		{"2025", "financial_year", "2024-25"},
		{"2025 (Rev)", "academic_year", "2024/25"},
		{"2025 (prov)", "calendar_year", "2025"},
		{"2023/24", "academic_year", "2023/24"},
		{"2023/24", "financial_year", "2023-24"},
		{"2023-24 (OT)", "financial_year", "2023-24"},
		{"2024/2025", "academic_year", "2024/25"},
		{"2015-17", "calendar_year", "2015-17"},
		{"2021/22-23/24", "academic_year", "2021/22-23/24"},
	}
	for _, tt := range tests {
		got := queryValue[string](t, db, `select benchmark.plan_period(?, nullif(?, ''))`, tt.tp, tt.ptype)
		if got != tt.want {
			t.Errorf("plan_period(%q, %q) = %q, want %q", tt.tp, tt.ptype, got, tt.want)
		}
	}
	for ti, want := range map[string]string{"Calendar year": "calendar_year", "Academic year": "academic_year",
		"Financial year": "financial_year", "Spring term": "academic_year", "Academic Year": "academic_year",
		"Financial Year Q1": "financial_year", "January": "calendar_year", "Annual (end of Sept)": ""} {
		if got := queryValue[string](t, db, `select coalesce(benchmark.period_type_of(?), '')`, ti); got != want {
			t.Errorf("period_type_of(%q) = %q, want %q", ti, got, want)
		}
	}
}
