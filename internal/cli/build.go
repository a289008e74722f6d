package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"planmetrics/internal/benchmark"
	"planmetrics/internal/metrics"
	"planmetrics/internal/warehouse"
)

func init() { register(newBuildCmd) }

// buildOptions are the build command's flags.
type buildOptions struct {
	KeepStage bool // keep each metric's raw output in schema stage
}

func newBuildCmd(app *App) *cobra.Command {
	var opts buildOptions
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Recompute the core models and every metric from what is loaded",
		Long: "Loads the seeds, runs pipelines/core/*.sql and every metric's SQL in dependency order, and\n" +
			"rewrites indicators.metric_values (with targets, previous values and status), indicators.latest\n" +
			"and the per-priority views in one transaction, then publishes the warehouse atomically.\n" +
			"A metric whose source returns are not loaded gets status no_data. Prints where each metric stands.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBuild(cmd.Context(), app, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.KeepStage, "keep-stage", false, "keep each metric's raw output in schema stage (to debug a metric's SQL)")
	return cmd
}

func runBuild(ctx context.Context, app *App, opts buildOptions) error {
	s, err := app.beginWrite(ctx, "build")
	if err != nil {
		return err
	}
	summary, err := app.build(ctx, s, opts.KeepStage)
	if err != nil {
		if ctx.Err() != nil {
			return errors.Join(err, s.Abort())
		}
		// The build's transaction was rolled back: publish only the failed
		// run record, so 'planmetrics status' shows what went wrong.
		return errors.Join(err, s.Publish(context.WithoutCancel(ctx), "failed", err.Error()))
	}
	hs, err := metrics.Headlines(ctx, s.DB)
	if err != nil {
		return errors.Join(err, s.Abort())
	}
	if err := s.Publish(ctx, "ok", summary); err != nil {
		return err
	}
	return metrics.WriteHeadlines(app.Stdout, hs)
}

// build runs the metric engine in write session s with the app's pipelines,
// seeds and thresholds, then rebuilds the comparisons with published data,
// and returns a one-line summary for meta.runs. The run command calls it
// after ingesting.
func (app *App) build(ctx context.Context, s *warehouse.Session, keepStage bool) (string, error) {
	res, err := metrics.Build(ctx, s.DB, metrics.Options{
		Pipelines: app.Pipelines,
		Seeds:     app.Seeds,
		RunID:     s.RunID,
		MinEvents: app.Config.Metrics.MinEvents,
		MinGroup:  app.Config.Metrics.MinGroup,
		KeepStage: keepStage,
		Logger:    app.Log,
	})
	if err != nil {
		return "", err
	}
	cmp, err := benchmark.Compare(ctx, s.DB, app.Seeds)
	if err != nil {
		return "", fmt.Errorf("compare with published data: %w", err)
	}
	if len(cmp.NoData) > 0 {
		app.Log.Debug("benchmark mappings without published data", "mappings", cmp.NoData)
	}
	return fmt.Sprintf("%s; %d comparisons with published data", buildSummary(res), cmp.Rows), nil
}

// buildSummary is the meta.runs message of a successful build.
func buildSummary(res metrics.Result) string {
	return fmt.Sprintf("%d metrics: %d computed, %d no data; %d values in %s",
		res.Metrics, len(res.Computed), len(res.NoData), res.Values, res.Duration.Round(1e6))
}
