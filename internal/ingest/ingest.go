// Package ingest loads return files into the warehouse, losing nothing: every
// data row of a file ends in raw.<return> or in meta.rejects with a reason,
// and each file is loaded in one transaction or not at all.
//
// A file goes through four steps. It is read (internal/tabular) and its
// return type and header row found (internal/spec); its rows are streamed
// into an all-text landing table with their sheet and row number, UPNs
// replaced by pseudonyms on the way; set-based SQL generated from the spec
// types and validates them (the parsers of internal/value run inside DuckDB);
// rows that pass go to raw, the others to meta.rejects.
package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/xuri/excelize/v2"

	"planmetrics/internal/benchmark"
	"planmetrics/internal/buildinfo"
	"planmetrics/internal/pseudonym"
	"planmetrics/internal/spec"
	"planmetrics/internal/tabular"
	"planmetrics/internal/value"
	"planmetrics/internal/warehouse"
)

// Load statuses recorded in meta.loads.
const (
	StatusLoaded    = "loaded"
	StatusDuplicate = "duplicate" // identical to a file already loaded: nothing done
	StatusRejected  = "rejected"  // the whole file was refused (unknown type, missing columns, unreadable)
	StatusFailed    = "failed"    // an internal error; the file's transaction was rolled back
)

// Options configure a Loader.
type Options struct {
	Specs            *spec.Set
	Key              []byte // pseudonymisation key
	HeaderSearchRows int    // rows searched for the header at the top of a sheet
	Log              *slog.Logger
}

// Loader loads files into one warehouse for one run.
type Loader struct {
	db    *sql.DB
	runID int64
	opts  Options
}

// New returns a Loader writing to db (a warehouse whose schema is applied)
// on behalf of run runID.
func New(db *sql.DB, runID int64, opts Options) *Loader {
	if opts.HeaderSearchRows <= 0 {
		opts.HeaderSearchRows = 30
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Loader{db: db, runID: runID, opts: opts}
}

// Result is what happened to one file.
type Result struct {
	LoadID    int64
	File      string // path as given
	Return    string
	Sheet     string
	HeaderRow int
	Status    string
	Read      int64 // data rows read = Accepted + Rejected
	Accepted  int64
	Rejected  int64
	Skipped   int64 // blank, totals and repeated header rows
	Warnings  int64
	Message   string
	Err       error // for StatusRejected: the *FileError saying why
}

// Load loads one file. forceType, when not empty, names the return type
// (else it comes from the file name, then the header). A file-level problem
// is reported in the Result (StatusRejected), not as an error: the error is
// for failures of the warehouse itself.
func (l *Loader) Load(ctx context.Context, path, forceType string) (Result, error) {
	start := time.Now()
	res := Result{File: path}
	before, err := os.Stat(path)
	if err != nil {
		res.Status, res.Err = StatusRejected, &FileError{File: path, Err: fmt.Errorf("%w: %v", ErrUnreadable, err)}
		return l.recordWhole(ctx, res, "", start)
	}
	sum, err := fileSHA256(path)
	if err != nil {
		res.Status, res.Err = StatusRejected, &FileError{File: path, Err: fmt.Errorf("%w: %v", ErrUnreadable, err)}
		return l.recordWhole(ctx, res, "", start)
	}
	if prev, ok, err := l.loadedBefore(ctx, sum); err != nil {
		return res, err
	} else if ok {
		res.Status, res.Return = StatusDuplicate, prev.returnType
		res.Message = fmt.Sprintf("identical to load %d (%s), already loaded: nothing to do", prev.id, prev.file)
		return l.recordWhole(ctx, res, sum, start)
	}

	if bt, ok := l.benchmarkType(path, forceType); ok {
		res.Return = bt
		return l.transaction(ctx, res, sum, start, func(conn *sql.Conn, res *Result) error {
			if err := l.loadBenchmark(ctx, conn, res, sum, start); err != nil {
				return err
			}
			return unchanged(path, before)
		})
	}
	f, err := tabular.Open(path)
	if err != nil {
		res.Status, res.Err = StatusRejected, readError(path, "", err)
		return l.recordWhole(ctx, res, sum, start)
	}
	defer f.Close()
	found, err := l.findReturn(ctx, f, path, forceType)
	if err != nil {
		var fe *FileError
		if forceType == "" && errors.Is(err, spec.ErrUnknownReturn) && errors.As(err, &fe) {
			fe.Err = fmt.Errorf("%w; nor is it a published-data file (%s)", fe.Err, strings.Join(benchmark.Types(), ", "))
		}
		res.Status, res.Err = StatusRejected, err
		return l.recordWhole(ctx, res, sum, start)
	}
	res.Return, res.Sheet, res.HeaderRow = found.ret.Name, found.sheet, found.headerLine
	return l.transaction(ctx, res, sum, start, func(conn *sql.Conn, res *Result) error {
		if err := l.loadInTx(ctx, conn, f, found, res, sum, start); err != nil {
			return err
		}
		return unchanged(path, before)
	})
}

// unchanged checks that the file at path has the size and modification
// time it had when its load began: a file still being written into the
// inbox must not be loaded half-written (the next run loads it whole).
func unchanged(path string, before os.FileInfo) error {
	after, err := os.Stat(path)
	if err != nil {
		return &FileError{File: path, Err: fmt.Errorf("%w: %v", ErrUnreadable, err)}
	}
	if after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		return &FileError{File: path, Err: fmt.Errorf("%w (is it still being written?): nothing was loaded; load it again once it is complete", ErrChanged)}
	}
	return nil
}

