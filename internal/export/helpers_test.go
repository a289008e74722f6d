package export

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	_ "github.com/duckdb/duckdb-go/v2"

	"planmetrics/internal/benchmark"
	"planmetrics/internal/warehouse"
)

// newWarehouse builds a real DuckDB warehouse file in t.TempDir() with the
// warehouse schema, the benchmark tables as benchmark.Compare creates them
// (from an empty mapping), and the hand-made fixture, and returns its path.
func newWarehouse(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(file string) {
		t.Helper()
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(b)); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	exec("../warehouse/schema.sql")
	// The real indicators.benchmarks, so the fixture's rows fit the table
	// the build writes.
	seeds := fstest.MapFS{benchmark.MapFile: {Data: []byte("metric_id,measure,phase,source,indicator,filters,period_type,better,rank_order,scale,notes\n")}}
	if _, err := benchmark.Compare(context.Background(), db, seeds); err != nil {
		t.Fatalf("create the benchmark tables: %v", err)
	}
	exec("testdata/fixture.sql")
	return path
}

// openBareWarehouse opens, read-only, a warehouse with the schema only, as
// one built before the benchmark tables existed.
func openBareWarehouse(t *testing.T) *sql.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bare.duckdb")
	w, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../warehouse/schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.Exec(string(b))
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := warehouse.OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openWarehouse opens the fixture read-only, as the export command does.
func openWarehouse(t *testing.T) *sql.DB {
	t.Helper()
	db, err := warehouse.OpenReadOnly(context.Background(), newWarehouse(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queryFloat returns one number from the warehouse.
func queryFloat(t *testing.T, db *sql.DB, q string, args ...any) float64 {
	t.Helper()
	var f float64
	if err := db.QueryRow(q, args...).Scan(&f); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return f
}

// checkPrivate fails unless path is a regular file readable by its owner only.
func checkPrivate(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600", path, st.Mode().Perm())
	}
}

// noTempFiles fails if a temporary file or folder was left in dir.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name()[0] == '.' {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}
