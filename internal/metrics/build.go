// Package metrics is the metric engine: it loads the seeds and the metric
// catalogue, runs the core models and every metric's SQL in dependency
// order, and writes indicators.metric_values with targets, previous values
// and status, plus the indicators.latest and per-priority views. It also
// reads the results back as headlines and writes the data dictionary.
//
// A metric is a file pipelines/metrics/<id>.sql (one SELECT returning the
// contract columns, see [ContractColumns]) plus its catalogue entry in
// pipelines/metrics/*.yaml. Both are read through an fs.FS, so an override
// directory adds a metric without a rebuild.
package metrics

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"planmetrics/internal/warehouse"
)

//go:embed sql/*.sql
var engineSQL embed.FS

// ContractColumns are the columns every metric SQL file returns, in the
// order of stage._shape (the order in the file is free).
var ContractColumns = []string{
	"measure", "period", "period_type", "period_start", "period_end",
	"geography_level", "geography_code", "geography_name", "phase",
	"breakdown", "breakdown_value", "numerator", "denominator", "value",
	"unit", "ci_lower", "ci_upper", "flag",
}

// Borough identifies Hackney in geography_code and geography_name.
const (
	BoroughCode = "E09000012"
	BoroughName = "Hackney"
)

// Options configure [Build].
type Options struct {
	// Pipelines is the pipelines tree (core/*.sql, metrics/*.sql and
	// metrics/*.yaml at its root); Seeds holds the seed CSV files.
	Pipelines fs.FS
	Seeds     fs.FS
	// RunID is stamped on every value (meta.runs.run_id).
	RunID int64
	// MinEvents and MinGroup are the small-number thresholds metric SQL
	// reads as getvariable('min_events') and getvariable('min_group').
	MinEvents int
	MinGroup  int
	// KeepStage leaves the stage schema (each metric's raw output) in the
	// warehouse, for debugging a metric.
	KeepStage bool
	Logger    *slog.Logger
}

func (o Options) validate() error {
	var errs []error
	if o.Pipelines == nil {
		errs = append(errs, errors.New("no pipelines tree"))
	}
	if o.Seeds == nil {
		errs = append(errs, errors.New("no seeds tree"))
	}
	if o.MinEvents < 0 || o.MinGroup < 0 {
		errs = append(errs, fmt.Errorf("metrics.min_events %d and metrics.min_group %d must not be negative", o.MinEvents, o.MinGroup))
	}
	return errors.Join(errs...)
}

// Result summarises a build.
type Result struct {
	RunID    int64
	Metrics  int      // catalogue entries
	Computed []string // metrics whose SQL ran and returned rows
	NoData   []string // metrics with one no_data row
	Values   int64    // rows written to indicators.metric_values
	Duration time.Duration
}

// MetricError is returned by [Build] when a metric's SQL fails or its output
// breaks the contract.
type MetricError struct {
	Metric string
	File   string
	Err    error
}

func (e *MetricError) Error() string {
	return fmt.Sprintf("%s: metric %s: %v", e.File, e.Metric, e.Err)
}

func (e *MetricError) Unwrap() error { return e.Err }

// Build recomputes every metric in one transaction on db: it loads the
// seeds into schema seed, runs pipelines/core/*.sql in name order, loads the
// catalogue into indicators.metrics, runs each metric's SQL in dependency
// order (a metric whose source returns have no rows in core, or that has
// no SQL file yet, gets one no_data row), computes targets, previous values,
// change and status, replaces indicators.metric_values, records the loads
// read in indicators.run_sources and recreates the indicators views. On
// error nothing is changed.
func Build(ctx context.Context, db *sql.DB, opts Options) (Result, error) {
	start := time.Now()
	if err := opts.validate(); err != nil {
		return Result{}, fmt.Errorf("metric build options: %w", err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cat, err := LoadCatalogue(opts.Pipelines)
	if err != nil {
		return Result{}, fmt.Errorf("metric catalogue: %w", err)
	}
	order, err := cat.Order()
	if err != nil {
		return Result{}, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return Result{}, fmt.Errorf("begin metric build: %w", err)
	}
	b := &builder{tx: tx, opts: opts, log: log, cat: cat}
	res, err := b.run(ctx, order)
	if err != nil {
		return Result{}, errors.Join(err, rollback(tx))
	}
	if err := tx.Commit(); err != nil {
		return Result{}, fmt.Errorf("commit metric build: %w", err)
	}
	res.Duration = time.Since(start)
	log.Info("metrics built", "run_id", opts.RunID, "metrics", res.Metrics, "computed", len(res.Computed),
		"no_data", len(res.NoData), "values", res.Values, "duration", res.Duration.Round(time.Millisecond))
	return res, nil
}

func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("roll back metric build: %w", err)
	}
	return nil
}

