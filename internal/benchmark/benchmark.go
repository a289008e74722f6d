// Package benchmark loads the Department for Education's published files —
// Explore Education Statistics (EES) tidy CSVs and release zips, the Local
// Authority Interactive Tool (LAIT) long table and its data dictionary, the
// statistical neighbours workbook and the school places scorecards — into
// the warehouse's benchmark schema as they are, and compares Hackney's
// figures with England, London, Inner London, its statistical neighbours and
// every other local authority (indicators.benchmarks).
//
// Loading is set-based: DuckDB reads the CSV and parquet files itself
// (read_csv, read_parquet) into temporary tables and SQL reshapes them into
// the long table benchmark.values; Go reads only what DuckDB cannot (the
// statistical neighbours .xlsx and .zip releases). The comparison follows
// LAIT's conventions so that its figures match the tool people know.
//
// Tables: benchmark.values, a view with one row per published value or
// symbol (source, dataset, indicator, filters as JSON, period as published
// and as the plan's label, area with LA number and ONS code) over a narrow
// fact table benchmark.observations and its dimensions (datasets,
// filter_sets, periods, area_names), benchmark.indicators
// (labels, LAIT polarity and year type), benchmark.statistical_neighbours,
// benchmark.areas (England, regions and LAs with LAIT's numbers: 970
// England, 986 London, 987 Inner London), benchmark.map (the seed), and the
// outputs indicators.benchmarks and indicators.benchmark_areas.
//
// The seed benchmark_map.csv says which published indicator benchmarks
// which plan metric: metric_id, measure (value = the headline), phase,
// source (ees | lait | scorecard), indicator (EES column, LAIT Short Desc,
// scorecard column), filters (every filter column of the EES file, as
// "column=value; column=value"), period_type (how to read the published
// period: LAIT's '2025' for the January 2025 census is academic year
// 2024/25), better (up | down | none; none ranks from the highest value, as
// the plan's "ranked 23rd" does), rank_order (which value ranks 1; defaults
// from better), scale (published value x scale = the plan's unit) and
// notes.
package benchmark

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Return types of benchmark files, as used with `ingest --return`.
const (
	TypeEES                   = "ees"
	TypeLAIT                  = "lait"
	TypeStatisticalNeighbours = "statistical_neighbours"
	TypeScorecard             = "scorecard"
)

// HackneyLANumber is Hackney's DfE LA number; HackneyCode its ONS code.
const (
	HackneyLANumber = 204
	HackneyCode     = "E09000012"
)

// LAIT's area numbers for the comparators (see seeds/la_codes.csv).
const (
	englandLANumber     = 970
	londonLANumber      = 986
	innerLondonLANumber = 987
)

// Types lists the benchmark return types: ees, lait, statistical_neighbours,
// scorecard.
func Types() []string {
	return []string{TypeEES, TypeLAIT, TypeStatisticalNeighbours, TypeScorecard}
}

// IsType reports whether t is one of [Types].
func IsType(t string) bool {
	for _, x := range Types() {
		if t == x {
			return true
		}
	}
	return false
}

// ErrNotBenchmark is returned (wrapped in a [*FileError]) by [Load] when a
// file is not in any benchmark format, or not in the format asked for.
var ErrNotBenchmark = errors.New("not a benchmark file")

// ErrUnknownType is returned by [Load] for a return type not in [Types].
var ErrUnknownType = errors.New("unknown benchmark return type")

// FileError is a file (or a member of a zip, or a sheet) that could not be
// loaded, and why.
type FileError struct {
	File   string // file name; zip members as release.zip!data/file.csv
	Sheet  string // xlsx sheet, when it matters
	Reason string // what was found and what was expected
	Err    error  // ErrNotBenchmark, or the underlying I/O or SQL error
}

func (e *FileError) Error() string {
	loc := e.File
	if e.Sheet != "" {
		loc += ":" + e.Sheet
	}
	if e.Reason == "" {
		return fmt.Sprintf("%s: %v", loc, e.Err)
	}
	return fmt.Sprintf("%s: %s", loc, e.Reason)
}

func (e *FileError) Unwrap() error { return e.Err }

// Result is what [Load] did with one file. Row counts follow meta.loads:
// RowsRead = RowsAccepted + RowsRejected; RowsSkipped (rows of geographic
// levels other than national, regional and LA, blank rows, the junk rows
// above a header) are counted apart. For a zip the counts add up its members.
type Result struct {
	ReturnType   string
	Sheet        string // the statistical neighbours sheet read
	HeaderRow    int    // 1-based row of the header (csv: 1)
	RowsRead     int64
	RowsAccepted int64
	RowsRejected int64
	RowsSkipped  int64
	Values       int64 // values written (benchmark.observations; statistical_neighbours or indicators rows for those files)
	// Files lists what was loaded: the file itself, or each zip member.
	Files []string
	// Warnings says what was left out or kept oddly without being an error
	// (zip members in no benchmark format, cells that are neither numbers
	// nor symbols). Details are in meta.warnings.
	Warnings []string
}

func (r *Result) add(o Result) {
	r.RowsRead += o.RowsRead
	r.RowsAccepted += o.RowsAccepted
	r.RowsRejected += o.RowsRejected
	r.RowsSkipped += o.RowsSkipped
	r.Values += o.Values
	r.Files = append(r.Files, o.Files...)
	r.Warnings = append(r.Warnings, o.Warnings...)
}

