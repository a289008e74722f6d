// Package warehouse owns the DuckDB file: its schema, the write session that
// keeps it whole, and read-only access for queries.
//
// DuckDB allows one writing process per file, and a crash mid-write must never
// leave a half-written warehouse. So a writer never touches the published file:
// [Begin] copies it to a private work file, the command writes there, and
// [Session.Publish] checkpoints, closes and renames the work file over the
// published one in one atomic step. Analysts reading the published file keep
// reading the version they opened; a crash or kill leaves the last published
// state, and the next run starts again from it.
package warehouse

import (
	"context"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/duckdb/duckdb-go/v2"

	"planmetrics/internal/buildinfo"
)

//go:embed schema.sql
var schemaSQL string

// ErrLocked is returned by [Begin] when another process holds the write lock.
var ErrLocked = errors.New("another planmetrics job is writing the warehouse")

// ErrNoWarehouse is returned by [OpenReadOnly] when the file does not exist.
var ErrNoWarehouse = errors.New("no warehouse yet: run 'planmetrics run' or 'planmetrics ingest' first")

// Session is one command's write access to the warehouse.
type Session struct {
	DB    *sql.DB
	RunID int64

	path      string // the published file
	work      string // the private copy being written
	lock      *os.File
	connector *duckdb.Connector
	umask     int // the process umask before the session, restored after it
	done      bool
}

// Begin takes the write lock, copies the published warehouse (if any) to a
// work file, opens it, applies the schema and records a run for command.
func Begin(ctx context.Context, path, command string) (*Session, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("warehouse directory: %w", err)
	}
	lock, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("warehouse lock: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("%w (lock file %s): wait for it to finish", ErrLocked, path+".lock")
	}
	// Files DuckDB creates (the work file, its WAL, spill files) hold pupil
	// data: owner-only while the session lasts, whatever the job's umask.
	s := &Session{path: path, work: workPath(path), lock: lock, umask: syscall.Umask(0o077)}
	// A work file left by a crash is an unfinished write: discard it.
	os.Remove(s.work)
	os.Remove(s.work + ".wal")
	if err := copyFile(path, s.work); err != nil && !errors.Is(err, os.ErrNotExist) {
		s.release()
		return nil, fmt.Errorf("copy warehouse to work file: %w", err)
	}
	if err := s.open(ctx); err != nil {
		s.release()
		return nil, err
	}
	if _, err := s.DB.ExecContext(ctx, schemaSQL); err != nil {
		s.Abort()
		return nil, fmt.Errorf("apply warehouse schema: %w", err)
	}
	if err := s.startRun(ctx, command); err != nil {
		s.Abort()
		return nil, err
	}
	return s, nil
}

func (s *Session) open(ctx context.Context) error {
	c, err := duckdb.NewConnector(s.work, nil)
	if err != nil {
		return fmt.Errorf("open work warehouse %s: %w", s.work, err)
	}
	s.connector = c
	s.DB = sql.OpenDB(c)
	return s.DB.PingContext(ctx)
}

func (s *Session) startRun(ctx context.Context, command string) error {
	row := s.DB.QueryRowContext(ctx, `select coalesce(max(run_id), 0) + 1 from meta.runs`)
	if err := row.Scan(&s.RunID); err != nil {
		return fmt.Errorf("next run id: %w", err)
	}
	_, err := s.DB.ExecContext(ctx, `insert into meta.runs (run_id, command, started_at, status, program_version)
		values (?, ?, now(), 'running', ?)`, s.RunID, command, buildinfo.String())
	if err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	return nil
}

// Publish records the run's outcome (status: ok, partial or failed, with a
// message), checkpoints, and atomically replaces the published warehouse with
// the work file. The session is closed afterwards.
func (s *Session) Publish(ctx context.Context, status, message string) error {
	if s.done {
		return errors.New("warehouse session already closed")
	}
	_, err := s.DB.ExecContext(ctx, `update meta.runs set finished_at = now(), status = ?, message = ? where run_id = ?`,
		status, message, s.RunID)
	if err == nil {
		_, err = s.DB.ExecContext(ctx, `checkpoint`)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("finish run: %w", err), s.Abort())
	}
	if err := s.closeDB(); err != nil {
		return errors.Join(err, s.Abort())
	}
	if err := syncFile(s.work); err != nil {
		return errors.Join(err, s.Abort())
	}
	// Owner-only before it is visible under the published name.
	if err := os.Chmod(s.work, 0o600); err != nil {
		return errors.Join(fmt.Errorf("publish warehouse: %w", err), s.Abort())
	}
	if err := os.Rename(s.work, s.path); err != nil {
		return errors.Join(fmt.Errorf("publish warehouse: %w", err), s.Abort())
	}
	s.release()
	return nil
}

// Abort discards the work file, leaving the published warehouse as it was.
// Safe to call after Publish (it does nothing then).
func (s *Session) Abort() error {
	if s.done {
		return nil
	}
	err := s.closeDB()
	os.Remove(s.work)
	os.Remove(s.work + ".wal")
	s.release()
	return err
}

func (s *Session) closeDB() error {
	var errs []error
	if s.DB != nil {
		errs = append(errs, s.DB.Close())
		s.DB = nil
	}
	if s.connector != nil {
		errs = append(errs, s.connector.Close())
		s.connector = nil
	}
	return errors.Join(errs...)
}

func (s *Session) release() {
	if !s.done {
		syscall.Umask(s.umask)
	}
	s.done = true
	if s.lock != nil {
		syscall.Flock(int(s.lock.Fd()), syscall.LOCK_UN)
		s.lock.Close()
		s.lock = nil
	}
}

// OpenReadOnly opens the published warehouse for reading. Safe while a
// writer is running: the writer never modifies this file in place.
func OpenReadOnly(ctx context.Context, path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrNoWarehouse)
		}
		return nil, err
	}
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		return nil, fmt.Errorf("open warehouse %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open warehouse %s: %w", path, err)
	}
	return db, nil
}

// WithDriverConn runs f with a raw DuckDB driver connection taken from conn,
// for the Appender and other driver-level APIs.
func WithDriverConn(conn *sql.Conn, f func(driver.Conn) error) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		return f(c)
	})
}

// QuoteIdent quotes an SQL identifier. It is the one place identifiers that
// come from specs or catalogues are put into SQL text.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteLiteral quotes a string literal, for the few statements (DDL, COPY
// targets) where DuckDB accepts no parameters.
func QuoteLiteral(s string) string {
	return `'` + strings.ReplaceAll(s, `'`, `''`) + `'`
}

func workPath(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".work")
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// ApplySchema creates the warehouse schemas and tables in db if missing.
func ApplySchema(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, schemaSQL); err != nil {
		return fmt.Errorf("apply warehouse schema: %w", err)
	}
	return nil
}

// OpenScratch opens an in-memory warehouse with the schema applied, for
// checks that must not touch the real one (validate) and for tests.
func OpenScratch(ctx context.Context) (*sql.DB, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	// One connection: an in-memory database lives as long as its connections.
	if err := ApplySchema(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
