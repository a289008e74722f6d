package benchmark

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"planmetrics/internal/warehouse"
	"planmetrics/seeds"
)

// Tests against DfE's own files in ../shared/data/real (README there). They
// skip, saying why, when the folder is absent. The files are loaded once,
// into one warehouse, in the order of realFiles, and compared with the
// project's seed; each test then checks its part.

// realFiles are the files of the folder, each with what loading it gives.
var realFiles = []struct {
	file     string
	wantType string // "" = rejected
	wantErr  string // part of the rejection message
	minRows  int64
}{
	{file: "lait/lait_data_dictionary.csv", wantType: TypeLAIT, minRows: 400},
	{file: "lait/bds_long_0.parquet", wantType: TypeLAIT, minRows: 600000},
	{file: "lait/sn_may_2025.xlsx", wantType: TypeStatisticalNeighbours, minRows: 158},
	{file: "lait/la_code_list.xlsx", wantErr: `la_code_list.xlsx: not a benchmark file: an .xlsx is loaded only when it is the DfE statistical neighbours workbook (a header row with LA num, SN1 ... SN10); its first sheet "Sheet1" starts with LA Number, LA Name, Region, Type`},
	{file: "ehcp-2025/education-health-and-care-plans_2025.zip", wantType: TypeEES, minRows: 190000},
	{file: "school-balances/la_maintained_schools_revenue_reserve_final.csv", wantType: TypeEES, minRows: 5000},
	{file: "school-places-scorecards/scorecard_data_2025_2023.csv", wantType: TypeScorecard, minRows: 462},
	{file: "school-places-scorecards/metadata.csv", wantType: TypeScorecard, minRows: 200},
	{file: "exclusions-2006-2017/clean_la_data.csv", wantErr: "clean_la_data.csv: not a benchmark file: a benchmark CSV is an EES tidy file (columns time_period, time_identifier, geographic_level"},
	{file: "high-needs-finance/DSG_by_year_dr.xlsx", wantErr: `its first sheet "dsg_budget_20" starts with la_code, la_name, Total DSG allocation (£s), time_period`},
	{file: "high-needs-finance/Outturn data 202122.xlsx", wantErr: "Outturn data 202122.xlsx: not a benchmark file: an .xlsx is loaded only when it is the DfE statistical neighbours workbook"},
	{file: "high-needs-finance/dsg_deficit_derived.xlsx", wantErr: "dsg_deficit_derived.xlsx: not a benchmark file: an .xlsx is loaded only when it is the DfE statistical neighbours workbook"},
	{file: "README.md", wantErr: "README.md: not a benchmark file"},
}

type realLoad struct {
	res  Result
	err  error
	took time.Duration
}

var realFix struct {
	once        sync.Once
	compareTook time.Duration
	db          *sql.DB
	loads       map[string]realLoad
	compare     error
	setup       error
}

// realWarehouse loads every real file once (or skips the test when the
// folder is absent) and returns the warehouse.
func realWarehouse(t *testing.T) *sql.DB {
	t.Helper()
	dir := realData(t)
	realFix.once.Do(func() {
		tmp, err := os.MkdirTemp("", "planmetrics-benchmark-test-")
		if err != nil {
			realFix.setup = err
			return
		}
		cleanups = append(cleanups, func() { os.RemoveAll(tmp) })
		s, err := warehouse.Begin(context.Background(), filepath.Join(tmp, "w.duckdb"), "test")
		if err != nil {
			realFix.setup = err
			return
		}
		cleanups = append(cleanups, func() { s.Abort() })
		realFix.db, realFix.loads = s.DB, map[string]realLoad{}
		for i, f := range realFiles {
			start := time.Now()
			res, err := loadTx(s.DB, int64(i+1), filepath.Join(dir, f.file), "")
			realFix.loads[f.file] = realLoad{res, err, time.Since(start)}
		}
		start := time.Now()
		_, realFix.compare = Compare(context.Background(), s.DB, seeds.FS)
		realFix.compareTook = time.Since(start)
	})
	if realFix.setup != nil {
		t.Fatal(realFix.setup)
	}
	if realFix.compare != nil {
		t.Fatalf("Compare: %v", realFix.compare)
	}
	return realFix.db
}