// readError reports a problem reading the file, at the position the reader
// gives, naming the file once.
func readError(path, sheet string, err error) *FileError {
	fe := &FileError{File: path, Sheet: sheet, Err: fmt.Errorf("%w: %v", ErrUnreadable, err)}
	var te *tabular.Error
	if errors.As(err, &te) && te.Err != nil {
		fe.Row, fe.Err = te.Line, fmt.Errorf("%w: %w", ErrUnreadable, te.Err)
		if te.Sheet != "" {
			fe.Sheet = te.Sheet
		}
		if te.Column > 0 {
			fe.Column = fmt.Sprintf("field %d", te.Column)
		}
	}
	return fe
}

// benchmarkType tells whether path is a published benchmark file (EES,
// LAIT, statistical neighbours, scorecard) rather than a return: forced by
// type, or detected from its content when its name is no return's.
func (l *Loader) benchmarkType(path, forceType string) (string, bool) {
	if forceType != "" {
		return forceType, benchmark.IsType(forceType)
	}
	if _, ok := l.opts.Specs.ByFileName(path); ok {
		return "", false
	}
	t, ok, err := benchmark.Detect(path)
	return t, ok && err == nil
}

// loadBenchmark loads a published benchmark file into the benchmark schema.
func (l *Loader) loadBenchmark(ctx context.Context, conn *sql.Conn, res *Result, sum string, start time.Time) error {
	br, err := benchmark.Load(ctx, conn, res.LoadID, res.File, res.Return)
	var bfe *benchmark.FileError
	switch {
	case errors.As(err, &bfe):
		msg := bfe.Reason
		if msg == "" {
			msg = bfe.Err.Error()
		}
		if bfe.File != filepath.Base(res.File) {
			msg = bfe.File + ": " + msg // a member of a zip
		}
		return &FileError{File: res.File, Sheet: bfe.Sheet, Err: fmt.Errorf("%s (%w)", msg, bfe.Err)}
	case err != nil:
		return err
	}
	res.Return, res.Sheet, res.HeaderRow = br.ReturnType, br.Sheet, br.HeaderRow
	res.Read, res.Accepted, res.Rejected, res.Skipped = br.RowsRead, br.RowsAccepted, br.RowsRejected, br.RowsSkipped
	res.Warnings = int64(len(br.Warnings))
	return l.recordLoad(ctx, conn, *res, sum, start)
}

// found is where a file's data is: its return, sheet and header.
type found struct {
	ret        *spec.Return
	sheet      string
	headerLine int
	header     []string
	match      spec.HeaderMatch
	hidden     bool   // the sheet is hidden
	rows       bool   // rows follow the header
	otherSheet string // another sheet that also matched (warned about, not loaded)
	otherNote  string // what to say about it
}

// hasRows reports whether any of rows (those after a header) is data: not
// a totals row, not the header again.
func hasRows(rows [][]string, header []string) bool {
	key := rowKey(header)
	for _, r := range rows {
		if !isTotalRow(r) && rowKey(r) != key {
			return true
		}
	}
	return false
}