type builder struct {
	tx   *sql.Tx
	opts Options
	log  *slog.Logger
	cat  Catalogue
}

func (b *builder) run(ctx context.Context, order []string) (Result, error) {
	start := time.Now()
	res := Result{RunID: b.opts.RunID, Metrics: len(b.cat)}
	// Integers from config, not user text: safe to format into the statement
	// (SET VARIABLE takes no parameters).
	set := fmt.Sprintf("set variable min_events = %d; set variable min_group = %d; set variable pm_run_id = %d;",
		b.opts.MinEvents, b.opts.MinGroup, b.opts.RunID)
	if _, err := b.tx.ExecContext(ctx, set); err != nil {
		return res, fmt.Errorf("set metric variables: %w", err)
	}
	if err := loadSeeds(ctx, b.tx, b.opts.Seeds); err != nil {
		return res, err
	}
	if err := b.runCore(ctx); err != nil {
		return res, err
	}
	b.log.Debug("seeds and core models loaded", "duration", time.Since(start).Round(time.Millisecond))
	if err := b.writeCatalogue(ctx); err != nil {
		return res, err
	}
	if err := b.execFile(ctx, "prepare.sql"); err != nil {
		return res, err
	}
	if err := b.checkTargets(ctx); err != nil {
		return res, err
	}
	loaded, err := b.loadedSources(ctx)
	if err != nil {
		return res, err
	}
	for _, id := range order {
		m, _ := b.cat.Lookup(id)
		n, err := b.runMetric(ctx, m, loaded)
		if err != nil {
			return res, err
		}
		if n == 0 {
			if _, err := b.tx.ExecContext(ctx, b.sql("no_data.sql"), m.ID, m.Priority, m.Unit); err != nil {
				return res, fmt.Errorf("no_data row for %s: %w", m.ID, err)
			}
			res.NoData = append(res.NoData, m.ID)
			continue
		}
		res.Computed = append(res.Computed, m.ID)
	}
	b.log.Debug("metric SQL run", "duration", time.Since(start).Round(time.Millisecond))
	if err := b.execFile(ctx, "finish.sql"); err != nil {
		return res, err
	}
	if err := b.recordSources(ctx, loaded); err != nil {
		return res, err
	}
	if err := b.execFile(ctx, "views.sql"); err != nil {
		return res, err
	}
	if !b.opts.KeepStage {
		if err := b.dropStage(ctx, order); err != nil {
			return res, err
		}
	}
	if err := b.tx.QueryRowContext(ctx, "select count(*) from indicators.metric_values").Scan(&res.Values); err != nil {
		return res, fmt.Errorf("count metric values: %w", err)
	}
	return res, nil
}

// dropStage drops the stage tables one by one, then the schema: DuckDB
// 1.5 refuses to commit a DROP SCHEMA ... CASCADE of tables written in the
// same transaction.
func (b *builder) dropStage(ctx context.Context, order []string) error {
	tables := append([]string{"_values", "_shape"}, order...)
	for _, t := range tables {
		if _, err := b.tx.ExecContext(ctx, "drop table "+stageTable(t)); err != nil {
			return fmt.Errorf("drop stage table %s: %w", t, err)
		}
	}
	if _, err := b.tx.ExecContext(ctx, "drop schema stage"); err != nil {
		return fmt.Errorf("drop stage schema: %w", err)
	}
	return nil
}

// sql returns an embedded engine SQL file.
func (b *builder) sql(name string) string {
	s, err := engineSQL.ReadFile("sql/" + name)
	if err != nil {
		panic("metrics: missing embedded sql/" + name) // a build error, not a runtime one
	}
	return string(s)
}

func (b *builder) execFile(ctx context.Context, name string) error {
	if _, err := b.tx.ExecContext(ctx, b.sql(name)); err != nil {
		return fmt.Errorf("metric engine %s: %w", name, err)
	}
	return nil
}

// runCore runs pipelines/core/*.sql in name order. A file whose
// "-- requires:" objects are missing from schema core is skipped: the
// metrics reading it have those returns as sources and get no_data.
func (b *builder) runCore(ctx context.Context) error {
	files, err := fs.Glob(b.opts.Pipelines, "core/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		text, err := fs.ReadFile(b.opts.Pipelines, f)
		if err != nil {
			return fmt.Errorf("core model %s: %w", f, err)
		}
		var missing []string
		for _, r := range parseHeader(string(text), "requires") {
			ok, err := b.coreExists(ctx, r)
			if err != nil {
				return err
			}
			if !ok {
				missing = append(missing, r)
			}
		}
		if len(missing) > 0 {
			b.log.Info("core model skipped: returns not loaded", "file", f, "missing", strings.Join(missing, ","))
			continue
		}
		if _, err := b.tx.ExecContext(ctx, string(text)); err != nil {
			return fmt.Errorf("core model %s: %w: fix the SQL (it runs on every build)", f, err)
		}
	}
	return nil
}

