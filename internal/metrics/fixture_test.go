package metrics

// A small harness for the Priority 2-4 metric tests: a warehouse in
// t.TempDir() with the raw tables and core views that ingestion creates
// (newReturnsWarehouse), fixture rows inserted with parameters, and the
// metrics computed by the engine's Build (embedded pipelines and seeds,
// thresholds fixtureMinEvents and fixtureMinGroup). A test reads one
// metric's own output, stage.<metric_id>, which Build keeps with KeepStage.

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

const (
	fixtureMinEvents = 3
	fixtureMinGroup  = 10
)

type fixture struct {
	t     *testing.T
	ctx   context.Context
	db    *sql.DB
	runID int64
	row   int64 // source row counter for lineage
}

// newFixture opens an empty warehouse with every raw table and core view.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, run := newReturnsWarehouse(t)
	return &fixture{t: t, ctx: context.Background(), db: db, runID: run}
}

func (f *fixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.db.ExecContext(f.ctx, query, args...); err != nil {
		f.t.Fatalf("exec %.80q: %v", query, err)
	}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (f *fixture) lineage() (int64, string, any, int64) {
	f.row++
	return 1, "fixture.csv", nil, f.row
}

// academicYear labels a date's academic year, 2024/25 for 2024-09-01..2025-08-31.
func academicYear(date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		panic(err)
	}
	y := d.Year()
	if d.Month() < time.September {
		y--
	}
	return fmt.Sprintf("%d/%02d", y, (y+1)%100)
}

type fxSchool struct {
	year, name, phase, typ string
	urn                    int
	maintained             bool
	neighbourhood          string
	capacity               int
	ofsted                 int // 0 = no judgement
	community              string
	status                 string // "" = open
}

func (f *fixture) school(s fxSchool) {
	f.t.Helper()
	l1, l2, l3, l4 := f.lineage()
	var ofsted any
	if s.ofsted != 0 {
		ofsted = s.ofsted
	}
	status := s.status
	if status == "" {
		status = "open"
	}
	f.exec(`insert into raw.schools values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, null, ?, ?, null)`,
		l1, l2, l3, l4, s.year, s.urn, s.name, s.phase, s.typ, s.maintained, nullIfEmpty(s.neighbourhood),
		s.capacity, ofsted, nullIfEmpty(s.community), status)
}

type fxPupil struct {
	date, upn, ncy, gender, ethnicity string
	urn                               int
	fsm                               bool
	sen                               string // N, K, E
	enrolment                         string // "" = C
}

func (f *fixture) pupil(p fxPupil) {
	f.t.Helper()
	l1, l2, l3, l4 := f.lineage()
	enrol := p.enrolment
	if enrol == "" {
		enrol = "C"
	}
	sen := p.sen
	if sen == "" {
		sen = "N"
	}
	f.exec(`insert into raw.census values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, null, ?, ?, null)`,
		l1, l2, l3, l4, p.date, p.urn, p.upn, p.ncy, p.gender, p.ethnicity, p.fsm, sen, enrol, academicYear(p.date))
}

// pupils adds n pupils like p, with upns prefix-1 .. prefix-n.
func (f *fixture) pupils(n int, prefix string, p fxPupil) {
	f.t.Helper()
	for i := 1; i <= n; i++ {
		p.upn = fmt.Sprintf("%s-%d", prefix, i)
		f.pupil(p)
	}
}

type fxExclusion struct {
	urn                 int
	upn, typ, start     string
	ethnicity, sen, ncy string // "" = not on the return
	fsm                 any    // nil = not on the return
}

func (f *fixture) exclusion(e fxExclusion) {
	f.t.Helper()
	l1, l2, l3, l4 := f.lineage()
	var sessions any
	if e.typ == "SUSP" {
		sessions = 2.0
	}
	f.exec(`insert into raw.exclusions values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'DB', ?, ?, ?, ?, ?, null)`,
		l1, l2, l3, l4, e.urn, e.upn, e.typ, e.start, sessions,
		nullIfEmpty(e.ethnicity), nullIfEmpty(e.sen), e.fsm, nullIfEmpty(e.ncy), academicYear(e.start))
}

type fxBudget struct {
	urn                 int
	year, period        string
	income, expenditure float64
	balance             float64
	sfvs                any // nil = blank
}

func (f *fixture) budget(b fxBudget) {
	f.t.Helper()
	l1, l2, l3, l4 := f.lineage()
	f.exec(`insert into raw.budgets values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, null, null, ?, null)`,
		l1, l2, l3, l4, b.urn, b.year, b.period, b.income, b.expenditure, b.income-b.expenditure, b.balance, b.sfvs)
}

type fxPlan struct {
	caseID, upn, issued, placementType, placementLA string
}

func (f *fixture) ehcp(p fxPlan) {
	f.t.Helper()
	l1, l2, l3, l4 := f.lineage()
	outcome := "ongoing"
	if p.issued != "" {
		outcome = "plan issued"
	}
	f.exec(`insert into raw.ehcp values (?, ?, ?, ?, ?, ?, '2023-01-10', null, 'assess', null, null, ?, ?, false, ?, ?, null, null, null)`,
		l1, l2, l3, l4, p.caseID, nullIfEmpty(p.upn), nullIfEmpty(p.issued), outcome,
		nullIfEmpty(p.placementType), nullIfEmpty(p.placementLA))
}