func (l *Loader) findReturn(ctx context.Context, f tabular.File, path, forceType string) (found, error) {
	var candidates []*spec.Return
	switch {
	case forceType != "":
		r, ok := l.opts.Specs.Get(forceType)
		if !ok {
			return found{}, &FileError{File: path, Err: fmt.Errorf("%w %q: use one of %s", spec.ErrUnknownReturn, forceType, strings.Join(l.opts.Specs.Names(), ", "))}
		}
		candidates = []*spec.Return{r}
	default:
		if r, ok := l.opts.Specs.ByFileName(path); ok {
			candidates = []*spec.Return{r}
		} else {
			candidates = l.opts.Specs.Returns
		}
	}
	var hits []found
	var firstErr error
	empty := true
	for _, sh := range orderSheets(f.Sheets()) {
		top, lines, err := headRows(ctx, f, sh.Name, l.opts.HeaderSearchRows)
		if err != nil {
			return found{}, readError(path, sh.Name, err)
		}
		empty = empty && len(top) == 0
		i, m, err := spec.FindHeader(top, candidates)
		if err != nil {
			if firstErr == nil {
				firstErr = &FileError{File: path, Sheet: sh.Name, Err: err}
			}
			continue
		}
		hits = append(hits, found{ret: m.Return, sheet: sh.Name, headerLine: lines[i], header: top[i], match: m,
			hidden: sh.Hidden, rows: hasRows(top[i+1:], top[i])})
	}
	if len(hits) == 0 {
		switch {
		case empty:
			return found{}, &FileError{File: path, Err: fmt.Errorf("%w: the file is empty", ErrNoRows)}
		case firstErr == nil:
			return found{}, &FileError{File: path, Err: errors.New("the file has no sheets")}
		}
		return found{}, firstErr
	}
	// The first sheet with a complete header is loaded (else the first
	// match, to say what is missing). Another visible sheet with a complete
	// header and rows below it refuses the file: loading one sheet would
	// lose the other's rows.
	best := hits[0]
	for _, h := range hits {
		if h.match.Complete() {
			best = h
			break
		}
	}
	for _, h := range hits {
		switch {
		case h.sheet == best.sheet || !h.match.Complete():
		case h.rows && !h.hidden:
			return found{}, &FileError{File: path, Sheet: h.sheet, Row: h.headerLine, Err: fmt.Errorf(
				"%w: sheet %q also holds %s rows, besides sheet %q: nothing was loaded, as the rows of one sheet would be lost; send one data sheet per file, or move the rows onto one sheet",
				ErrSeveralSheets, h.sheet, h.ret.Name, best.sheet)}
		case best.otherSheet == "":
			best.otherSheet = h.sheet
			best.otherNote = fmt.Sprintf("sheet %q also has a %s header and was not loaded", h.sheet, h.ret.Name)
			if h.rows {
				best.otherNote = fmt.Sprintf("hidden sheet %q also has %s rows and was not loaded: unhide it and send it as a file of its own if they are wanted", h.sheet, h.ret.Name)
			}
		}
	}
	if !best.match.Complete() {
		msg := fmt.Sprintf("%v: %s", ErrMissingColumns, strings.Join(best.match.Missing, ", "))
		if len(best.match.Unknown) > 0 {
			msg += "; unexpected columns: " + strings.Join(best.match.Unknown, ", ")
		}
		msg += fmt.Sprintf(" (header on row %d; expected the %s return's columns: rename them or add aliases in pipelines/returns/%s.yaml)",
			best.headerLine, best.ret.Name, best.ret.Name)
		return found{}, &FileError{File: path, Sheet: best.sheet, Row: best.headerLine, Err: fmt.Errorf("%w%s", ErrMissingColumns, strings.TrimPrefix(msg, ErrMissingColumns.Error()))}
	}
	return best, nil
}

// orderSheets puts visible sheets first, keeping workbook order.
func orderSheets(sheets []tabular.Sheet) []tabular.Sheet {
	out := make([]tabular.Sheet, 0, len(sheets))
	for _, s := range sheets {
		if !s.Hidden {
			out = append(out, s)
		}
	}
	for _, s := range sheets {
		if s.Hidden {
			out = append(out, s)
		}
	}
	return out
}

