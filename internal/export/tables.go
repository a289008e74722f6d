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

// Tables writes the indicator values (suppressed as in the workbooks) and
// the metric catalogue as CSV or Parquet: metric_values.<ext> and
// metrics.<ext>, with a -priority-N suffix when one priority is chosen. It
// returns the paths written.
//
// CSV shows "c" in place of a suppressed figure and puts an apostrophe
// before text that Excel would take for a formula. Parquet keeps the
// warehouse's column types: suppressed figures are null there. Both add a
// `suppressed` column (true when the row's figures are hidden).
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
	if format == FormatCSV {
		if err := writeAtomic(values, func(f *os.File) error { return writeValuesCSV(f, p.Values) }); err != nil {
			return nil, err
		}
		if err := writeAtomic(metrics, func(f *os.File) error { return writeMetricsCSV(f, p.Metrics) }); err != nil {
			return nil, err
		}
		return []string{values, metrics}, nil
	}
	if err := writeValuesParquet(ctx, values, p.Values); err != nil {
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
	return []string{values, metrics}, nil
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
			csvNum(v.CILower, hidden), csvNum(v.CIUpper, hidden), csvNum(v.Target, false), v.Status,
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
func writeValuesParquet(ctx context.Context, path string, values []Value) (err error) {
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
	if _, err := conn.ExecContext(ctx, parquetValuesSQL); err != nil {
		return fmt.Errorf("in-memory duckdb: %w", err)
	}
	err = warehouse.WithDriverConn(conn, func(dc driver.Conn) error {
		app, err := duckdb.NewAppenderFromConn(dc, "", "metric_values")
		if err != nil {
			return err
		}
		for i := range values {
			v := &values[i]
			hidden := v.Suppressed != NotSuppressed
			hidePrev := v.HidePrevious()
			if err := app.AppendRow(v.MetricID, int32(v.Priority), v.Measure, nullStr(v.Period), nullStr(v.PeriodType),
				nullTime(v.PeriodStart), nullTime(v.PeriodEnd), v.GeographyLevel, v.GeographyCode,
				nullStr(v.GeographyName), v.Phase, v.Breakdown, v.BreakdownValue,
				nullNum(v.Numerator, hidden), nullNum(v.Denominator, hidden), nullNum(v.Value, hidden), v.Unit,
				nullNum(v.CILower, hidden), nullNum(v.CIUpper, hidden), nullNum(v.Target, false), v.Status,
				nullNum(v.PreviousValue, hidePrev), nullNum(v.Change, hidePrev), nullStr(v.Flag),
				nullInt(v.RunID), nullTime(v.ComputedAt), hidden); err != nil {
				return errors.Join(fmt.Errorf("append value %d: %w", i+1, err), app.Close())
			}
		}
		return app.Close()
	})
	if err != nil {
		return fmt.Errorf("stage values for parquet: %w", err)
	}
	return writeCopy(path, func(tmp string) error {
		_, err := conn.ExecContext(ctx, "copy metric_values to "+warehouse.QuoteLiteral(tmp)+" (format parquet)")
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