// TestRealFiles: every real file loads as its type, or is rejected with a
// message that says what the file is and what a benchmark file looks like.
func TestRealFiles(t *testing.T) {
	dir := realData(t)
	realWarehouse(t)
	// Every file in the folder has a case: a new file needs one.
	covered := map[string]bool{}
	for _, tt := range realFiles {
		covered[tt.file] = true
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			if !covered[filepath.ToSlash(rel)] {
				t.Errorf("%s has no case in TestRealFiles", rel)
			}
		}
		return nil
	})

	t.Logf("Compare: %v", realFix.compareTook.Round(time.Millisecond))
	for _, tt := range realFiles {
		t.Run(tt.file, func(t *testing.T) {
			p := filepath.Join(dir, tt.file)
			gotType, ok, err := Detect(p)
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if ok != (tt.wantType != "") || gotType != tt.wantType {
				t.Errorf("Detect = %q, %v; want %q", gotType, ok, tt.wantType)
			}
			l := realFix.loads[tt.file]
			res, err := l.res, l.err
			t.Logf("load %s: %v, %d rows read, %d values", tt.file, l.took.Round(time.Millisecond), res.RowsRead, res.Values)
			if tt.wantType == "" {
				var fe *FileError
				if !errors.As(err, &fe) || !errors.Is(err, ErrNotBenchmark) {
					t.Fatalf("Load error = %v; want a *FileError wrapping ErrNotBenchmark", err)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Load error =\n%v\nwant it to contain\n%s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if res.ReturnType != tt.wantType || res.RowsRead < tt.minRows || res.RowsRead != res.RowsAccepted+res.RowsRejected {
				t.Errorf("Load = %s, read %d (accepted %d, rejected %d); want %s, at least %d read, read = accepted + rejected",
					res.ReturnType, res.RowsRead, res.RowsAccepted, res.RowsRejected, tt.wantType, tt.minRows)
			}
		})
	}
}

// TestRealSENTotStat reproduces DfE's figures for pupils with an EHC plan,
// January 2025 (LAIT SEN_TotStat, Years 2025 = academic year 2024/25).
//
// Worked out from lait/bds_long_0.parquet: Hackney (204) 6.3, England (970)
// 5.3. 158 LA numbers are below 970, 153 with a value (five are "-", LAs
// that no longer exist: Cumbria, Northamptonshire, pre-2019 Dorset, Poole
// and Bournemouth). 22 LAs are
// above 6.3 (Tower Hamlets and Knowsley 7.6, Islington 7.4, ... Enfield and
// Darlington 6.4) and four share 6.3 (North Tyneside, Central Bedfordshire,
// Hackney, Merton): Hackney ranks 23rd of 153, as the plan says. LAIT gives
// SEN_TotStat no polarity, so rank 1 is the highest. The 2025 cut points
// (type 7 over the 153) are 4.9, 5.4 and 6.0, so 6.3 is in the top band, A.
// Hackney's ten neighbours in sn_may_2025.xlsx are Southwark 5.2,
// Islington 7.4, Haringey 5.5, Lambeth 7.0, Tower Hamlets 7.6, Lewisham 6.1,
// Camden 4.2, Manchester 7.0, Waltham Forest 6.2, Westminster 4.8: 61.0 / 10
// = 6.1, and four are above 6.3, so Hackney is 5th of the 11.
func TestRealSENTotStat(t *testing.T) {
	db := realWarehouse(t)
	type row struct {
		Hackney, England, SNAverage, Q1, Median, Q3 float64
		Rank, RankOf, WithoutValue, SNWith, SNRank  int64
		Quartile                                    string
	}
	var got row
	err := db.QueryRowContext(context.Background(), `select hackney_published, england, round(sn_average, 9),
		quartile_q1, quartile_median, quartile_q3, rank, rank_of, las_without_value, sn_with_value, sn_rank, quartile
		from indicators.benchmarks where metric_id = 'p1_ehcp_pct' and source = 'lait' and period = '2024/25'`).Scan(
		&got.Hackney, &got.England, &got.SNAverage, &got.Q1, &got.Median, &got.Q3, &got.Rank, &got.RankOf,
		&got.WithoutValue, &got.SNWith, &got.SNRank, &got.Quartile)
	if err != nil {
		t.Fatal(err)
	}
	want := row{Hackney: 6.3, England: 5.3, SNAverage: 6.1, Q1: 4.9, Median: 5.4, Q3: 6.0,
		Rank: 23, RankOf: 153, WithoutValue: 5, SNWith: 10, SNRank: 5, Quartile: "A"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SEN_TotStat 2024/25 (-want +got):\n%s", diff)
	}

	// The same rank straight from the parquet, without the loader.
	p := filepath.Join(realData(t), "lait", "bds_long_0.parquet")
	above := queryValue[int64](t, db, `select count(*) from read_parquet(?) where "Short Desc" = 'SEN_TotStat'
		and "Years" = '2025' and "LA Number" < 970 and try_cast("Values" as double) > 6.3`, p)
	if above+1 != got.Rank {
		t.Errorf("%d LAs above Hackney in the parquet, rank %d", above, got.Rank)
	}
}

// TestRealEHCPTimeliness reproduces the 2024 20-week figures of the EHC
// plans release (timeliness_20_week.csv, All EHC plans issued): Hackney
// 136 of 314 within 20 weeks excluding exceptions (43.3%) and 186 of 465
// including them (40.0%); England 39,407 of 84,866 (46.4%) and 41,448 of
// 90,392 (45.9%). Hackney's 2023 figures are withheld (x).
func TestRealEHCPTimeliness(t *testing.T) {
	db := realWarehouse(t)
	const q = `select value from benchmark.values where source = 'ees' and dataset = 'timeliness_20_week'
		and indicator = ? and la_number = ? and time_period = '2024'
		and filters = '{"breakdown":"All EHC plans issued","breakdown_topic":"All EHC plans issued"}'`
	tests := []struct {
		indicator string
		la        int
		want      float64
	}{
		{"PC_plans_issued_20_weeks_ex", HackneyLANumber, 43.3},
		{"pc_plans_issued_within_20_weeks", HackneyLANumber, 40},
		{"plans_issued_20_weeks_ex", HackneyLANumber, 136},
		{"plans_issued_den_ex", HackneyLANumber, 314},
		{"PC_plans_issued_20_weeks_ex", englandLANumber, 46.4},
		{"pc_plans_issued_within_20_weeks", englandLANumber, 45.9},
		{"plans_issued_den", englandLANumber, 90392},
	}
	for _, tt := range tests {
		if got := queryValue[float64](t, db, q, tt.indicator, tt.la); got != tt.want {
			t.Errorf("%s for %d = %v, want %v", tt.indicator, tt.la, got, tt.want)
		}
	}
	var h, e float64
	var hs, es sql.NullFloat64
	if err := db.QueryRow(`select b.hackney_published, b.england, i.hackney_published, i.england
		from indicators.benchmarks b join indicators.benchmarks i using (period, source)
		where b.metric_id = 'p1_ehcp_20wk_pct' and b.measure = 'value' and i.measure = 'incl_exceptions'
		  and i.metric_id = b.metric_id and b.source = 'ees' and b.period = '2024'`).Scan(&h, &e, &hs, &es); err != nil {
		t.Fatal(err)
	}
	if h != 43.3 || e != 46.4 || hs.Float64 != 40 || es.Float64 != 45.9 {
		t.Errorf("benchmarks 2024: Hackney %v (incl. exceptions %v), England %v (%v); want 43.3 (40), 46.4 (45.9)", h, hs.Float64, e, es.Float64)
	}
	if got := queryValue[string](t, db, `select hackney_symbol from indicators.benchmarks
		where metric_id = 'p1_ehcp_20wk_pct' and measure = 'value' and source = 'ees' and period = '2023'`); got != "x" {
		t.Errorf("Hackney 2023 symbol = %q, want x", got)
	}
}

// TestRealLAITAgreesWithEES: where LAIT and the EES release both give an
// area's 20-week percentage for a year, they are the same figure.
func TestRealLAITAgreesWithEES(t *testing.T) {
	db := realWarehouse(t)
	var overlap, mismatched, oneMissing int64
	err := db.QueryRow(`
		with l as (
			select la_number, time_period, indicator, value
			from benchmark.values
			where source = 'lait' and indicator in ('SEN_EHC_Excpt_20wks', 'SEN_EHC_All_20wks')
		), e as (
			select la_number, time_period, value,
				case indicator when 'PC_plans_issued_20_weeks_ex' then 'SEN_EHC_Excpt_20wks' else 'SEN_EHC_All_20wks' end as indicator
			from benchmark.values
			where source = 'ees' and dataset = 'timeliness_20_week'
			  and indicator in ('PC_plans_issued_20_weeks_ex', 'pc_plans_issued_within_20_weeks')
			  and filters = '{"breakdown":"All EHC plans issued","breakdown_topic":"All EHC plans issued"}'
		)
		select count(*) filter (where l.value is not null and e.value is not null),
			count(*) filter (where abs(l.value - e.value) > 1e-9),
			count(*) filter (where (l.value is null) <> (e.value is null))
		from l join e using (la_number, time_period, indicator)`).Scan(&overlap, &mismatched, &oneMissing)
	if err != nil {
		t.Fatal(err)
	}
	if overlap < 1800 || mismatched != 0 || oneMissing != 0 {
		t.Errorf("LAIT and EES: %d figures in both, %d differ, %d given by one only; want > 1800, 0, 0", overlap, mismatched, oneMissing)
	}
	// And the comparisons built from either agree.
	var differ int64
	if err := db.QueryRow(`select count(*) from indicators.benchmarks l join indicators.benchmarks e
		using (metric_id, measure, phase, period)
		where l.source = 'lait' and e.source = 'ees' and metric_id = 'p1_ehcp_20wk_pct'
		  and (l.hackney_published is distinct from e.hackney_published or l.england is distinct from e.england
		       or l.rank is distinct from e.rank or l.rank_of is distinct from e.rank_of)`).Scan(&differ); err != nil {
		t.Fatal(err)
	}
	if differ != 0 {
		t.Errorf("%d periods where the LAIT and EES comparisons differ", differ)
	}
}

// TestRealNeighbours: the workbook's messy header (two junk rows, "LA
// number" twice, every closeness column called SNP) and its "Old SNs"
// section are read right.
func TestRealNeighbours(t *testing.T) {
	db := realWarehouse(t)
	l := realFix.loads["lait/sn_may_2025.xlsx"]
	res, err := l.res, l.err
	if err != nil {
		t.Fatal(err)
	}
	if res.Sheet != "LA SN Groups" || res.HeaderRow != 3 || res.RowsRead != 158 || res.RowsRejected != 0 {
		t.Errorf("read sheet %q header row %d, %d rows (%d rejected); want LA SN Groups, 3, 158, 0", res.Sheet, res.HeaderRow, res.RowsRead, res.RowsRejected)
	}
	rows, err := db.Query(`select sn_la_number, sn_la_name, closeness from benchmark.statistical_neighbours
		where la_number = 204 and is_current order by sn_rank`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var n int
		var name, closeness string
		if err := rows.Scan(&n, &name, &closeness); err != nil {
			t.Fatal(err)
		}
		got = append(got, name+" ("+closeness+")")
	}
	rows.Close()
	want := []string{"Southwark (Somewhat close)", "Islington (Somewhat close)", "Haringey (Somewhat close)",
		"Lambeth (Somewhat close)", "Tower Hamlets (Somewhat close)", "Lewisham (Somewhat close)", "Camden (Somewhat close)",
		"Manchester (Not close)", "Waltham Forest (Not close)", "Westminster (Not close)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Hackney's neighbours (-want +got):\n%s", diff)
	}
	var old []string
	rows, err = db.Query(`select distinct la_name from benchmark.statistical_neighbours where not is_current`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		old = append(old, s)
	}
	rows.Close()
	sort.Strings(old)
	if diff := cmp.Diff([]string{"Bournemouth (Pre LG)", "Cumbria", "Dorset (Pre LG)", "Northamptonshire", "Poole (Pre LG)"}, old); diff != "" {
		t.Errorf("old SN rows (-want +got):\n%s", diff)
	}
	if n := queryValue[int64](t, db, `select count(*) from benchmark.statistical_neighbours where la_code is null or sn_la_code is null`); n != 0 {
		t.Errorf("%d neighbour rows without an ONS code", n)
	}
}