// headRows reads the first n non-blank rows of a sheet and their lines.
func headRows(ctx context.Context, f tabular.File, sheet string, n int) ([][]string, []int, error) {
	var rows [][]string
	var lines []int
	for row, err := range f.Rows(ctx, sheet) {
		if err != nil {
			return nil, nil, err
		}
		if blank(row.Cells) {
			continue
		}
		rows = append(rows, row.Cells)
		lines = append(lines, row.Line)
		if len(rows) >= n {
			break
		}
	}
	return rows, lines, nil
}

// landingColumn is a column of the file that lands: a spec column or an
// unknown one kept in _extra.
type landingColumn struct {
	name  string // spec column name
	ident string // quoted landing column
	cell  int    // index in the row
	upn   bool
	date  bool
}

// transaction runs load in one transaction on a connection of its own (with
// the value functions registered) under a new load id. A *FileError from
// load rejects the file whole, any other error fails it; either way the
// transaction is rolled back and the outcome recorded outside it. load
// records the successful load in meta.loads itself, inside the transaction.
func (l *Loader) transaction(ctx context.Context, res Result, sum string, start time.Time, load func(*sql.Conn, *Result) error) (Result, error) {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	if err := value.Register(ctx, conn); err != nil {
		return res, fmt.Errorf("register value functions: %w", err)
	}
	if res.LoadID, err = l.nextLoadID(ctx, conn); err != nil {
		return res, err
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return res, err
	}
	err = load(conn, &res)
	if err == nil {
		if _, err = conn.ExecContext(ctx, "COMMIT"); err != nil {
			return res, fmt.Errorf("commit load of %s: %w", res.File, err)
		}
		res.Status = StatusLoaded
		return res, nil
	}
	conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	res.Read, res.Accepted, res.Rejected = 0, 0, 0
	var fe *FileError
	if errors.As(err, &fe) {
		// A file-level problem found while reading (a broken quote, no
		// rows, not the format expected): the file is rejected whole.
		res.Status, res.Err = StatusRejected, fe
		return l.recordWhole(ctx, res, sum, start)
	}
	res.Status, res.Message = StatusFailed, err.Error()
	if _, rerr := l.recordWhole(ctx, res, sum, start); rerr != nil {
		return res, errors.Join(err, rerr)
	}
	return res, fmt.Errorf("load %s: %w", res.File, err)
}