//go:embed schema.sql
var schemaSQL string

// applySchema creates the benchmark tables and macros and refills
// benchmark.areas (idempotent). [Load] and [Compare] call it first.
func applySchema(ctx context.Context, q execer) error {
	if _, err := q.ExecContext(ctx, schemaSQL); err != nil {
		return fmt.Errorf("apply benchmark schema: %w", err)
	}
	areas, err := readAreas()
	if err != nil {
		return err
	}
	var (
		ph   []string
		args []any
	)
	for _, a := range areas {
		ph = append(ph, "(?, ?, ?, ?)")
		args = append(args, a.level, a.number, a.code, a.name)
	}
	// Placeholders only: the values travel as parameters.
	if _, err := q.ExecContext(ctx, "insert into benchmark.areas values "+strings.Join(ph, ", "), args...); err != nil {
		return fmt.Errorf("fill benchmark.areas: %w", err)
	}
	return nil
}

// execer is what the loaders need of a *sql.Conn, *sql.Tx or *sql.DB.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Load reads the benchmark file at path into the benchmark schema, inside
// the caller's transaction on conn (it begins and commits nothing).
// returnType is one of [Types], or "" to detect it from the file. loadID
// tags every row; a file of the same source and name loaded before is
// superseded (its rows are deleted). Rows that cannot be loaded are written
// to meta.rejects and notes to meta.warnings, both with loadID.
//
// Load returns a [*FileError] wrapping [ErrNotBenchmark] when the file is in
// no benchmark format or not in the one asked for.
func Load(ctx context.Context, conn *sql.Conn, loadID int64, path, returnType string) (Result, error) {
	if returnType != "" && !IsType(returnType) {
		return Result{}, fmt.Errorf("%w %q: use one of %s", ErrUnknownType, returnType, strings.Join(Types(), ", "))
	}
	forced := returnType
	if returnType == "" {
		t, ok, reason, err := detect(path)
		if err != nil {
			return Result{}, &FileError{File: filepath.Base(path), Reason: err.Error(), Err: err}
		}
		if !ok {
			return Result{}, &FileError{File: filepath.Base(path), Reason: reason, Err: ErrNotBenchmark}
		}
		returnType = t
	}
	if err := applySchema(ctx, conn); err != nil {
		return Result{}, err
	}
	l := &loader{conn: conn, loadID: loadID}
	var (
		res Result
		err error
	)
	switch {
	case strings.EqualFold(filepath.Ext(path), ".zip"):
		res, err = l.loadZip(ctx, path, forced)
	case returnType == TypeStatisticalNeighbours:
		res, err = l.loadNeighbours(ctx, path, filepath.Base(path))
	default:
		side, serr := besideSidecars(path)
		if serr != nil {
			return Result{}, &FileError{File: filepath.Base(path), Reason: serr.Error(), Err: serr}
		}
		res, err = l.loadTable(ctx, path, filepath.Base(path), returnType, side)
	}
	res.ReturnType = returnType
	return res, err
}

// loader carries what every file of one Load shares.
type loader struct {
	conn   *sql.Conn
	loadID int64
}

// warn records a note in meta.warnings and in the result.
func (l *loader) warn(ctx context.Context, res *Result, file, sheet, column, value, rule, message string) error {
	_, err := l.conn.ExecContext(ctx, `insert into meta.warnings (load_id, file, sheet, row_number, column_name, value, rule, message)
		values (?, ?, nullif(?, ''), null, nullif(?, ''), nullif(?, ''), ?, ?)`, l.loadID, file, sheet, column, value, rule, message)
	if err != nil {
		return fmt.Errorf("record warning for %s: %w", file, err)
	}
	res.Warnings = append(res.Warnings, file+": "+message)
	return nil
}

// datasetName is a file's name without directories and extension, lower
// case: the key under which a later file of the same name supersedes it.
func datasetName(name string) string {
	base := filepath.Base(strings.ReplaceAll(name, "!", "/"))
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return strings.ToLower(base)
}

// readHeader returns the first CSV record of the file (BOM removed).
func readHeader(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return headerOf(f)
}

func headerOf(rd io.Reader) ([]string, error) {
	r := csv.NewReader(rd)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	rec, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty")
		}
		return nil, fmt.Errorf("read header: %w", err)
	}
	if len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
	}
	return rec, nil
}

// fold normalises a column name for matching: lower case, without spaces,
// underscores or hyphens ("Short Desc" = "short_desc" = "SHORT-DESC").
func fold(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.NewReplacer(" ", "", "_", "", "-", "", "\t", "").Replace(s)
}

// columnIndex maps folded names to the first column that has them.
func columnIndex(header []string) map[string]int {
	m := make(map[string]int, len(header))
	for i, h := range header {
		k := fold(h)
		if _, dup := m[k]; !dup {
			m[k] = i
		}
	}
	return m
}

func hasAll(idx map[string]int, names ...string) bool {
	for _, n := range names {
		if _, ok := idx[fold(n)]; !ok {
			return false
		}
	}
	return true
}

// headerList is a short rendering of a header for error messages.
func headerList(header []string) string {
	const max = 12
	h := header
	more := ""
	if len(h) > max {
		more = fmt.Sprintf(", ... (%d columns)", len(header))
		h = h[:max]
	}
	return strings.Join(h, ", ") + more
}
