package benchmark

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// eesHeader is the start of every hand-made EES file.
const eesHeader = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name"

// laRow is an LA line of a hand-made EES file: number, code, name.
func laRow(period string, n int, code, name string, rest ...string) string {
	return strings.Join(append([]string{period, "Academic year", "Local authority", "E92000001", "England", "E12000007", "London",
		code, strconv.Itoa(n), name}, rest...), ",")
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// suppressedEES is a hand-made EES file: 2024/25 scores for ten LAs, three
// of them suppressed (c, x, z), a filter (breakdown) whose other value must
// not leak in, a row of another geographic level, and 2023/24 for the
// change.
const suppressedEES = eesHeader + `,breakdown,pc_score
202425,Academic year,National,E92000001,England,,,,,,Total,50
202425,Academic year,Regional,E92000001,England,E12000007,London,,,,Total,55
202425,Academic year,Regional,E92000001,England,E13000001,Inner London,,,,Total,57
` + `202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000012,204,Hackney,Total,60
202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000012,204,Hackney,Girls,99
202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000028,210,Southwark,Total,70
202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000019,206,Islington,Total,60
202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000014,309,Haringey,Total,c
202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000022,208,Lambeth,Total, 40
202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000030,211,Tower Hamlets,Total,x
202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000023,209,Lewisham,Total,z
202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000007,202,Camden,Total,80
202425,Academic year,Local authority,E92000001,England,E12000002,North West,E08000003,352,Manchester,Total,30
202425,Academic year,Local authority,E92000001,England,E12000007,London,E09000031,320,Waltham Forest,Total,45.0
202425,Academic year,School,E92000001,England,E12000007,London,E09000012,204,Hackney,Total,12
202324,Academic year,Local authority,E92000001,England,E12000007,London,E09000012,204,Hackney,Total,55
202324,Academic year,National,E92000001,England,,,,,,Total,49
`

// writeNeighbours writes a statistical neighbours workbook in DfE's messy
// layout: two junk rows, the header on row 3 with "LA number" twice and
// every closeness column called SNP, then an "Old SNs" section.
func writeNeighbours(t *testing.T, dir string, rows map[int][]int) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	set := func(r int, vals ...any) {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	set(1, "A", "B", "C", "D", "E", 3, 4, 5)
	set(2, 1, 2, 3, 4, 5, 6, 7, 8)
	header := []any{"LA num", "LA Name", "LA number", "GOInd", "GOReg"}
	for k := 1; k <= 10; k++ {
		header = append(header, "SN"+strconv.Itoa(k), "SNP")
	}
	set(3, header...)
	r := 4
	for _, la := range []int{204, 210} {
		row := []any{la, "", la, 3, "London (Inner)"}
		for _, sn := range rows[la] {
			row = append(row, sn, "Close")
		}
		set(r, row...)
		r++
	}
	r++ // a blank row
	set(r, "", "Old SNs:")
	set(r+1, 909, "Cumbria", 909, 5, "North West", 925, "Very close")
	p := filepath.Join(dir, "sn.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

var hackneySNs = []int{210, 206, 309, 208, 211, 209, 202, 352, 320, 213}

// seedFS is a seed with the given mapping lines.
func seedFS(lines ...string) fstest.MapFS {
	return fstest.MapFS{MapFile: &fstest.MapFile{Data: []byte(strings.Join(append(
		[]string{"metric_id,measure,phase,source,indicator,filters,period_type,better,rank_order,scale,notes"}, lines...), "\n"))}}
}

// benchRow is the part of indicators.benchmarks the tests check.
type benchRow struct {
	Hackney, England, London, InnerLondon, SNAverage, Computed, Difference sql.NullFloat64
	SNWith, SNCount, Rank, RankOf, Without, SNRank, SNRankOf               sql.NullInt64
	Quartile, PreviousPeriod                                               sql.NullString
	Change                                                                 sql.NullFloat64
}

func benchmarkRow(t *testing.T, db *sql.DB, metric, period string) benchRow {
	t.Helper()
	var b benchRow
	err := db.QueryRow(`select hackney_published, england, london, inner_london, round(sn_average, 9), hackney_computed,
		round(difference, 9), sn_with_value, sn_count, rank, rank_of, las_without_value, sn_rank, sn_rank_of, quartile,
		previous_period, change
		from indicators.benchmarks where metric_id = ? and period = ?`, metric, period).Scan(
		&b.Hackney, &b.England, &b.London, &b.InnerLondon, &b.SNAverage, &b.Computed, &b.Difference, &b.SNWith,
		&b.SNCount, &b.Rank, &b.RankOf, &b.Without, &b.SNRank, &b.SNRankOf, &b.Quartile, &b.PreviousPeriod, &b.Change)
	if err != nil {
		t.Fatalf("benchmarks %s %s: %v", metric, period, err)
	}
	return b
}

func f64(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: true} }
func i64(v int64) sql.NullInt64     { return sql.NullInt64{Int64: v, Valid: true} }
func str(v string) sql.NullString   { return sql.NullString{String: v, Valid: true} }

// TestCompareSuppressed: a hand-made EES file with c, x and z ranks only the
// LAs with a value and says how many were left out; ties share a rank;
// polarity decides rank 1; the neighbours' average is over those with a
// value; Hackney's own figure sits beside the published one.
func TestCompareSuppressed(t *testing.T) {
	dir := t.TempDir()
	db := newWarehouse(t)
	if _, err := load(t, db, 1, writeFile(t, dir, "scores.csv", suppressedEES), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := load(t, db, 2, writeNeighbours(t, dir, map[int][]int{204: hackneySNs, 210: {204, 206}}), ""); err != nil {
		t.Fatal(err)
	}
	// Hackney's own computed figure: January and October censuses of
	// 2024/25; the January one is the benchmark's.
	for _, c := range []struct {
		date  string
		value float64
	}{{"2025-01-16", 61.5}, {"2024-10-03", 59}} {
		if _, err := db.Exec(`insert into indicators.metric_values (metric_id, priority, measure, period, period_type, period_start,
			geography_level, geography_code, phase, breakdown, breakdown_value, value, unit, status)
			values ('p1_up', 1, 'value', ?, 'census', ?::date, 'borough', 'E09000012', 'all', 'all', 'all', ?, 'percent', 'no_target')`,
			c.date, c.date, c.value); err != nil {
			t.Fatal(err)
		}
	}
	seed := seedFS(
		"p1_up,value,all,ees,pc_score,breakdown=Total,academic_year,up,,,",
		"p1_down,value,all,ees,pc_score,breakdown=Total,academic_year,down,,,",
		"p1_none,value,all,ees,pc_score,breakdown=Total,academic_year,,,,",
		"p1_girls,value,all,ees,pc_score,breakdown=Girls,academic_year,up,,,",
		"p1_nothing,value,all,lait,NO_SUCH_ID,,,,,,",
	)
	res, err := Compare(context.Background(), db, seed)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"p1_nothing value all <- lait NO_SUCH_ID"}, res.NoData); diff != "" {
		t.Errorf("mappings without data (-want +got):\n%s", diff)
	}

	// LAs with a value: Camden 80, Southwark 70, Hackney 60, Islington 60,
	// Waltham Forest 45, Lambeth 40, Manchester 30 (7); Haringey c, Tower
	// Hamlets x, Lewisham z left out (3). Type 7 quartiles of the seven:
	// h = 6p; Q1 = 40 + 0.5 x 5 = 42.5, median = 60, Q3 = 60 + 0.5 x 10 = 65.
	// Hackney's 60 is the median itself: the second quarter from the bottom
	// (upper bounds inclusive): C when high is good, B when low is.
	// Neighbours with a value: Southwark 70, Islington 60, Lambeth 40,
	// Camden 80, Manchester 30, Waltham Forest 45 (6 of 10; Westminster is
	// not in the file): 325 / 6.
	snAvg := f64(math.Round(325.0/6*1e9) / 1e9)
	common := benchRow{Hackney: f64(60), England: f64(50), London: f64(55), InnerLondon: f64(57), SNAverage: snAvg,
		SNWith: i64(6), SNCount: i64(10), RankOf: i64(7), Without: i64(3), SNRankOf: i64(7),
		PreviousPeriod: str("2023/24"), Change: f64(5)}
	up := common
	up.Rank, up.Quartile, up.SNRank = i64(3), str("C"), i64(3) // 80, 70 above; Islington ties
	up.Computed, up.Difference = f64(61.5), f64(1.5)
	down := common
	down.Rank, down.Quartile, down.SNRank = i64(4), str("B"), i64(4) // 30, 40, 45 below
	none := common
	none.Rank, none.Quartile, none.SNRank = i64(3), str("C"), i64(3) // no polarity: from the highest
	// One LA alone: every cut point is its value, so it sits in the bottom
	// quarter (upper bounds inclusive), D when high is good, as in LAIT.
	girls := benchRow{Hackney: f64(99), RankOf: i64(1), Rank: i64(1), Quartile: str("D"), SNCount: i64(10),
		SNWith: i64(0), SNRankOf: i64(1), SNRank: i64(1), Without: i64(0)}
	for _, tt := range []struct {
		metric string
		want   benchRow
	}{{"p1_up", up}, {"p1_down", down}, {"p1_none", none}, {"p1_girls", girls}} {
		t.Run(tt.metric, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, benchmarkRow(t, db, tt.metric, "2024/25")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	// Every LA's rank and band, ties sharing the lower rank.
	rows, err := db.Query(`select area_name, rank, quartile, symbol from indicators.benchmark_areas
		where metric_id = 'p1_up' and period = '2024/25' and la_number < 970 order by la_number`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var name string
		var rank sql.NullInt64
		var q, sym sql.NullString
		if err := rows.Scan(&name, &rank, &q, &sym); err != nil {
			t.Fatal(err)
		}
		s := name + " "
		if rank.Valid {
			s += strconv.FormatInt(rank.Int64, 10) + " " + q.String
		} else {
			s += "(" + sym.String + ")"
		}
		got = append(got, s)
	}
	rows.Close()
	want := []string{"Camden 1 A", "Hackney 3 C", "Islington 3 C", "Lambeth 6 D", "Lewisham (z)", "Southwark 2 A",
		"Tower Hamlets (x)", "Haringey (c)", "Waltham Forest 5 C", "Manchester 7 D"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("every LA (-want +got):\n%s", diff)
	}
}

// TestQuartilesType7 checks the cut points against R's type 7 worked by
// hand, and that a value on a cut point falls in the quarter below it.
func TestQuartilesType7(t *testing.T) {
	las := []struct {
		n          int
		code, name string
	}{{204, "E09000012", "Hackney"}, {210, "E09000028", "Southwark"}, {206, "E09000019", "Islington"},
		{208, "E09000022", "Lambeth"}, {202, "E09000007", "Camden"}, {352, "E08000003", "Manchester"}}
	tests := []struct {
		name      string
		values    []string // in the order of las; "" = LA absent
		q1, m, q3 float64
		low, high string // band of each LA present, in the order of las
		rank      int64  // Hackney's, high is good
	}{
		// n = 6, h = 5p: Q1 at h = 1.25: 4 + 0.25 x (7 - 4) = 4.75; median at
		// 2.5: 7 + 0.5 x 1 = 7.5; Q3 at 3.75: 8 + 0.75 x 2 = 9.5.
		{name: "six", values: []string{"2", "4", "7", "8", "10", "15"}, q1: 4.75, m: 7.5, q3: 9.5,
			low: "AABCDD", high: "DDCBAA", rank: 6},
		// n = 5, h = 4p: the cut points are values (2, 3, 4), each in the
		// quarter it closes.
		{name: "five on cut points", values: []string{"3", "1", "2", "4", "5", ""}, q1: 2, m: 3, q3: 4,
			low: "BAACD", high: "CDDBA", rank: 3},
		// n = 4, h = 3p: Q1 = 39 + 0.75 x 1.3 = 39.975, median 40.3, Q3 =
		// 40.3 + 0.25 x 0.7 = 40.475; 40.299999999999997 is 40.3.
		{name: "float noise", values: []string{"40.299999999999997", "40.3", "41", "39", "", ""}, q1: 39.975, m: 40.3, q3: 40.475,
			low: "BBDA", high: "CCAD", rank: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(eesHeader + ",score\n202425,Academic year,National,E92000001,England,,,,,,1\n")
			var present []int
			for i, la := range las {
				if tt.values[i] != "" {
					b.WriteString(laRow("202425", la.n, la.code, la.name, tt.values[i]) + "\n")
					present = append(present, la.n)
				}
			}
			db := newWarehouse(t)
			if _, err := load(t, db, 1, writeFile(t, t.TempDir(), "q.csv", b.String()), TypeEES); err != nil {
				t.Fatal(err)
			}
			if _, err := Compare(context.Background(), db, seedFS("p1_low,value,all,ees,score,,,down,,,", "p1_high,value,all,ees,score,,,up,,,")); err != nil {
				t.Fatal(err)
			}
			var q1, m, q3 float64
			if err := db.QueryRow(`select quartile_q1, quartile_median, quartile_q3 from indicators.benchmarks where metric_id = 'p1_low'`).Scan(&q1, &m, &q3); err != nil {
				t.Fatal(err)
			}
			if math.Abs(q1-tt.q1) > 1e-9 || math.Abs(m-tt.m) > 1e-9 || math.Abs(q3-tt.q3) > 1e-9 {
				t.Errorf("cut points %v %v %v, want %v %v %v", q1, m, q3, tt.q1, tt.m, tt.q3)
			}
			for metric, bands := range map[string]string{"p1_low": tt.low, "p1_high": tt.high} {
				want := map[int]string{}
				for i, n := range present {
					want[n] = bands[i : i+1]
				}
				got := map[int]string{}
				rows, err := db.Query(`select la_number, quartile from indicators.benchmark_areas where metric_id = ? and la_number < 970`, metric)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var n int
					var q string
					if err := rows.Scan(&n, &q); err != nil {
						t.Fatal(err)
					}
					got[n] = q
				}
				rows.Close()
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s bands by LA (-want +got):\n%s", metric, diff)
				}
			}
			if r := queryValue[int64](t, db, `select rank from indicators.benchmarks where metric_id = 'p1_high'`); r != tt.rank {
				t.Errorf("Hackney's rank (high is good) %d, want %d", r, tt.rank)
			}
		})
	}
}

// TestCompareNothingLoaded: with no benchmark file, Compare still builds
// empty tables.
func TestCompareNothingLoaded(t *testing.T) {
	db := newWarehouse(t)
	res, err := Compare(context.Background(), db, seedFS("p1_up,value,all,ees,pc_score,,,up,,,"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 0 || len(res.NoData) != 1 {
		t.Errorf("Compare on an empty warehouse = %+v, want no rows and one mapping without data", res)
	}
	if n := queryValue[int64](t, db, `select count(*) from indicators.benchmarks`); n != 0 {
		t.Errorf("%d rows", n)
	}
}
