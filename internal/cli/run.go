package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"planmetrics/internal/export"
	"planmetrics/internal/metrics"
	"planmetrics/internal/spec"
	"planmetrics/internal/warehouse"
)

func init() { register(newRunCmd) }

func newRunCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "The nightly job: ingest the inbox, rebuild the metrics, export the workbooks",
		Long: "Loads every return in the inbox (files already loaded are skipped), recomputes every metric and\n" +
			"exports the priority workbooks. The warehouse is replaced atomically at the end, so analysts\n" +
			"keep querying the previous version meanwhile and a crash leaves it untouched.\n" +
			"Exit status: 0 all well; 3 a file or rows were rejected (see 'planmetrics status'); 1 a step failed.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRun(cmd.Context(), app)
		},
	}
}

// inboxFiles lists the returns in dir: supported files, skipping names
// starting with '_' or '.' (manifests, editor and lock files) or "~$"
// (the lock file Excel leaves beside a workbook someone has open), the school
// register first (other returns check URNs against it), then by name so a
// resubmission sorts after the file it corrects.
func inboxFiles(dir string, specs *spec.Set) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != dir && (strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && supported(name) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("inbox %s: %w", dir, err)
	}
	rank := func(p string) int {
		if r, ok := specs.ByFileName(p); ok && r.Name == "schools" {
			return 0
		}
		return 1
	}
	sort.SliceStable(files, func(i, j int) bool {
		if ri, rj := rank(files[i]), rank(files[j]); ri != rj {
			return ri < rj
		}
		return files[i] < files[j]
	})
	return files, nil
}

func supported(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".zip", ".parquet":
		return true
	}
	return false
}

func runRun(ctx context.Context, app *App) error {
	specs, err := spec.Load(app.Pipelines)
	if err != nil {
		return fmt.Errorf("return specs: %w", err)
	}
	files, err := inboxFiles(app.Config.Inbox, specs)
	if err != nil {
		return err
	}
	app.Log.Info("nightly run", "inbox", app.Config.Inbox, "files", len(files), "warehouse", app.Config.Warehouse)
	s, err := app.beginWrite(ctx, "run")
	if err != nil {
		return err
	}
	// A failed file does not stop the build: the other returns' metrics are
	// still recomputed, and the run is recorded as failed.
	results, ingestErr := app.ingestFiles(ctx, s, files, "")
	var note string
	var buildErr error
	if ctx.Err() == nil {
		if note, buildErr = app.build(ctx, s, false); buildErr != nil {
			buildErr = fmt.Errorf("build: %w", buildErr)
		}
	}
	stepErr := errors.Join(ingestErr, buildErr)
	summary, err := app.publish(ctx, s, results, stepErr, note)
	if err != nil {
		return err
	}
	if buildErr == nil {
		if err := app.afterPublish(ctx); err != nil {
			return errors.Join(stepErr, err)
		}
	}
	if stepErr != nil {
		return stepErr
	}
	return summary.err()
}

// afterPublish exports the priority workbooks from the published warehouse
// and prints where each metric stands.
func (app *App) afterPublish(ctx context.Context) error {
	db, err := warehouse.OpenReadOnly(ctx, app.Config.Warehouse)
	if err != nil {
		return err
	}
	defer db.Close()
	files, err := export.Workbooks(ctx, db, app.Config.OutDir, export.Options{SuppressBelow: app.Config.Export.SuppressBelow})
	if err != nil {
		return fmt.Errorf("export workbooks: %w", err)
	}
	app.Log.Info("workbooks written", "dir", app.Config.OutDir, "files", len(files))
	hs, err := metrics.Headlines(ctx, db)
	if err != nil {
		return fmt.Errorf("headlines: %w", err)
	}
	fmt.Fprintln(app.Stdout)
	if err := metrics.WriteHeadlines(app.Stdout, hs); err != nil {
		return err
	}
	fmt.Fprintf(app.Stdout, "\nworkbooks: %s\n", strings.Join(files, ", "))
	return nil
}
