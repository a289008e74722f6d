package export

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"planmetrics/internal/warehouse"
)

// newWarehouse builds a real DuckDB warehouse file in t.TempDir() with the
// warehouse schema and the hand-made fixture, and returns its path.
func newWarehouse(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, file := range []string{"../warehouse/schema.sql", "testdata/fixture.sql"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(b)); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	return path
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
