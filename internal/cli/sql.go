package cli

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/spf13/cobra"

	"planmetrics/internal/warehouse"
)

func init() { register(newSQLCmd) }

type sqlOptions struct {
	Query  string
	Format string
}

func newSQLCmd(app *App) *cobra.Command {
	var opts sqlOptions
	cmd := &cobra.Command{
		Use:   "sql [--format table|csv|json] QUERY",
		Short: "Run a read-only SQL query on the warehouse",
		Long:  "Opens the published warehouse read-only (safe while the nightly job runs) and prints the result.",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Query = args[0]
			switch opts.Format {
			case "table", "csv", "json":
			default:
				return usageError{fmt.Errorf("--format %q: use table, csv or json", opts.Format)}
			}
			return runSQL(cmd.Context(), app, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "table", "output format: table, csv or json")
	return cmd
}

func runSQL(ctx context.Context, app *App, opts sqlOptions) error {
	db, err := warehouse.OpenReadOnly(ctx, app.Config.Warehouse)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, opts.Query)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	return writeRows(app.Stdout, rows, opts.Format)
}

// writeRows prints a result set as an aligned table, CSV or JSON (an array
// of objects).
func writeRows(w io.Writer, rows *sql.Rows, format string) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	isUUID := make([]bool, len(types))
	for i, ct := range types {
		isUUID[i] = ct.DatabaseTypeName() == "UUID"
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var (
		tw   *tabwriter.Writer
		cw   *csv.Writer
		objs []map[string]any
	)
	switch format {
	case "csv":
		cw = csv.NewWriter(w)
		cw.Write(cols)
	case "json":
		objs = []map[string]any{}
	default:
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok && isUUID[i] && len(b) == 16 {
				u := duckdb.UUID(b)
				vals[i] = u.String()
			}
		}
		n++
		switch format {
		case "csv":
			rec := make([]string, len(vals))
			for i, v := range vals {
				rec[i] = text(v)
			}
			cw.Write(rec)
		case "json":
			o := make(map[string]any, len(cols))
			for i, c := range cols {
				o[c] = jsonValue(vals[i])
			}
			objs = append(objs, o)
		default:
			rec := make([]string, len(vals))
			for i, v := range vals {
				rec[i] = text(v)
			}
			fmt.Fprintln(tw, strings.Join(rec, "\t"))
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	switch format {
	case "csv":
		cw.Flush()
		return cw.Error()
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(objs)
	default:
		if err := tw.Flush(); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "(%d rows)\n", n)
		return err
	}
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339)
	case []byte:
		return string(x)
	case duckdb.Decimal:
		return x.String()
	case duckdb.Interval:
		return fmt.Sprintf("%d months %d days %d microseconds", x.Months, x.Days, x.Micros)
	case float64:
		return formatFloat(x, 64)
	case float32:
		return formatFloat(float64(x), 32)
	default:
		return fmt.Sprint(x)
	}
}

// formatFloat prints a number in full, without an exponent unless it is
// huge: output is data (CSV for the next tool), not a rounded display.
func formatFloat(x float64, bits int) string {
	if math.Abs(x) >= 1e21 {
		return strconv.FormatFloat(x, 'g', -1, bits)
	}
	return strconv.FormatFloat(x, 'f', -1, bits)
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time, []byte, duckdb.Interval:
		return text(x)
	case duckdb.Decimal:
		return x.Float64()
	default:
		return v
	}
}