func (l *Loader) loadInTx(ctx context.Context, conn *sql.Conn, f tabular.File, fd found, res *Result, sum string, start time.Time) error {
	r := fd.ret
	name := filepath.Base(res.File)
	cols, unknown, names := landingColumns(r, fd.match, fd.header, f.Format())
	if _, err := conn.ExecContext(ctx, landingDDL(cols)); err != nil {
		return fmt.Errorf("create landing table: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS landing")
	var warns []warning
	for _, u := range unknown {
		w := warning{row: int64(fd.headerLine), column: u.header, rule: "unknown_column",
			message: fmt.Sprintf("column %q is not in the %s spec: kept in raw.%s._extra", u.header, r.Name, r.Name)}
		switch {
		case u.unnamed:
			w.rule, w.message = "unnamed_column", fmt.Sprintf("%s has no header: its values are kept in raw.%s._extra under %q; name the column", u.header, r.Name, u.header)
		case u.upn:
			w.rule, w.message = "upn_column", fmt.Sprintf("column %q holds pupil numbers: kept pseudonymised in raw.%s._extra (invalid ones masked)", u.header, r.Name)
		}
		warns = append(warns, w)
	}
	for _, n := range names {
		warns = append(warns, warning{row: int64(fd.headerLine), column: n, rule: "name_column",
			message: fmt.Sprintf("column %q holds people's names: not loaded (names are never loaded)", n)})
	}
	if fd.otherSheet != "" {
		warns = append(warns, warning{rule: "other_sheet", message: fd.otherNote})
	}
	land, err := l.land(ctx, conn, f, res.File, fd, cols, unknown)
	if err != nil {
		return err
	}
	warns = append(warns, land.warnings...)
	res.Skipped = land.skipped
	if land.rows == 0 {
		return &FileError{File: res.File, Sheet: fd.sheet, Row: fd.headerLine, Err: fmt.Errorf("%w below the header", ErrNoRows)}
	}

	present := map[string]bool{}
	for _, c := range cols {
		present[c.name] = true
	}
	// exec runs one set-based step and logs its time (debug level), so the
	// data team can see where a slow load spends it.
	exec := func(step, query string, args ...any) (sql.Result, error) {
		t0 := time.Now()
		out, err := conn.ExecContext(ctx, query, args...)
		l.opts.Log.Debug("load step", "file", name, "step", step, "ms", time.Since(t0).Milliseconds())
		if err != nil {
			return nil, fmt.Errorf("%s %s rows: %w", step, r.Name, err)
		}
		return out, nil
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS typed2")
	// Typing, then defaults and derived columns over the typed values, in
	// one materialisation.
	if _, err := exec("type", "CREATE OR REPLACE TEMP TABLE typed2 AS "+derivedSelect(r, "("+typedSelect(r, present)+")")); err != nil {
		return err
	}
	for _, ddl := range rawDDL(r) {
		if _, err := conn.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("create raw.%s: %w", r.Name, err)
		}
	}
	if _, err := exec("validate", rejectsInsert(append(rules(r, present), overflowRule)), res.LoadID, name); err != nil {
		return err
	}
	if len(r.Unique) > 0 {
		if _, err := exec("check keys of", duplicatesInsert(r), res.LoadID, name); err != nil {
			return err
		}
	}
	ins, err := exec("insert", rawInsert(r), res.LoadID, name)
	if err != nil {
		return err
	}
	res.Accepted, _ = ins.RowsAffected()
	res.Read = land.rows
	if err := conn.QueryRowContext(ctx, `SELECT count(DISTINCT row_number) FROM meta.rejects WHERE load_id = ?`, res.LoadID).Scan(&res.Rejected); err != nil {
		return err
	}
	if res.Read != res.Accepted+res.Rejected {
		return fmt.Errorf("rows do not reconcile: read %d, accepted %d, rejected %d", res.Read, res.Accepted, res.Rejected)
	}
	if _, err := conn.ExecContext(ctx, coreView(r)); err != nil {
		return fmt.Errorf("core view for %s: %w", r.Name, err)
	}
	if r.WarnUnknownURN {
		w, err := unknownURNs(ctx, conn, r, res.LoadID)
		if err != nil {
			return err
		}
		warns = append(warns, w...)
	}
	if err := insertWarnings(ctx, conn, res.LoadID, name, fd.sheet, warns); err != nil {
		return err
	}
	res.Warnings = int64(len(warns))
	return l.recordLoad(ctx, conn, *res, sum, start)
}

type unknownColumn struct {
	header  string // as written, or "column N" when the header cell is blank
	cell    int
	upn     bool // the header names pupil numbers: values are pseudonymised
	unnamed bool // the header cell is blank
}

// landingColumns pairs the header's cells with spec columns; the rest are
// unknown columns kept in _extra, except columns of people's names, which
// are never loaded (their headers are returned as names).
func landingColumns(r *spec.Return, m spec.HeaderMatch, header []string, format string) ([]landingColumn, []unknownColumn, []string) {
	var cols []landingColumn
	used := map[int]bool{}
	for _, c := range r.Columns {
		if i, ok := m.Index[c.Name]; ok {
			cols = append(cols, landingColumn{name: c.Name, ident: landingCol(c.Name), cell: i, upn: c.Type == spec.TypeUPN, date: c.Type == spec.TypeDate})
			used[i] = true
			if c.Type == spec.TypeUPN {
				cols = append(cols, landingColumn{name: c.Name + "__invalid", ident: invalidCol(c.Name), cell: -1})
			}
		}
	}
	var unknown []unknownColumn
	var names []string
	for i, h := range header {
		h = strings.TrimSpace(h)
		switch {
		case used[i]:
		case h == "":
			unknown = append(unknown, unknownColumn{header: columnLabel(format, i), cell: i, unnamed: true})
		case isNameHeader(h):
			names = append(names, h)
		default:
			unknown = append(unknown, unknownColumn{header: h, cell: i, upn: isUPNHeader(h)})
		}
	}
	return cols, unknown, names
}

// columnLabel names the column at cell (0-based) of a sheet where it has no
// header: "column G" in a workbook, "column 7" in a CSV file.
func columnLabel(format string, cell int) string {
	if format == "xlsx" {
		if name, err := excelize.ColumnNumberToName(cell + 1); err == nil {
			return "column " + name
		}
	}
	return fmt.Sprintf("column %d", cell+1)
}

// isUPNHeader tells a column of pupil numbers by its header ("Former UPN",
// "Unique pupil number").
func isUPNHeader(h string) bool {
	n := spec.NormalizeName(h)
	return strings.Contains(n, "pupil_number") || slices.Contains(strings.Split(n, "_"), "upn")
}

// personNames are header words that mark a column of people's names.
var personNames = map[string]bool{"forename": true, "forenames": true, "surname": true, "surnames": true,
	"firstname": true, "lastname": true, "fullname": true, "name": true, "names": true}

// nameOf are the words before "name" that make it a person's name.
var nameOf = map[string]bool{"first": true, "last": true, "full": true, "middle": true, "given": true, "family": true,
	"pupil": true, "child": true, "student": true, "learner": true, "preferred": true, "legal": true, "former": true,
	"parent": true, "carer": true, "mother": true, "father": true, "person": true, "staff": true}

// isNameHeader tells a column of people's names by its header: "Forename",
// "Legal Surname", "Pupil name", "Name"; not "School name".
func isNameHeader(h string) bool {
	words := strings.Split(spec.NormalizeName(h), "_")
	for i, w := range words {
		switch {
		case w == "name" || w == "names":
			if len(words) == 1 || (i > 0 && nameOf[words[i-1]]) {
				return true
			}
		case personNames[w]:
			return true
		}
	}
	return false
}

type landed struct {
	rows, skipped int64
	warnings      []warning
}

// Landing columns before the spec's: row, sheet, extra JSON, and the first
// value beyond the header of a CSV row (with its column), which rejects it.
const landingFixed = 5

// land streams the sheet's data rows into the landing table with the
// Appender. UPNs are pseudonymised here, before anything reaches DuckDB:
// those of the UPN column, of other columns whose header names pupil
// numbers, and any value shaped like a UPN in other unknown columns.
func (l *Loader) land(ctx context.Context, conn *sql.Conn, f tabular.File, path string, fd found, cols []landingColumn, unknown []unknownColumn) (landed, error) {
	var out landed
	ps := pseudonym.New(l.opts.Key)
	headerKey := rowKey(fd.header)
	csv := f.Format() == "csv"
	date1904 := f.Date1904()
	upnValues := map[string]int{} // unknown column -> first row where a UPN-shaped value was pseudonymised
	beyond := map[string]int{}    // workbook column right of the header -> first row with a value
	// extraValue is what _extra keeps of an unknown cell: never a clear UPN.
	extraValue := func(u unknownColumn, v string, line int) string {
		switch {
		case u.upn && value.IsMissing(v):
			return v
		case u.upn && pseudonym.Valid(v):
			return ps.Of(v)
		case u.upn:
			return pseudonym.Mask(v)
		case pseudonym.Valid(v):
			if _, seen := upnValues[u.header]; !seen {
				upnValues[u.header] = line
			}
			return ps.Of(v)
		}
		return v
	}
	err := warehouse.WithDriverConn(conn, func(dc driver.Conn) error {
		app, err := duckdb.NewAppender(dc, "temp", "main", "landing")
		if err != nil {
			return fmt.Errorf("landing appender: %w", err)
		}
		vals := make([]driver.Value, landingFixed+len(cols))
		extra := map[string]string{}
		for row, err := range f.Rows(ctx, fd.sheet) {
			if err != nil {
				app.Close()
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return readError(path, fd.sheet, err)
			}
			if row.Line <= fd.headerLine {
				continue
			}
			switch {
			case blank(row.Cells):
				out.skipped++
				continue
			case rowKey(row.Cells) == headerKey:
				out.skipped++
				out.warnings = append(out.warnings, warning{row: int64(row.Line), rule: "repeated_header", message: "a repeated header row was skipped"})
				continue
			case isTotalRow(row.Cells):
				out.skipped++
				out.warnings = append(out.warnings, warning{row: int64(row.Line), rule: "total_row", value: firstCell(row.Cells), message: "a totals row was skipped"})
				continue
			}
			clear(vals)
			vals[0], vals[1] = int64(row.Line), fd.sheet
			for i, c := range cols {
				if c.cell < 0 {
					continue
				}
				cell := cellAt(row.Cells, c.cell)
				if cell == "" {
					continue
				}
				if c.upn {
					if value.IsMissing(cell) {
						continue
					}
					if pseudonym.Valid(cell) {
						vals[landingFixed+i] = ps.Of(cell)
					} else {
						vals[landingFixed+i+1] = pseudonym.Mask(cell) // the __invalid column follows
					}
					continue
				}
				if c.date && date1904 {
					cell = shift1904(cell)
				}
				vals[landingFixed+i] = cell
			}
			clear(extra)
			for _, u := range unknown {
				if v := cellAt(row.Cells, u.cell); strings.TrimSpace(v) != "" {
					extra[u.header] = extraValue(u, v, row.Line)
				}
			}
			// Values right of the header: in a CSV file, a sign that an
			// unquoted delimiter shifted the row, which is rejected; in a
			// workbook, notes beside the table, kept.
			for i := len(fd.header); i < len(row.Cells); i++ {
				v := row.Cells[i]
				if strings.TrimSpace(v) == "" {
					continue
				}
				label := columnLabel(f.Format(), i)
				if csv {
					if pseudonym.Valid(v) {
						v = pseudonym.Mask(v)
					}
					vals[3], vals[4] = label, v
					break
				}
				if _, seen := beyond[label]; !seen {
					beyond[label] = row.Line
				}
				extra[label] = extraValue(unknownColumn{header: label, cell: i}, v, row.Line)
			}
			if len(extra) > 0 {
				b, _ := json.Marshal(extra)
				vals[2] = string(b)
			}
			if err := app.AppendRow(vals...); err != nil {
				app.Close()
				return fmt.Errorf("append row %d: %w", row.Line, err)
			}
			out.rows++
			if out.rows%65536 == 0 && ctx.Err() != nil {
				app.Close()
				return ctx.Err()
			}
		}
		return app.Close()
	})
	for _, label := range slices.Sorted(maps.Keys(beyond)) {
		out.warnings = append(out.warnings, warning{row: int64(beyond[label]), column: label, rule: "unnamed_column",
			message: fmt.Sprintf("%s, right of the header, has values: kept in raw.%s._extra under %q; give the column a header", label, fd.ret.Name, label)})
	}
	for _, col := range slices.Sorted(maps.Keys(upnValues)) {
		out.warnings = append(out.warnings, warning{row: int64(upnValues[col]), column: col, rule: "upn_column",
			message: fmt.Sprintf("column %q has values shaped like pupil numbers: kept pseudonymised in raw.%s._extra", col, fd.ret.Name)})
	}
	return out, err
}

// shift1904 turns the serial day number of a 1904 date-system workbook
// into a 1900-system one, which the date parser reads. Dates typed as text
// and bare years (which the parser rejects) are left alone.
func shift1904(cell string) string {
	t := strings.TrimSpace(cell)
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" || len(whole) > 5 || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return cell
	}
	n, _ := strconv.Atoi(whole)
	if len(whole) == 4 && n >= 1900 && n <= 2099 {
		return cell
	}
	out := strconv.Itoa(n + tabular.Date1904Offset)
	if frac != "" {
		out += "." + frac
	}
	return out
}

