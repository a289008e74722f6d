// Package export turns the indicator tables of the warehouse into files for
// people: one workbook per priority of the plan for the priority leads
// (Summary, one sheet per metric, Definitions, Notes, About), and CSV, Parquet
// and Explore Education Statistics (EES) files for analysts.
//
// Every export carries aggregates only (it reads indicators.metric_values,
// indicators.benchmarks and the catalogue, never raw.*) and applies
// small-number suppression ([Suppress]) unless the caller asks for an
// unsuppressed internal copy. Files are written
// to a temporary file beside the target and renamed into place, owner-only.
//
// The flow is: [LoadPriority] reads one priority into plain structs,
// [Priority.Suppress] applies [Suppress], then
// [WriteWorkbook] or the table writers write it; [Workbooks] and [Export] do
// all three for the commands.
package export

import (
	"cmp"
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// HackneyCode is the borough's geography_code (DESIGN.md labels).
const HackneyCode = "E09000012"

// Creator is the author recorded in every workbook's document properties.
const Creator = "Hackney Education planmetrics"

//go:embed sql/metrics.sql
var metricsSQL string

//go:embed sql/values.sql
var valuesSQL string

//go:embed sql/run.sql
var runSQL string

//go:embed sql/loads.sql
var loadsSQL string

// Format is an export format.
type Format string

// The export formats.
const (
	FormatXLSX    Format = "xlsx"    // one workbook per priority
	FormatCSV     Format = "csv"     // metric_values, metrics and benchmarks as CSV
	FormatParquet Format = "parquet" // metric_values, metrics and benchmarks as Parquet, types kept
	FormatEES     Format = "ees"     // tidy data + metadata CSV, EES standard
)

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatXLSX, FormatCSV, FormatParquet, FormatEES:
		return f, nil
	}
	return "", fmt.Errorf("format %q: use xlsx, csv, parquet or ees", s)
}

