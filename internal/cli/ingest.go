package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"planmetrics/internal/benchmark"
	"planmetrics/internal/ingest"
	"planmetrics/internal/spec"
	"planmetrics/internal/warehouse"
)

func init() { register(newIngestCmd) }

// ingestOptions are the inputs of [runIngest].
type ingestOptions struct {
	Files      []string
	ReturnType string
}

func newIngestCmd(app *App) *cobra.Command {
	return fileCommand(app, "ingest", "Check and load return files into the warehouse",
		"Loads each file in its own transaction: good rows go to raw.<return>, bad rows to meta.rejects\n"+
			"with the reason. The return type comes from --return, else the file name (census_*.csv), else the header.\n"+
			"Exit status 3 when a file or some rows were rejected.", runIngest)
}

// fileCommand builds a command taking [--return TYPE] FILE... (ingest and
// validate).
func fileCommand(app *App, name, short, long string, run func(context.Context, *App, ingestOptions) error) *cobra.Command {
	var opts ingestOptions
	cmd := &cobra.Command{
		Use:   name + " [--return TYPE] FILE...",
		Short: short,
		Long:  long,
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if err := app.checkReturnType(opts.ReturnType); err != nil {
				return err
			}
			return run(cmd.Context(), app, opts)
		},
	}
	cmd.Flags().StringVar(&opts.ReturnType, "return", "", "return type (census, schools, exclusions, ehcp, budgets, dsg, ...)")
	return cmd
}

// checkReturnType refuses a --return naming no return spec nor published
// data type, as a usage error: nothing is loaded.
func (app *App) checkReturnType(name string) error {
	if name == "" || benchmark.IsType(name) {
		return nil
	}
	specs, err := spec.Load(app.Pipelines)
	if err != nil {
		return fmt.Errorf("return specs: %w", err)
	}
	if _, ok := specs.Get(name); !ok {
		return usageError{fmt.Errorf("--return %q: use one of %s, or of the published data types %s",
			name, strings.Join(specs.Names(), ", "), strings.Join(benchmark.Types(), ", "))}
	}
	return nil
}

// runIngest loads opts.Files in one write session.
func runIngest(ctx context.Context, app *App, opts ingestOptions) error {
	s, err := app.beginWrite(ctx, "ingest")
	if err != nil {
		return err
	}
	results, err := app.ingestFiles(ctx, s, opts.Files, opts.ReturnType)
	return app.finish(ctx, s, results, err)
}

// ingestFiles loads files in order into the session's warehouse.
func (app *App) ingestFiles(ctx context.Context, s *warehouse.Session, files []string, returnType string) ([]ingest.Result, error) {
	loader, err := app.newLoader(s.DB, s.RunID)
	if err != nil {
		return nil, err
	}
	if app.Config.DemoKey() {
		app.Log.Warn("UPNs are pseudonymised with the PUBLIC DEMO KEY: fine for sample data, NOT for real pupil data; set PLANMETRICS_PSEUDONYM_KEY")
	}
	// A file that fails (an internal error: its transaction is rolled back
	// and recorded as failed) does not stop the others; only an interrupt
	// does.
	var results []ingest.Result
	var failed []error
	for _, f := range files {
		res, err := loader.Load(ctx, f, returnType)
		if err != nil {
			if ctx.Err() != nil {
				return results, err
			}
			res.Status = ingest.StatusFailed
			app.Log.Error("file failed", "file", f, "err", err)
			failed = append(failed, err)
		} else {
			app.logResult(res)
		}
		results = append(results, res)
	}
	if len(failed) > 0 {
		return results, fmt.Errorf("%d of %d files failed: %w", len(failed), len(files), errors.Join(failed...))
	}
	return results, nil
}

// newLoader returns a loader into db with the app's specs and settings.
func (app *App) newLoader(db *sql.DB, runID int64) (*ingest.Loader, error) {
	specs, err := spec.Load(app.Pipelines)
	if err != nil {
		return nil, fmt.Errorf("return specs: %w", err)
	}
	return ingest.New(db, runID, ingest.Options{
		Specs: specs, Key: app.Config.Key(), HeaderSearchRows: app.Config.Ingest.HeaderSearchRows, Log: app.Log,
	}), nil
}