func (f *fixture) dsg(year, block string, allocation, expenditure, balance float64) {
	f.t.Helper()
	l1, l2, l3, l4 := f.lineage()
	f.exec(`insert into raw.dsg values (?, ?, ?, ?, ?, ?, ?, ?, ?, null)`,
		l1, l2, l3, l4, year, block, allocation, expenditure, balance)
}

// metricRow is one output row of a metric.
type metricRow struct {
	Measure, Period, PeriodType   string
	PeriodStart, PeriodEnd        time.Time
	Level, Code, Name, Phase      string
	Breakdown, BreakdownValue     string
	Numerator, Denominator, Value sql.NullFloat64
	Unit                          string
	CILower, CIUpper              sql.NullFloat64
	Flag                          sql.NullString
}

// key names a row: measure|period|level|code|phase|breakdown|value.
func (r metricRow) key() string {
	return strings.Join([]string{r.Measure, r.Period, r.Level, r.Code, r.Phase, r.Breakdown, r.BreakdownValue}, "|")
}

// run builds every metric with Build and returns metric id's own rows
// (stage.<id>) by key, failing on a duplicate key or a column list that
// breaks the contract. Build fails on SQL errors and contract breaches of
// any metric.
func (f *fixture) run(id string) map[string]metricRow {
	f.t.Helper()
	opts := testOptions(f.t, f.runID, nil)
	opts.MinEvents, opts.MinGroup = fixtureMinEvents, fixtureMinGroup
	opts.KeepStage = true
	if _, err := Build(f.ctx, f.db, opts); err != nil {
		f.t.Fatalf("build for %s: %v", id, err)
	}
	rows, err := f.db.QueryContext(f.ctx, "select * from "+stageTable(id))
	if err != nil {
		f.t.Fatalf("query %s: %v", id, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		f.t.Fatal(err)
	}
	if !slices.Equal(cols, ContractColumns) {
		f.t.Fatalf("%s columns:\n got %v\nwant %v", id, cols, ContractColumns)
	}
	out := map[string]metricRow{}
	for rows.Next() {
		var r metricRow
		var start, end sql.NullTime
		var name, phase, bd, bv sql.NullString
		if err := rows.Scan(&r.Measure, &r.Period, &r.PeriodType, &start, &end, &r.Level, &r.Code, &name,
			&phase, &bd, &bv, &r.Numerator, &r.Denominator, &r.Value, &r.Unit, &r.CILower, &r.CIUpper, &r.Flag); err != nil {
			f.t.Fatalf("scan %s: %v", id, err)
		}
		r.PeriodStart, r.PeriodEnd = start.Time, end.Time
		r.Name, r.Phase, r.Breakdown, r.BreakdownValue = name.String, phase.String, bd.String, bv.String
		if !phase.Valid || !bd.Valid || !bv.Valid {
			f.t.Errorf("%s: row with null phase/breakdown: %+v", id, r)
		}
		if _, dup := out[r.key()]; dup {
			f.t.Errorf("%s: duplicate row %s", id, r.key())
		}
		out[r.key()] = r
	}
	if err := rows.Err(); err != nil {
		f.t.Fatalf("read %s: %v", id, err)
	}
	return out
}

// want is one expected figure: the row's key and the values checked.
type fxWant struct {
	key             string
	num, den, value float64 // NaN = expect NULL
	flag            string
}

// fxNull stands for an expected SQL NULL.
var fxNull = math.NaN()

func checkRows(t *testing.T, got map[string]metricRow, wants []fxWant) {
	t.Helper()
	for _, w := range wants {
		r, ok := got[w.key]
		if !ok {
			t.Errorf("no row %s (have %d rows, e.g. %v)", w.key, len(got), someKeys(got, 8))
			continue
		}
		checkFloat(t, w.key+" numerator", r.Numerator, w.num)
		checkFloat(t, w.key+" denominator", r.Denominator, w.den)
		checkFloat(t, w.key+" value", r.Value, w.value)
		if r.Flag.String != w.flag {
			t.Errorf("%s flag = %q, want %q", w.key, r.Flag.String, w.flag)
		}
	}
}

// checkFloat compares to 3 decimal places; NaN wants NULL.
func checkFloat(t *testing.T, what string, got sql.NullFloat64, want float64) {
	t.Helper()
	switch {
	case math.IsNaN(want) && got.Valid:
		t.Errorf("%s = %.4f, want NULL", what, got.Float64)
	case !math.IsNaN(want) && !got.Valid:
		t.Errorf("%s = NULL, want %.3f", what, want)
	case !math.IsNaN(want) && math.Abs(got.Float64-want) >= 0.0005:
		t.Errorf("%s = %.4f, want %.3f", what, got.Float64, want)
	}
}

func someKeys(m map[string]metricRow, n int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) > n {
		keys = keys[:n]
	}
	return keys
}

// checkCI compares a row's interval to 3 decimal places (NaN wants NULL).
func checkCI(t *testing.T, r metricRow, lower, upper float64) {
	t.Helper()
	checkFloat(t, r.key()+" ci_lower", r.CILower, lower)
	checkFloat(t, r.key()+" ci_upper", r.CIUpper, upper)
}