// ParsePriorities reads a --priority value: a number 1..5 or "all".
func ParsePriorities(s string) ([]int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "all" {
		return AllPriorities(), nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || PriorityInfo(n).Title == "" {
		return nil, fmt.Errorf("priority %q: use a number from 1 to 5, or all", s)
	}
	return []int{n}, nil
}

// AllPriorities lists the plan's priorities, 1 to 5.
func AllPriorities() []int { return []int{1, 2, 3, 4, 5} }

// Info names a priority of the plan and the lead who owns it.
type Info struct {
	Number int
	Title  string
	Lead   string
}

// PriorityInfo returns the plan's title and lead for priority n (zero Info
// for an unknown n).
func PriorityInfo(n int) Info {
	switch n {
	case 1:
		return Info{1, "SEND and inclusion", "Head of SEND"}
	case 2:
		return Info{2, "Alternative learning provision", "AD for Early Years, Early Help and Wellbeing"}
	case 3:
		return Info{3, "Strength and sustainability", "AD of School Estates"}
	case 4:
		return Info{4, "Sustainable school improvement", "Head of School Performance and Improvement"}
	case 5:
		return Info{5, "Equity for children and families", "System Leader for Diversity and Inclusion"}
	}
	return Info{}
}

// Options control an export.
type Options struct {
	// Priorities to export; nil means all five.
	Priorities []int
	// SuppressBelow is the small-number threshold: a value whose numerator or
	// denominator is below it is shown as "c". 0 turns suppression off.
	SuppressBelow int
	// NoSuppress writes unsuppressed figures, for internal use only; every
	// output says so.
	NoSuppress bool
	// Now stamps the outputs; nil means time.Now.
	Now func() time.Time
}

func (o Options) priorities() []int {
	if len(o.Priorities) == 0 {
		return AllPriorities()
	}
	return o.Priorities
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// threshold is the threshold in force (0 = none).
func (o Options) threshold() int {
	if o.NoSuppress || o.SuppressBelow < 0 {
		return 0
	}
	return o.SuppressBelow
}

// Metric is one entry of the catalogue (indicators.metrics).
type Metric struct {
	ID          string
	Name        string
	Priority    int
	Definition  string
	Numerator   string
	Denominator string
	Unit        string // percent | per_100 | per_10000 | count | ratio | gbp
	Direction   string // up | down | towards_1 | towards_0
	Sources     string // source returns, joined with "; "
	PlanWording string
	SameAs      string
	Notes       string
	// HeadlineMeasure is the measure the Summary shows ("" = value), and
	// HeadlineBreakdown the breakdown whose every value gets a Summary row
	// ("" or "all" = the total only), e.g. focus_group for risk ratios.
	HeadlineMeasure   string
	HeadlineBreakdown string
}

func (m Metric) headlineMeasure() string   { return cmp.Or(m.HeadlineMeasure, "value") }
func (m Metric) headlineBreakdown() string { return cmp.Or(m.HeadlineBreakdown, all) }

// Value is one row of indicators.metric_values, plus what suppression decided.
type Value struct {
	MetricID       string
	Priority       int
	Measure        string
	Period         string
	PeriodType     string
	PeriodStart    sql.Null[time.Time]
	PeriodEnd      sql.Null[time.Time]
	GeographyLevel string
	GeographyCode  string
	GeographyName  string
	Phase          string
	Breakdown      string
	BreakdownValue string
	Numerator      sql.Null[float64]
	Denominator    sql.Null[float64]
	Value          sql.Null[float64]
	Unit           string
	CILower        sql.Null[float64]
	CIUpper        sql.Null[float64]
	Target         sql.Null[float64]
	Status         string
	PreviousValue  sql.Null[float64]
	Change         sql.Null[float64]
	Flag           string
	RunID          sql.Null[int64]
	ComputedAt     sql.Null[time.Time]

	// Totals a row adds up to besides the row "all", for [Suppress]. Set by
	// [LoadPriority] from the warehouse's reference tables: an ethnicity
	// code's ethnicity group and focus group (seed.ethnicity, as the
	// pipelines map them), a school's neighbourhood in the value's year
	// (core.schools). Empty when not known.
	EthnicityGroup string
	FocusGroup     string
	Neighbourhood  string

	// Suppressed is set by [Suppress]: the row's figures are shown as "c".
	Suppressed Suppression
	// PreviousSuppressed is set by [Suppress] when the previous period's
	// value is suppressed, so PreviousValue and Change would reveal it.
	PreviousSuppressed bool
}

// HideTarget reports whether Target must not be shown: with no stated
// target the engine uses the previous value as the target, which would
// reveal a suppressed previous period.
func (v *Value) HideTarget() bool {
	return v.PreviousSuppressed && v.Target.Valid && v.PreviousValue.Valid && v.Target.V == v.PreviousValue.V
}

// HidePrevious reports whether PreviousValue and Change must not be shown.
func (v *Value) HidePrevious() bool { return v.Suppressed != NotSuppressed || v.PreviousSuppressed }

// Run is the warehouse run that computed the exported values (meta.runs).
type Run struct {
	ID             int64
	Command        string
	StartedAt      sql.Null[time.Time]
	FinishedAt     sql.Null[time.Time]
	Status         string
	ProgramVersion string
}

// Load is when a return was last loaded (meta.loads).
type Load struct {
	ReturnType   string
	LoadedAt     sql.Null[time.Time]
	FileName     string
	RowsAccepted int64
	RowsRejected int64
	FilesLoaded  int64
}

// Priority is everything one export of one priority needs.
type Priority struct {
	Info
	Metrics []Metric
	Values  []Value
	// Benchmarks are the metrics' published comparisons
	// (indicators.benchmarks); none when the warehouse has no such table.
	Benchmarks []Benchmark
	Run        sql.Null[Run]
	Loads      []Load

	// Set by [Priority.Suppress].
	Threshold int
	Stats     SuppressionStats

	// related are the other priorities' values: [Priority.Suppress] must
	// see them, as a figure hidden in one priority's export must not be
	// shown in another's.
	related []Value
}

// Suppress applies small-number suppression to p's values with threshold
// (0 = none), judged together with the other priorities' values that
// [LoadPriority] read, and records the threshold and counts for the About
// sheet. A benchmark's computed Hackney figure is hidden where the value it
// comes from is (published figures are public and never hidden).
func (p *Priority) Suppress(threshold int) {
	p.Threshold = threshold
	every := append(p.Values[:len(p.Values):len(p.Values)], p.related...)
	Suppress(every, threshold)
	copy(p.Values, every)
	p.Stats = SuppressionStats{}
	for _, v := range p.Values {
		switch v.Suppressed {
		case Primary:
			p.Stats.Primary++
		case Secondary:
			p.Stats.Secondary++
		}
	}
	suppressBenchmarks(p.Benchmarks, p.Values, threshold)
}

// LoadPriority reads priority n (0 = every priority) from the warehouse into
// plain structs, with the other priorities' values and the reference data
// (ethnicity groups, schools' neighbourhoods) that [Priority.Suppress]
// needs. db may be read-only. A priority with no catalogue entries or
// values yields an empty Priority, not an error.
func LoadPriority(ctx context.Context, db *sql.DB, n int) (*Priority, error) {
	p := &Priority{Info: PriorityInfo(n)}
	if n == 0 {
		p.Info = Info{Title: "All priorities"}
	}
	var err error
	if p.Metrics, err = loadMetrics(ctx, db, n); err != nil {
		return nil, err
	}
	every, err := loadValues(ctx, db, 0)
	if err != nil {
		return nil, err
	}
	p.Values = every
	if n != 0 {
		p.Values = nil
		for _, v := range every {
			if v.Priority == n {
				p.Values = append(p.Values, v)
			} else {
				p.related = append(p.related, v)
			}
		}
	}
	ref, err := loadReference(ctx, db)
	if err != nil {
		return nil, err
	}
	ref.annotate(p.Values)
	ref.annotate(p.related)
	if p.Benchmarks, err = loadBenchmarks(ctx, db, n); err != nil {
		return nil, err
	}
	if p.Run, err = loadRun(ctx, db, n); err != nil {
		return nil, err
	}
	if p.Loads, err = loadLoads(ctx, db); err != nil {
		return nil, err
	}
	return p, nil
}

func loadMetrics(ctx context.Context, db *sql.DB, n int) ([]Metric, error) {
	rows, err := db.QueryContext(ctx, metricsSQL, n)
	if err != nil {
		return nil, fmt.Errorf("read indicators.metrics: %w (run 'planmetrics build' to create the catalogue)", err)
	}
	defer rows.Close()
	// Columns are read by name, so a catalogue with more (or, from an older
	// warehouse, fewer optional) columns still exports.
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("read indicators.metrics: %w", err)
	}
	var out []Metric
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("read indicators.metrics: %w", err)
		}
		get := func(name string) string {
			i := slices.Index(cols, name)
			if i < 0 {
				return ""
			}
			return anyText(vals[i])
		}
		m := Metric{
			ID: get("metric_id"), Name: get("name"), Definition: get("definition"),
			Numerator: get("numerator"), Denominator: get("denominator"), Unit: get("unit"),
			Direction: get("direction"), Sources: get("sources"), PlanWording: get("plan_wording"),
			SameAs: get("same_as"), Notes: get("notes"),
			HeadlineMeasure: get("headline_measure"), HeadlineBreakdown: get("headline_breakdown"),
		}
		m.Priority, _ = strconv.Atoi(get("priority"))
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read indicators.metrics: %w", err)
	}
	return out, nil
}