func (app *App) logResult(res ingest.Result) {
	attrs := []any{"file", res.File, "return", res.Return, "status", res.Status, "read", res.Read,
		"accepted", res.Accepted, "rejected", res.Rejected, "skipped", res.Skipped, "load_id", res.LoadID}
	switch {
	case res.Err != nil:
		app.Log.Warn("file rejected", append(attrs, "reason", res.Err.Error())...)
	case res.Rejected > 0:
		app.Log.Warn("file loaded with rejected rows: see meta.rejects", attrs...)
	default:
		app.Log.Info("file "+res.Status, attrs...)
	}
}

// finish publishes the session with a status that reflects what happened,
// prints the per-file summary and returns the step's error, or ErrRejected
// when input was rejected.
func (app *App) finish(ctx context.Context, s *warehouse.Session, results []ingest.Result, stepErr error) error {
	summary, err := app.publish(ctx, s, results, stepErr, "")
	if err != nil {
		return err
	}
	if stepErr != nil {
		return stepErr
	}
	return summary.err()
}

// publish records the run's outcome (ok, partial when input was rejected,
// failed when a step failed), publishes the warehouse and prints the per-file
// summary. An interrupted run is abandoned instead, leaving the last good
// warehouse, and that is an error. note is added to the run's message.
func (app *App) publish(ctx context.Context, s *warehouse.Session, results []ingest.Result, stepErr error, note string) (resultSummary, error) {
	summary := summarise(results)
	if stepErr != nil && ctx.Err() != nil {
		return summary, errors.Join(stepErr, s.Abort())
	}
	status := "ok"
	switch {
	case stepErr != nil:
		status = "failed"
	case summary.rejectedFiles > 0 || summary.rejectedRows > 0:
		status = "partial"
	}
	msg := summary.String()
	if note != "" {
		msg += "; " + note
	}
	if stepErr != nil {
		msg += "; " + stepErr.Error()
	}
	if err := s.Publish(context.WithoutCancel(ctx), status, msg); err != nil {
		return summary, errors.Join(stepErr, err)
	}
	printResults(app.Stdout, results)
	fmt.Fprintf(app.Stdout, "\n%s\nwarehouse: %s\n", msg, app.Config.Warehouse)
	return summary, nil
}

type resultSummary struct {
	files, loaded, duplicates, rejectedFiles, failedFiles int
	rows, rejectedRows                                    int64
}

func summarise(results []ingest.Result) resultSummary {
	var s resultSummary
	for _, r := range results {
		s.files++
		switch r.Status {
		case ingest.StatusLoaded:
			s.loaded++
		case ingest.StatusDuplicate:
			s.duplicates++
		case ingest.StatusFailed:
			s.failedFiles++
		default:
			s.rejectedFiles++
		}
		s.rows += r.Accepted
		s.rejectedRows += r.Rejected
	}
	return s
}

// err is ErrRejected when any file or row was rejected.
func (s resultSummary) err() error {
	if s.rejectedFiles > 0 || s.rejectedRows > 0 {
		return fmt.Errorf("%w: %s (details: planmetrics status, or select * from meta.rejects)", ErrRejected, s)
	}
	return nil
}

func (s resultSummary) String() string {
	out := fmt.Sprintf("%d files: %d loaded, %d already loaded, %d rejected", s.files, s.loaded, s.duplicates, s.rejectedFiles)
	if s.failedFiles > 0 {
		out += fmt.Sprintf(", %d failed", s.failedFiles)
	}
	return out + fmt.Sprintf("; %d rows accepted, %d rows rejected", s.rows, s.rejectedRows)
}

func printResults(w io.Writer, results []ingest.Result) {
	if len(results) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\treturn\tstatus\tread\taccepted\trejected\tskipped\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t\n", shortPath(r.File), dash(r.Return), r.Status, r.Read, r.Accepted, r.Rejected, r.Skipped)
	}
	tw.Flush()
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(w, "  %v\n", r.Err)
		}
	}
}

func shortPath(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 && len(p) > 48 {
		return "…" + p[i:]
	}
	return p
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