func (b *builder) coreExists(ctx context.Context, name string) (bool, error) {
	var n int
	err := b.tx.QueryRowContext(ctx,
		`select count(*) from information_schema.tables where table_schema = 'core' and table_name = ?`, name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up core.%s: %w", name, err)
	}
	return n > 0, nil
}

// writeCatalogue replaces indicators.metrics with the catalogue.
func (b *builder) writeCatalogue(ctx context.Context) error {
	if _, err := b.tx.ExecContext(ctx, "delete from indicators.metrics"); err != nil {
		return fmt.Errorf("clear metric catalogue: %w", err)
	}
	stmt, err := b.tx.PrepareContext(ctx, `insert into indicators.metrics
		(metric_id, name, priority, definition, numerator, denominator, unit, direction, sources,
		 plan_wording, same_as, notes, headline_measure, headline_breakdown)
		values (?, ?, ?, ?, nullif(?, ''), nullif(?, ''), ?, ?, string_split(?, ','),
		        nullif(?, ''), nullif(?, ''), nullif(?, ''), ?, ?)`)
	if err != nil {
		return fmt.Errorf("write metric catalogue: %w", err)
	}
	defer stmt.Close()
	for _, m := range b.cat {
		_, err := stmt.ExecContext(ctx, m.ID, m.Name, m.Priority, m.Definition, m.Numerator, m.Denominator,
			m.Unit, m.Direction, strings.Join(m.Sources, ","), m.PlanWordingText(), m.SameAs,
			strings.TrimSpace(m.Notes), m.HeadlineMeasure, m.HeadlineBreakdown)
		if err != nil {
			return fmt.Errorf("write catalogue entry %s: %w", m.ID, err)
		}
	}
	return nil
}

func (b *builder) checkTargets(ctx context.Context) error {
	var msg string
	err := b.tx.QueryRowContext(ctx, b.sql("check_targets.sql")).Scan(&msg)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("check seeds/targets.csv: %w", err)
	default:
		return fmt.Errorf("seeds/targets.csv: %s", msg)
	}
}

// loadedSources reports, for every source named in the catalogue, whether
// core.<source> exists and has at least one row.
func (b *builder) loadedSources(ctx context.Context) (map[string]bool, error) {
	loaded := map[string]bool{}
	for _, m := range b.cat {
		for _, s := range m.Sources {
			if _, seen := loaded[s]; seen {
				continue
			}
			ok, err := b.coreExists(ctx, s)
			if err != nil {
				return nil, err
			}
			if ok {
				q := "select exists (select 1 from " + coreTable(s) + ")"
				if err := b.tx.QueryRowContext(ctx, q).Scan(&ok); err != nil {
					return nil, fmt.Errorf("read core.%s: %w", s, err)
				}
			}
			loaded[s] = ok
		}
	}
	return loaded, nil
}

