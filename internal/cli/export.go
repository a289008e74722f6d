package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"planmetrics/internal/export"
	"planmetrics/internal/warehouse"
)

func init() { register(newExportCmd) }

// exportOptions is everything runExport needs.
type exportOptions struct {
	Warehouse     string
	OutDir        string
	Priorities    []int
	Format        export.Format
	SuppressBelow int
	NoSuppress    bool
	Stdout        io.Writer
	Log           *slog.Logger
}

func newExportCmd(app *App) *cobra.Command {
	var priority, format, out string
	var noSuppress bool
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the priority workbooks (xlsx) or analyst files (csv, parquet, ees)",
		Long: `Export reads the published warehouse (read-only) and writes:
  xlsx     priority-1.xlsx ... priority-5.xlsx, one workbook per priority
  csv      metric_values.csv, metrics.csv and benchmarks.csv
  parquet  metric_values.parquet, metrics.parquet and benchmarks.parquet (types kept)
  ees      tidy data and metadata CSV in the Explore Education Statistics standard
Small numbers are suppressed (shown as c) below export.suppress_below
(default 5); --no-suppress writes an internal copy that says so.`,
		Example: `  planmetrics export
  planmetrics export --priority 2 --format xlsx --out /tmp/p2
  planmetrics export --format parquet`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ps, err := export.ParsePriorities(priority)
			if err != nil {
				return usageError{err}
			}
			f, err := export.ParseFormat(format)
			if err != nil {
				return usageError{err}
			}
			if out == "" {
				out = app.Config.OutDir
			}
			return runExport(cmd.Context(), exportOptions{
				Warehouse:     app.Config.Warehouse,
				OutDir:        out,
				Priorities:    ps,
				Format:        f,
				SuppressBelow: app.Config.Export.SuppressBelow,
				NoSuppress:    noSuppress,
				Stdout:        app.Stdout,
				Log:           app.Log,
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&priority, "priority", "all", "priority to export: 1 to 5, or all")
	fl.StringVar(&format, "format", "xlsx", "xlsx, csv, parquet or ees")
	fl.StringVar(&out, "out", "", "output folder (default: the config's out, data/out)")
	fl.BoolVar(&noSuppress, "no-suppress", false, "do not suppress small numbers (internal use only; the outputs say so)")
	return cmd
}

// runExport opens the published warehouse read-only and writes the export,
// printing one line per file written.
func runExport(ctx context.Context, opts exportOptions) error {
	db, err := warehouse.OpenReadOnly(ctx, opts.Warehouse)
	if err != nil {
		return err
	}
	defer db.Close()
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.NoSuppress {
		opts.Log.Warn("exporting WITHOUT small-number suppression: internal use only, do not share these files")
	}
	paths, err := export.Export(ctx, db, opts.OutDir, opts.Format, export.Options{
		Priorities:    opts.Priorities,
		SuppressBelow: opts.SuppressBelow,
		NoSuppress:    opts.NoSuppress,
	})
	for _, p := range paths {
		fmt.Fprintln(opts.Stdout, p)
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", opts.Format, err)
	}
	opts.Log.Info("export finished", "format", string(opts.Format), "files", len(paths), "out", opts.OutDir)
	return nil
}
