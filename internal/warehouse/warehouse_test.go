package warehouse

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func count(t *testing.T, path, query string) int {
	t.Helper()
	db, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPublishIsAtomicAndAbortKeepsLastGoodState(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	if _, err := OpenReadOnly(ctx, path); !errors.Is(err, ErrNoWarehouse) {
		t.Fatalf("before any run: %v, want ErrNoWarehouse", err)
	}
	s, err := Begin(ctx, path, "first")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.Exec(`create table raw.t as select 1 as x`); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx, "ok", ""); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}

	// A reader holds the published file open while a writer works.
	reader, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()

	s2, err := Begin(ctx, path, "second")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.DB.Exec(`insert into raw.t values (2)`); err != nil {
		t.Fatal(err)
	}
	var n int
	reader.QueryRow(`select count(*) from raw.t`).Scan(&n)
	if n != 1 {
		t.Errorf("reader sees %d rows while the writer works, want 1", n)
	}
	if err := s2.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := count(t, path, `select count(*) from raw.t`); got != 1 {
		t.Errorf("after abort: %d rows, want 1 (last good state)", got)
	}
	if _, err := os.Stat(workPath(path)); !os.IsNotExist(err) {
		t.Errorf("work file left behind: %v", err)
	}
	if got := count(t, path, `select count(*) from meta.runs`); got != 1 {
		t.Errorf("runs = %d, want only the published one", got)
	}
}

func TestSecondWriterIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	s, err := Begin(ctx, path, "one")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	if _, err := Begin(ctx, path, "two"); !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v, want ErrLocked", err)
	}
}

func TestCrashLeftoverIsDiscarded(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	s, err := Begin(ctx, path, "good")
	if err != nil {
		t.Fatal(err)
	}
	s.Publish(ctx, "ok", "")
	// A killed run leaves a half-written work file: garbage bytes here.
	if err := os.WriteFile(workPath(path), []byte("half written"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Begin(ctx, path, "next")
	if err != nil {
		t.Fatalf("the next run must start from the last good state: %v", err)
	}
	if err := s.Publish(ctx, "ok", ""); err != nil {
		t.Fatal(err)
	}
	if got := count(t, path, `select count(*) from meta.runs where status = 'ok'`); got != 2 {
		t.Errorf("ok runs = %d, want 2", got)
	}
}

func TestQuote(t *testing.T) {
	if got := QuoteIdent(`a"b`); got != `"a""b"` {
		t.Errorf("QuoteIdent = %s", got)
	}
	if got := QuoteLiteral(`it's`); got != `'it''s'` {
		t.Errorf("QuoteLiteral = %s", got)
	}
}

// TestFilesAreOwnerOnly: the work file, its WAL and the published file hold
// pupil-level data and must never be readable by others, whatever the
// umask of the job.
func TestFilesAreOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	s, err := Begin(ctx, path, "first")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.Exec(`create table raw.t as select range as x from range(100000)`); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{workPath(path), workPath(path) + ".wal"} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s while writing: %v %v, want 0600", filepath.Base(p), st.Mode().Perm(), err)
		}
	}
	if err := s.Publish(ctx, "ok", ""); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("published mode %v, want 0600", st.Mode().Perm())
	}
	if got := syscall.Umask(old); got != 0o022 {
		t.Errorf("umask after the session = %o, want it restored to 022", got)
	}
}