// runMetric materialises one metric as stage.<id> and appends its rows to
// stage._values. It returns the number of rows; 0 means no data (no SQL
// file, a source not loaded, or an empty result).
func (b *builder) runMetric(ctx context.Context, m Metric, loaded map[string]bool) (int64, error) {
	table := stageTable(m.ID)
	// Always create the stage table, so metrics that depend on this one run
	// (and find no rows) even when it has no data.
	if _, err := b.tx.ExecContext(ctx, "create table "+table+" as select * from stage._shape limit 0"); err != nil {
		return 0, fmt.Errorf("create %s: %w", table, err)
	}
	var missing []string
	for _, s := range m.Sources {
		if !loaded[s] {
			missing = append(missing, s)
		}
	}
	switch {
	case m.File == "":
		b.log.Debug("metric has no SQL file yet", "metric", m.ID)
		return 0, nil
	case len(missing) > 0:
		b.log.Info("metric not computed: source returns not loaded", "metric", m.ID, "missing", strings.Join(missing, ","))
		return 0, nil
	}
	start := time.Now()
	body := trimSQL(m.sql)
	if err := b.checkColumns(ctx, body); err != nil {
		return 0, &MetricError{Metric: m.ID, File: m.File, Err: err}
	}
	if _, err := b.tx.ExecContext(ctx, "insert into "+table+" by name select * from (\n"+body+"\n)"); err != nil {
		return 0, &MetricError{Metric: m.ID, File: m.File, Err: fmt.Errorf("%w: fix the SQL or remove the file", err)}
	}
	var msg string
	err := b.tx.QueryRowContext(ctx, strings.ReplaceAll(b.sql("check_metric.sql"), "{{table}}", table)).Scan(&msg)
	switch {
	case err == nil:
		return 0, &MetricError{Metric: m.ID, File: m.File, Err: errors.New(msg)}
	case !errors.Is(err, sql.ErrNoRows):
		return 0, &MetricError{Metric: m.ID, File: m.File, Err: fmt.Errorf("check output: %w", err)}
	}
	res, err := b.tx.ExecContext(ctx,
		"insert into stage._values by name select cast(? as varchar) as metric_id, cast(? as integer) as priority, false as no_data, * from "+table,
		m.ID, m.Priority)
	if err != nil {
		return 0, &MetricError{Metric: m.ID, File: m.File, Err: err}
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	b.log.Debug("metric computed", "metric", m.ID, "rows", n, "duration", time.Since(start).Round(time.Millisecond))
	return n, nil
}

// checkColumns plans the metric's SELECT without running it and compares its
// column names with the contract.
func (b *builder) checkColumns(ctx context.Context, body string) error {
	rows, err := b.tx.QueryContext(ctx, "select * from (\n"+body+"\n) limit 0")
	if err != nil {
		return fmt.Errorf("%w: fix the SQL or remove the file", err)
	}
	cols, err := rows.Columns()
	rows.Close()
	if err != nil {
		return err
	}
	var extra, missing []string
	for _, c := range cols {
		if !slices.Contains(ContractColumns, strings.ToLower(c)) {
			extra = append(extra, c)
		}
	}
	for _, c := range ContractColumns {
		if !slices.ContainsFunc(cols, func(s string) bool { return strings.EqualFold(s, c) }) {
			missing = append(missing, c)
		}
	}
	if len(extra) > 0 || len(missing) > 0 {
		return fmt.Errorf("returns the wrong columns (missing: %s; unexpected: %s): return exactly %s",
			orNone(missing), orNone(extra), strings.Join(ContractColumns, ", "))
	}
	return nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// recordSources writes indicators.run_sources for this run: the loads whose
// rows each loaded source return holds in core.
func (b *builder) recordSources(ctx context.Context, loaded map[string]bool) error {
	if _, err := b.tx.ExecContext(ctx, "delete from indicators.run_sources where run_id = getvariable('pm_run_id')"); err != nil {
		return fmt.Errorf("clear run sources: %w", err)
	}
	names := make([]string, 0, len(loaded))
	for s, ok := range loaded {
		if ok {
			names = append(names, s)
		}
	}
	sort.Strings(names)
	for _, s := range names {
		var hasLoadID bool
		err := b.tx.QueryRowContext(ctx, `select count(*) > 0 from information_schema.columns
			where table_schema = 'core' and table_name = ? and column_name = '_load_id'`, s).Scan(&hasLoadID)
		if err != nil {
			return fmt.Errorf("run sources for %s: %w", s, err)
		}
		if !hasLoadID {
			continue
		}
		q := strings.ReplaceAll(b.sql("run_sources.sql"), "{{table}}", coreTable(s))
		if _, err := b.tx.ExecContext(ctx, q, s); err != nil {
			return fmt.Errorf("run sources for %s: %w", s, err)
		}
	}
	return nil
}

func stageTable(id string) string {
	return warehouse.QuoteIdent("stage") + "." + warehouse.QuoteIdent(id)
}
func coreTable(name string) string {
	return warehouse.QuoteIdent("core") + "." + warehouse.QuoteIdent(name)
}

// trimSQL drops trailing blank and comment-only lines and semicolons, so a
// file ending in ";" can be wrapped in a subquery.
func trimSQL(s string) string {
	for {
		t := strings.TrimRight(s, " \t\r\n;")
		i := strings.LastIndexByte(t, '\n')
		if last := strings.TrimSpace(t[i+1:]); i >= 0 && strings.HasPrefix(last, "--") {
			t = t[:i]
		}
		if t == s {
			return s
		}
		s = t
	}
}

// seedName is the table name (seed.<name>) of a seed file.
func seedName(file string) (string, error) {
	name := strings.TrimSuffix(path.Base(file), path.Ext(file))
	if !idPattern.MatchString(name) {
		return "", fmt.Errorf("seed file %s: rename it to lowercase letters, digits and _ (it becomes table seed.%s)", file, name)
	}
	return name, nil
}
