package benchmark

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"planmetrics/internal/warehouse"
)

// newWarehouse opens a fresh warehouse (schema applied) in t.TempDir().
func newWarehouse(t *testing.T) *sql.DB {
	t.Helper()
	s, err := warehouse.Begin(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Abort() })
	return s.DB
}

// load runs Load in a transaction of its own, as the ingest dispatcher does,
// committing on success and rolling back on error.
func load(t *testing.T, db *sql.DB, loadID int64, path, returnType string) (Result, error) {
	t.Helper()
	return loadTx(db, loadID, path, returnType)
}

func loadTx(db *sql.DB, loadID int64, path, returnType string) (res Result, err error) {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "begin transaction"); err != nil {
		return res, err
	}
	res, err = Load(ctx, conn, loadID, path, returnType)
	if err != nil {
		if _, rerr := conn.ExecContext(ctx, "rollback"); rerr != nil {
			return res, errors.Join(err, rerr)
		}
		return res, err
	}
	_, err = conn.ExecContext(ctx, "commit")
	return res, err
}

// cleanups run after all tests (shared fixtures).
var cleanups []func()

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	os.Exit(code)
}

// realData is the folder of DfE's published files, or "" (and the test is
// skipped) when it is absent. PLANMETRICS_REAL_DATA points elsewhere.
func realData(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PLANMETRICS_REAL_DATA")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		// internal/benchmark -> repository -> its parent, where shared/ sits.
		dir = filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data", "real")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real DfE files not found at %s (set PLANMETRICS_REAL_DATA to their folder): %v", dir, err)
	}
	return dir
}

// queryFloat runs a one-value query.
func queryValue[T any](t *testing.T, db *sql.DB, q string, args ...any) T {
	t.Helper()
	var v T
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}