func cellAt(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func rowKey(cells []string) string {
	parts := make([]string, 0, len(cells))
	for _, c := range cells {
		parts = append(parts, spec.NormalizeName(c))
	}
	return strings.TrimRight(strings.Join(parts, "\x1f"), "\x1f")
}

func firstCell(cells []string) string {
	for _, c := range cells {
		if t := strings.TrimSpace(c); t != "" {
			return t
		}
	}
	return ""
}

// isTotalRow spots the totals row people add at the bottom of a sheet: its
// first non-blank cell says total.
func isTotalRow(cells []string) bool {
	switch spec.NormalizeName(firstCell(cells)) {
	case "total", "totals", "grand_total", "total:", "totals:", "sum":
		return true
	}
	return false
}

type warning struct {
	row                 int64
	column, value, rule string
	message             string
}

func insertWarnings(ctx context.Context, conn *sql.Conn, loadID int64, file, sheet string, ws []warning) error {
	for _, w := range ws {
		_, err := conn.ExecContext(ctx, `INSERT INTO meta.warnings (load_id, file, sheet, row_number, column_name, value, rule, message)
			VALUES (?, ?, nullif(?, ''), nullif(?, 0), nullif(?, ''), nullif(?, ''), ?, ?)`,
			loadID, file, sheet, w.row, w.column, w.value, w.rule, w.message)
		if err != nil {
			return fmt.Errorf("record warning: %w", err)
		}
	}
	return nil
}

// unknownURNs warns, once per URN, about rows naming a school that is not in
// the school register (the rows are kept).
func unknownURNs(ctx context.Context, conn *sql.Conn, r *spec.Return, loadID int64) ([]warning, error) {
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = 'schools'`).Scan(&n); err != nil {
		return nil, err
	}
	known := "SELECT DISTINCT urn FROM raw.schools"
	if n == 0 {
		known = "SELECT NULL::BIGINT AS urn WHERE false"
	}
	rows, err := conn.QueryContext(ctx, "SELECT urn, min(_source_row), count(*) FROM raw."+q(r.Name)+
		" WHERE _load_id = ? AND urn NOT IN ("+known+") GROUP BY urn ORDER BY urn", loadID)
	if err != nil {
		return nil, fmt.Errorf("check URNs: %w", err)
	}
	defer rows.Close()
	var out []warning
	for rows.Next() {
		var urn, first, count int64
		if err := rows.Scan(&urn, &first, &count); err != nil {
			return nil, err
		}
		out = append(out, warning{row: first, column: "urn", value: fmt.Sprint(urn), rule: "unknown_urn",
			message: fmt.Sprintf("URN %d is not in the school register (%d rows, kept): load the schools return first or correct the URN", urn, count)})
	}
	return out, rows.Err()
}

func (l *Loader) nextLoadID(ctx context.Context, conn *sql.Conn) (int64, error) {
	var id int64
	err := conn.QueryRowContext(ctx, `SELECT coalesce(max(load_id), 0) + 1 FROM meta.loads`).Scan(&id)
	return id, err
}

type earlierLoad struct {
	id               int64
	file, returnType string
}

// loadedBefore finds an earlier successful load of the same bytes.
func (l *Loader) loadedBefore(ctx context.Context, sum string) (earlierLoad, bool, error) {
	var e earlierLoad
	err := l.db.QueryRowContext(ctx, `SELECT load_id, file_name, return_type FROM meta.loads WHERE sha256 = ? AND status = 'loaded' ORDER BY load_id LIMIT 1`, sum).
		Scan(&e.id, &e.file, &e.returnType)
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	return e, err == nil, err
}

func (l *Loader) recordLoad(ctx context.Context, conn *sql.Conn, res Result, sum string, start time.Time) error {
	status := res.Status
	if status == "" {
		status = StatusLoaded
	}
	msg := res.Message
	if res.Err != nil {
		msg = res.Err.Error()
	}
	_, err := conn.ExecContext(ctx, `INSERT INTO meta.loads (load_id, run_id, file_path, file_name, sha256, return_type, sheet, header_row,
		rows_read, rows_accepted, rows_rejected, rows_skipped, status, message, started_at, finished_at, program_version)
		VALUES (?, ?, ?, ?, ?, nullif(?, ''), nullif(?, ''), nullif(?, 0), ?, ?, ?, ?, ?, nullif(?, ''), ?, now(), ?)`,
		res.LoadID, l.runID, res.File, filepath.Base(res.File), sum, res.Return, res.Sheet, res.HeaderRow,
		res.Read, res.Accepted, res.Rejected, res.Skipped, status, msg, start, buildinfo.String())
	if err != nil {
		return fmt.Errorf("record load: %w", err)
	}
	return nil
}

// recordWhole records a file that loaded no rows (duplicate, rejected or
// failed) in its own transaction.
func (l *Loader) recordWhole(ctx context.Context, res Result, sum string, start time.Time) (Result, error) {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	if res.LoadID == 0 {
		if res.LoadID, err = l.nextLoadID(ctx, conn); err != nil {
			return res, err
		}
	}
	if sum == "" {
		sum = "unreadable"
	}
	if err := l.recordLoad(ctx, conn, res, sum, start); err != nil {
		return res, err
	}
	if res.Err != nil {
		var fe *FileError
		if errors.As(res.Err, &fe) {
			_, err = conn.ExecContext(ctx, `INSERT INTO meta.rejects (load_id, file, sheet, row_number, column_name, value, rule, message)
				VALUES (?, ?, nullif(?, ''), nullif(?, 0), nullif(?, ''), nullif(?, ''), 'file', ?)`,
				res.LoadID, filepath.Base(res.File), fe.Sheet, fe.Row, fe.Column, fe.Value, fe.Err.Error())
		}
	}
	return res, err
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
