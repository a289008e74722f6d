package metrics

import (
	"context"
	"database/sql"
	_ "embed"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"planmetrics/internal/overlay"
	"planmetrics/internal/warehouse"
	"planmetrics/pipelines"
	"planmetrics/seeds"
)

//go:embed testdata/returns.sql
var returnsDDL string

// newWarehouse opens a fresh warehouse (schema applied) in a temp dir.
func newWarehouse(t testing.TB) (*sql.DB, int64) {
	t.Helper()
	s, err := warehouse.Begin(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Abort() })
	// One connection: SET VARIABLE and the build transaction stay on it.
	s.DB.SetMaxOpenConns(1)
	return s.DB, s.RunID
}

// newReturnsWarehouse is newWarehouse with every raw.<return> table and
// core.<return> view created, empty.
func newReturnsWarehouse(t testing.TB) (*sql.DB, int64) {
	t.Helper()
	db, run := newWarehouse(t)
	mustExec(t, db, returnsDDL)
	return db, run
}

func mustExec(t testing.TB, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
}

// testOptions builds with the embedded pipelines and seeds. Files in extra
// (path -> content, e.g. "metrics/p9_x.sql") are written to a temp
// directory laid over the pipelines tree with internal/overlay, exactly as
// config pipelines_dir does.
func testOptions(t testing.TB, run int64, extra map[string]string) Options {
	t.Helper()
	var p fs.FS = pipelines.FS
	if len(extra) > 0 {
		dir := t.TempDir()
		for name, text := range extra {
			full := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		var err error
		if p, err = overlay.New(pipelines.FS, dir); err != nil {
			t.Fatal(err)
		}
	}
	return Options{Pipelines: p, Seeds: seeds.FS, RunID: run, MinEvents: 10, MinGroup: 30}
}

func mustBuild(t testing.TB, db *sql.DB, opts Options) Result {
	t.Helper()
	res, err := Build(context.Background(), db, opts)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res
}

// mvRow is one indicators.metric_values row, as tests look at it.
type mvRow struct {
	Value, Num, Den, Lo, Hi, Target, Prev, Change sql.NullFloat64
	Status, Unit, Flag                            string
}

// getRow reads the one metric_values row with these keys; it fails the test
// when there is not exactly one.
func getRow(t *testing.T, db *sql.DB, metric, measure, period, level, code, phase, breakdown, bvalue string) mvRow {
	t.Helper()
	rows, err := db.Query(`select value, numerator, denominator, ci_lower, ci_upper, target, previous_value, change,
			status, unit, coalesce(flag, '')
		from indicators.metric_values
		where metric_id = ? and measure = ? and coalesce(period, '') = ? and geography_level = ? and geography_code = ?
		  and phase = ? and breakdown = ? and breakdown_value = ?`,
		metric, measure, period, level, code, phase, breakdown, bvalue)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []mvRow
	for rows.Next() {
		var r mvRow
		if err := rows.Scan(&r.Value, &r.Num, &r.Den, &r.Lo, &r.Hi, &r.Target, &r.Prev, &r.Change, &r.Status, &r.Unit, &r.Flag); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if len(out) != 1 {
		t.Fatalf("%s %s %s %s:%s %s %s=%s: %d rows, want 1", metric, measure, period, level, code, phase, breakdown, bvalue, len(out))
	}
	return out[0]
}

// boroughRow reads the borough, all-phase row of a metric's breakdown value.
func boroughRow(t *testing.T, db *sql.DB, metric, measure, period, breakdown, bvalue string) mvRow {
	t.Helper()
	return getRow(t, db, metric, measure, period, "borough", BoroughCode, "all", breakdown, bvalue)
}

// near checks got against a hand-worked figure to 3 decimal places.
func near(t *testing.T, what string, got sql.NullFloat64, want float64) {
	t.Helper()
	if !got.Valid {
		t.Errorf("%s = NULL, want %.3f", what, want)
		return
	}
	if d := got.Float64 - want; d > 0.0005 || d < -0.0005 {
		t.Errorf("%s = %.6f, want %.3f", what, got.Float64, want)
	}
}

func isNull(t *testing.T, what string, got sql.NullFloat64) {
	t.Helper()
	if got.Valid {
		t.Errorf("%s = %v, want NULL", what, got.Float64)
	}
}
