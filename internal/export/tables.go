package export

import (
	"context"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"planmetrics/internal/warehouse"
)

//go:embed sql/parquet_values.sql
var parquetValuesSQL string

//go:embed sql/catalogue.sql
var catalogueSQL string

//go:embed sql/parquet_benchmarks.sql
var parquetBenchmarksSQL string

// Tables writes the indicator values (suppressed as in the workbooks), the
// metric catalogue and the comparison with published data
// (indicators.benchmarks) as CSV or Parquet: metric_values.<ext>,
// metrics.<ext> and benchmarks.<ext>, with a -priority-N suffix when one
// priority is chosen. It returns the paths written. benchmarks has a header
// and no rows when the warehouse has no comparison.
//
// CSV shows "c" in place of a suppressed figure and puts an apostrophe
// before text that Excel would take for a formula. Parquet keeps the
// warehouse's column types: suppressed figures are null there. Values add a
// `suppressed` column (true when the row's figures are hidden), benchmarks
// a `hackney_computed_suppressed` column (true when Hackney's computed
// figure and its difference from the published one are hidden; published
// figures are public and never hidden).
func Tables(ctx context.Context, db *sql.DB, outDir string, format Format, opts Options) ([]string, error) {
	if format != FormatCSV && format != FormatParquet {
		return nil, fmt.Errorf("tables: format %q: use csv or parquet", format)
	}
	if err := ensureDir(outDir); err != nil {
		return nil, err
	}
	p, suffix, err := loadSelected(ctx, db, opts)
	if err != nil {
		return nil, err
	}
	values := filepath.Join(outDir, "metric_values"+suffix+"."+string(format))
	metrics := filepath.Join(outDir, "metrics"+suffix+"."+string(format))
	benchmarks := filepath.Join(outDir, "benchmarks"+suffix+"."+string(format))
	if format == FormatCSV {
		if err := writeAtomic(values, func(f *os.File) error { return writeValuesCSV(f, p.Values) }); err != nil {
			return nil, err
		}
		if err := writeAtomic(metrics, func(f *os.File) error { return writeMetricsCSV(f, p.Metrics) }); err != nil {
			return nil, err
		}
		if err := writeAtomic(benchmarks, func(f *os.File) error { return writeBenchmarksCSV(f, p.Benchmarks) }); err != nil {
			return nil, err
		}
		return []string{values, metrics, benchmarks}, nil
	}
	if err := writeValuesParquet(ctx, values, p.Values); err != nil {
		return nil, err
	}
	if err := writeBenchmarksParquet(ctx, benchmarks, p.Benchmarks); err != nil {
		return nil, err
	}
	n := 0
	if suffix != "" {
		n = opts.priorities()[0]
	}
	err = writeCopy(metrics, func(tmp string) error {
		q := "copy (\n" + catalogueSQL + "\n) to " + warehouse.QuoteLiteral(tmp) + " (format parquet)"
		_, err := db.ExecContext(ctx, q, n)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("export catalogue: %w", err)
	}
	return []string{values, metrics, benchmarks}, nil
}

// valueColumns are the CSV columns: the warehouse's, then `suppressed`.
var valueColumns = []string{"metric_id", "priority", "measure", "period", "period_type", "period_start",
	"period_end", "geography_level", "geography_code", "geography_name", "phase", "breakdown",
	"breakdown_value", "numerator", "denominator", "value", "unit", "ci_lower", "ci_upper", "target",
	"status", "previous_value", "change", "flag", "run_id", "computed_at", "suppressed"}

func writeValuesCSV(w io.Writer, values []Value) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(valueColumns); err != nil {
		return err
	}
	for i := range values {
		v := &values[i]
		hidden := v.Suppressed != NotSuppressed
		rec := []string{
			defuse(v.MetricID), strconv.Itoa(v.Priority), defuse(v.Measure), defuse(v.Period), v.PeriodType,
			csvDate(v.PeriodStart), csvDate(v.PeriodEnd), v.GeographyLevel, defuse(v.GeographyCode),
			defuse(v.GeographyName), defuse(v.Phase), defuse(v.Breakdown), defuse(v.BreakdownValue),
			csvNum(v.Numerator, hidden), csvNum(v.Denominator, hidden), csvNum(v.Value, hidden), v.Unit,
			csvNum(v.CILower, hidden), csvNum(v.CIUpper, hidden), csvNum(v.Target, v.HideTarget()), v.Status,
			csvNum(v.PreviousValue, v.HidePrevious()), csvNum(v.Change, v.HidePrevious()), defuse(v.Flag),
			csvInt(v.RunID), csvTime(v.ComputedAt), strconv.FormatBool(hidden),
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeMetricsCSV(w io.Writer, metrics []Metric) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"metric_id", "name", "priority", "definition", "numerator", "denominator",
		"unit", "direction", "sources", "plan_wording", "same_as", "notes"}); err != nil {
		return err
	}
	for _, m := range metrics {
		rec := []string{m.ID, m.Name, strconv.Itoa(m.Priority), m.Definition, m.Numerator, m.Denominator,
			m.Unit, m.Direction, m.Sources, m.PlanWording, m.SameAs, m.Notes}
		for i := range rec {
			rec[i] = defuse(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvNum(n sql.Null[float64], hidden bool) string {
	switch {
	case hidden:
		return Symbol
	case !n.Valid || !finite(n.V):
		return ""
	}
	return strconv.FormatFloat(n.V, 'f', -1, 64)
}

func csvInt(n sql.Null[int64]) string {
	if !n.Valid {
		return ""
	}
	return strconv.FormatInt(n.V, 10)
}

func csvDate(t sql.Null[time.Time]) string {
	if !t.Valid {
		return ""
	}
	return t.V.Format(time.DateOnly)
}

func csvTime(t sql.Null[time.Time]) string {
	if !t.Valid {
		return ""
	}
	return t.V.UTC().Format(time.RFC3339)
}

// writeValuesParquet appends the suppressed values to an in-memory DuckDB
// table with the warehouse's types and copies it to Parquet.
func writeValuesParquet(ctx context.Context, path string, values []Value) error {
	return stageParquet(ctx, path, parquetValuesSQL, "metric_values", len(values), func(i int) []driver.Value {
		v := &values[i]
		hidden := v.Suppressed != NotSuppressed
		hidePrev := v.HidePrevious()
		return []driver.Value{v.MetricID, int32(v.Priority), v.Measure, nullStr(v.Period), nullStr(v.PeriodType),
			nullTime(v.PeriodStart), nullTime(v.PeriodEnd), v.GeographyLevel, v.GeographyCode,
			nullStr(v.GeographyName), v.Phase, v.Breakdown, v.BreakdownValue,
			nullNum(v.Numerator, hidden), nullNum(v.Denominator, hidden), nullNum(v.Value, hidden), v.Unit,
			nullNum(v.CILower, hidden), nullNum(v.CIUpper, hidden), nullNum(v.Target, v.HideTarget()), v.Status,
			nullNum(v.PreviousValue, hidePrev), nullNum(v.Change, hidePrev), nullStr(v.Flag),
			nullInt(v.RunID), nullTime(v.ComputedAt), hidden}
	})
}

// benchmarkColumns are the benchmarks CSV columns: indicators.benchmarks',
// then `hackney_computed_suppressed`.
var benchmarkColumns = []string{"metric_id", "priority", "measure", "phase", "period", "period_type", "source",
	"indicator", "indicator_label", "filters", "time_period", "better", "rank_order", "hackney_published",
	"hackney_symbol", "hackney_computed", "difference", "england", "london", "inner_london", "sn_average",
	"sn_with_value", "sn_count", "rank", "rank_of", "las_without_value", "quartile", "quartile_q1",
	"quartile_median", "quartile_q3", "sn_rank", "sn_rank_of", "previous_period", "previous_value", "change",
	"computed_at", "hackney_computed_suppressed"}

func writeBenchmarksCSV(w io.Writer, bs []Benchmark) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(benchmarkColumns); err != nil {
		return err
	}
	for i := range bs {
		b := &bs[i]
		hidden := b.ComputedSuppressed
		rec := []string{
			defuse(b.MetricID), csvInt(b.Priority), defuse(b.Measure), defuse(b.Phase), defuse(b.Period), b.PeriodType,
			defuse(b.Source), defuse(b.Indicator), defuse(b.IndicatorLabel), defuse(b.Filters), defuse(b.TimePeriod),
			b.Better, b.RankOrder, csvNum(b.HackneyPublished, false), defuse(b.HackneySymbol),
			csvNum(b.HackneyComputed, hidden), csvNum(b.Difference, hidden),
			csvNum(b.England, false), csvNum(b.London, false), csvNum(b.InnerLondon, false), csvNum(b.SNAverage, false),
			csvInt(b.SNWithValue), csvInt(b.SNCount), csvInt(b.Rank), csvInt(b.RankOf), csvInt(b.LAsWithoutValue),
			b.Quartile, csvNum(b.QuartileQ1, false), csvNum(b.QuartileMedian, false), csvNum(b.QuartileQ3, false),
			csvInt(b.SNRank), csvInt(b.SNRankOf), defuse(b.PreviousPeriod), csvNum(b.PreviousValue, false),
			csvNum(b.Change, false), csvTime(b.ComputedAt), strconv.FormatBool(hidden),
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeBenchmarksParquet writes the benchmarks, Hackney's computed figure
// suppressed, with indicators.benchmarks' types.
func writeBenchmarksParquet(ctx context.Context, path string, bs []Benchmark) error {
	return stageParquet(ctx, path, parquetBenchmarksSQL, "benchmarks", len(bs), func(i int) []driver.Value {
		b := &bs[i]
		hidden := b.ComputedSuppressed
		var priority driver.Value
		if b.Priority.Valid {
			priority = int32(b.Priority.V)
		}
		return []driver.Value{nullStr(b.MetricID), priority, nullStr(b.Measure), nullStr(b.Phase), nullStr(b.Period),
			nullStr(b.PeriodType), nullStr(b.Source), nullStr(b.Indicator), nullStr(b.IndicatorLabel), nullStr(b.Filters),
			nullStr(b.TimePeriod), nullStr(b.Better), nullStr(b.RankOrder), nullNum(b.HackneyPublished, false),
			nullStr(b.HackneySymbol), nullNum(b.HackneyComputed, hidden), nullNum(b.Difference, hidden),
			nullNum(b.England, false), nullNum(b.London, false), nullNum(b.InnerLondon, false), nullNum(b.SNAverage, false),
			nullInt(b.SNWithValue), nullInt(b.SNCount), nullInt(b.Rank), nullInt(b.RankOf), nullInt(b.LAsWithoutValue),
			nullStr(b.Quartile), nullNum(b.QuartileQ1, false), nullNum(b.QuartileMedian, false), nullNum(b.QuartileQ3, false),
			nullInt(b.SNRank), nullInt(b.SNRankOf), nullStr(b.PreviousPeriod), nullNum(b.PreviousValue, false),
			nullNum(b.Change, false), nullTime(b.ComputedAt), hidden}
	})
}

// stageParquet creates table with ddl in an in-memory DuckDB, appends n rows
// (row(i) gives row i in the table's column order) and copies the table to
// Parquet at path.
func stageParquet(ctx context.Context, path, ddl, table string, n int, row func(i int) []driver.Value) (err error) {
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return fmt.Errorf("in-memory duckdb: %w", err)
	}
	db := sql.OpenDB(connector)
	defer func() { err = errors.Join(err, db.Close(), connector.Close()) }()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("in-memory duckdb: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("in-memory duckdb: %w", err)
	}
	err = warehouse.WithDriverConn(conn, func(dc driver.Conn) error {
		app, err := duckdb.NewAppenderFromConn(dc, "", table)
		if err != nil {
			return err
		}
		for i := range n {
			if err := app.AppendRow(row(i)...); err != nil {
				return errors.Join(fmt.Errorf("append row %d: %w", i+1, err), app.Close())
			}
		}
		return app.Close()
	})
	if err != nil {
		return fmt.Errorf("stage %s for parquet: %w", table, err)
	}
	return writeCopy(path, func(tmp string) error {
		_, err := conn.ExecContext(ctx, "copy "+warehouse.QuoteIdent(table)+" to "+warehouse.QuoteLiteral(tmp)+" (format parquet)")
		return err
	})
}

// writeCopy runs a DuckDB COPY into a private temporary folder beside path
// (DuckDB creates the file with default permissions, so the folder keeps
// others out until the file is owner-only), then renames it into place.
func writeCopy(path string, copyTo func(tmp string) error) error {
	dir, err := os.MkdirTemp(filepath.Dir(path), ".export-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, filepath.Base(path))
	if err := copyTo(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func nullNum(n sql.Null[float64], hidden bool) driver.Value {
	if hidden || !n.Valid || !finite(n.V) {
		return nil
	}
	return n.V
}

func nullStr(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func nullTime(t sql.Null[time.Time]) driver.Value {
	if !t.Valid {
		return nil
	}
	return t.V
}

func nullInt(n sql.Null[int64]) driver.Value {
	if !n.Valid {
		return nil
	}
	return n.V
}
