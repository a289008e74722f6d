package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"planmetrics/internal/ingest"
	"planmetrics/internal/spec"
	"planmetrics/internal/warehouse"
)

func init() { register(newValidateCmd) }

func newValidateCmd(app *App) *cobra.Command {
	var opts ingestOptions
	cmd := &cobra.Command{
		Use:   "validate [--return TYPE] FILE...",
		Short: "Check return files without loading anything",
		Long: "Runs every check of ingest in a scratch database and prints each problem as\n" +
			"file[:sheet]:row:column: message. The warehouse is not touched. Exit status 3 when a file or row would be rejected.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			return runValidate(cmd.Context(), app, opts)
		},
	}
	cmd.Flags().StringVar(&opts.ReturnType, "return", "", "return type (census, schools, exclusions, ehcp, budgets, dsg, ...)")
	return cmd
}

func runValidate(ctx context.Context, app *App, opts ingestOptions) error {
	specs, err := spec.Load(app.Pipelines)
	if err != nil {
		return fmt.Errorf("return specs: %w", err)
	}
	db, err := warehouse.OpenScratch(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	loader := ingest.New(db, 0, ingest.Options{Specs: specs, Key: app.Config.Key(), HeaderSearchRows: app.Config.Ingest.HeaderSearchRows, Log: app.Log})
	var results []ingest.Result
	for _, f := range opts.Files {
		res, err := loader.Load(ctx, f, opts.ReturnType)
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	rows, err := db.QueryContext(ctx, `SELECT r.file, coalesce(r.sheet, ''), coalesce(r.row_number, 0), coalesce(r.column_name, ''),
		r.value, r.message, r.rule FROM meta.rejects r WHERE r.rule <> 'file' ORDER BY r.load_id, r.row_number, r.column_name`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var file, sheet, column, message, rule string
		var row int64
		var val *string
		if err := rows.Scan(&file, &sheet, &row, &column, &val, &message, &rule); err != nil {
			return err
		}
		line := ingest.Position(file, sheet, row, column) + message
		if val != nil {
			line += fmt.Sprintf(" (value %q, rule %s)", *val, rule)
		}
		fmt.Fprintln(app.Stdout, line)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	printResults(app.Stdout, results)
	s := summarise(results)
	fmt.Fprintln(app.Stdout, s.String())
	if s.rejectedFiles > 0 || s.rejectedRows > 0 {
		return fmt.Errorf("%w: %s", ErrRejected, s.String())
	}
	return nil
}
