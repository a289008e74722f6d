package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"planmetrics/internal/metrics"
	"planmetrics/internal/spec"
	"planmetrics/internal/warehouse"
)

func init() { register(newMetricsCmd) }

// metricsOptions are the metrics command's flags.
type metricsOptions struct {
	Format string // table | markdown | json
}

func newMetricsCmd(app *App) *cobra.Command {
	var opts metricsOptions
	cmd := &cobra.Command{
		Use:   "metrics",
		Short: "List the metric catalogue, or write the data dictionary",
		Long: "Lists every metric of the catalogue (pipelines/metrics/*.yaml, with any override directory)\n" +
			"and whether the published warehouse holds data for it.\n" +
			"--format markdown writes the data dictionary: every warehouse table and column, then every\n" +
			"metric (make docs saves it as docs/data-dictionary.md). Without a published warehouse it\n" +
			"documents an empty one built in a temporary directory.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMetrics(cmd.Context(), app, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "table", "table, markdown or json")
	return cmd
}

func runMetrics(ctx context.Context, app *App, opts metricsOptions) error {
	switch opts.Format {
	case "table", "markdown", "json":
	default:
		return usageError{fmt.Errorf("--format %q: use table, markdown or json", opts.Format)}
	}
	cat, err := metrics.LoadCatalogue(app.Pipelines)
	if err != nil {
		return fmt.Errorf("metric catalogue: %w", err)
	}
	db, err := warehouse.OpenReadOnly(ctx, app.Config.Warehouse)
	switch {
	case errors.Is(err, warehouse.ErrNoWarehouse):
		db = nil
	case err != nil:
		return err
	default:
		defer db.Close()
	}
	if opts.Format == "markdown" {
		return app.writeDictionary(ctx, cat, db)
	}
	var avail map[string]metrics.Availability
	if db != nil {
		if avail, err = metrics.Availabilities(ctx, db); err != nil {
			app.Log.Warn("the warehouse has no metric values yet: run 'planmetrics build'", "error", err)
			avail = nil
		}
	}
	if opts.Format == "json" {
		type entry struct {
			metrics.Metric
			HasData      *bool  `json:"has_data"` // null without a built warehouse
			LatestPeriod string `json:"latest_period,omitempty"`
		}
		out := make([]entry, len(cat))
		for i, m := range cat {
			out[i] = entry{Metric: m}
			if avail != nil {
				has := avail[m.ID].Rows > 0
				out[i].HasData, out[i].LatestPeriod = &has, avail[m.ID].LatestPeriod
			}
		}
		enc := json.NewEncoder(app.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(app.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "priority\tmetric\tname\tunit\tbetter\tsources\tdata\tlatest")
	for _, m := range cat {
		data, latest := "-", ""
		if avail != nil {
			data = "no"
			if a := avail[m.ID]; a.Rows > 0 {
				data, latest = "yes", a.LatestPeriod
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Priority, m.ID, m.Name, m.Unit, m.Direction,
			strings.Join(m.Sources, ","), data, latest)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if db == nil {
		fmt.Fprintf(app.Stderr, "no warehouse at %s yet: data column left blank ('planmetrics run' builds one)\n", app.Config.Warehouse)
	}
	return nil
}

// writeDictionary writes the Markdown data dictionary of the published
// warehouse, or of an empty one built in a temporary directory when there
// is none (so `make docs` works on a fresh clone).
func (app *App) writeDictionary(ctx context.Context, cat metrics.Catalogue, db *sql.DB) error {
	specs, err := spec.Load(app.Pipelines)
	if err != nil {
		return fmt.Errorf("return specs: %w", err)
	}
	in := metrics.DictionaryInput{Catalogue: cat, Specs: specs}
	if db != nil {
		in.DB, in.Source = db, "the warehouse "+filepath.Base(app.Config.Warehouse)
		return metrics.WriteDictionary(ctx, app.Stdout, in)
	}
	dir, err := os.MkdirTemp("", "planmetrics-dictionary-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	s, err := warehouse.Begin(ctx, filepath.Join(dir, "empty.duckdb"), "metrics")
	if err != nil {
		return err
	}
	defer s.Abort()
	// No logger: "metric not computed" for every metric of an empty
	// warehouse is expected here, not news.
	opts := metrics.Options{Pipelines: app.Pipelines, Seeds: app.Seeds, RunID: s.RunID,
		MinEvents: app.Config.Metrics.MinEvents, MinGroup: app.Config.Metrics.MinGroup}
	if _, err := metrics.Build(ctx, s.DB, opts); err != nil {
		return err
	}
	in.DB, in.Source = s.DB, "an empty warehouse (no returns loaded yet; raw tables are listed from the return specs)"
	return metrics.WriteDictionary(ctx, app.Stdout, in)
}