// anyText renders a catalogue cell as text: lists (sources, plan wording)
// are joined with "; ".
func anyText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []any:
		parts := make([]string, 0, len(x))
		for _, p := range x {
			if s := anyText(p); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}

func loadValues(ctx context.Context, db *sql.DB, n int) ([]Value, error) {
	rows, err := db.QueryContext(ctx, valuesSQL, n)
	if err != nil {
		return nil, fmt.Errorf("read indicators.metric_values: %w (run 'planmetrics build' to compute the metrics)", err)
	}
	defer rows.Close()
	var out []Value
	for rows.Next() {
		var v Value
		if err := rows.Scan(&v.MetricID, &v.Priority, &v.Measure, &v.Period, &v.PeriodType,
			&v.PeriodStart, &v.PeriodEnd, &v.GeographyLevel, &v.GeographyCode, &v.GeographyName,
			&v.Phase, &v.Breakdown, &v.BreakdownValue, &v.Numerator, &v.Denominator, &v.Value,
			&v.Unit, &v.CILower, &v.CIUpper, &v.Target, &v.Status, &v.PreviousValue, &v.Change,
			&v.Flag, &v.RunID, &v.ComputedAt); err != nil {
			return nil, fmt.Errorf("read indicators.metric_values row %d: %w", len(out)+1, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read indicators.metric_values: %w", err)
	}
	return out, nil
}

func loadRun(ctx context.Context, db *sql.DB, n int) (sql.Null[Run], error) {
	var r Run
	var command, status, version sql.Null[string]
	err := db.QueryRowContext(ctx, runSQL, n).Scan(&r.ID, &command, &r.StartedAt, &r.FinishedAt, &status, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return sql.Null[Run]{}, nil
	}
	if err != nil {
		return sql.Null[Run]{}, fmt.Errorf("read meta.runs: %w", err)
	}
	r.Command, r.Status, r.ProgramVersion = command.V, status.V, version.V
	return sql.Null[Run]{V: r, Valid: true}, nil
}

func loadLoads(ctx context.Context, db *sql.DB) ([]Load, error) {
	rows, err := db.QueryContext(ctx, loadsSQL)
	if err != nil {
		return nil, fmt.Errorf("read meta.loads: %w", err)
	}
	defer rows.Close()
	var out []Load
	for rows.Next() {
		var l Load
		if err := rows.Scan(&l.ReturnType, &l.LoadedAt, &l.FileName, &l.RowsAccepted, &l.RowsRejected, &l.FilesLoaded); err != nil {
			return nil, fmt.Errorf("read meta.loads: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read meta.loads: %w", err)
	}
	return out, nil
}

// Workbooks writes priority-N.xlsx into outDir for each priority in opts
// (all five by default) and returns the paths written. It is what the run
// command calls after a build. db may be read-only.
func Workbooks(ctx context.Context, db *sql.DB, outDir string, opts Options) ([]string, error) {
	if err := ensureDir(outDir); err != nil {
		return nil, err
	}
	var paths []string
	for _, n := range opts.priorities() {
		if err := ctx.Err(); err != nil {
			return paths, err
		}
		p, err := LoadPriority(ctx, db, n)
		if err != nil {
			return paths, fmt.Errorf("priority %d: %w", n, err)
		}
		p.Suppress(opts.threshold())
		path := filepath.Join(outDir, fmt.Sprintf("priority-%d.xlsx", n))
		if err := WriteWorkbook(path, p, opts); err != nil {
			return paths, fmt.Errorf("priority %d: %w", n, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// Export writes the chosen format for the priorities in opts into outDir and
// returns the paths written.
func Export(ctx context.Context, db *sql.DB, outDir string, format Format, opts Options) ([]string, error) {
	switch format {
	case FormatXLSX:
		return Workbooks(ctx, db, outDir, opts)
	case FormatCSV, FormatParquet:
		return Tables(ctx, db, outDir, format, opts)
	case FormatEES:
		return EES(ctx, db, outDir, opts)
	}
	return nil, fmt.Errorf("format %q: use xlsx, csv, parquet or ees", format)
}

// loadSelected loads and suppresses the priorities in opts as one Priority
// (0 when all five are wanted, so one query reads everything).
func loadSelected(ctx context.Context, db *sql.DB, opts Options) (*Priority, string, error) {
	ps := opts.priorities()
	n, suffix := 0, ""
	if len(ps) == 1 {
		n, suffix = ps[0], fmt.Sprintf("-priority-%d", ps[0])
	} else if len(ps) != len(AllPriorities()) {
		return nil, "", fmt.Errorf("priorities %v: export one priority or all", ps)
	}
	p, err := LoadPriority(ctx, db, n)
	if err != nil {
		return nil, "", err
	}
	p.Suppress(opts.threshold())
	return p, suffix, nil
}

func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("output folder %s: %w (check --out and its permissions)", dir, err)
	}
	return nil
}

// writeAtomic writes path through fill on a temporary file in the same
// folder, created owner-only, then renames it into place: readers never see
// a half-written file, and a failed write leaves the old one.
func writeAtomic(path string, fill func(f *os.File) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = fill(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
