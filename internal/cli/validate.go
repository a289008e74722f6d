package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"planmetrics/internal/ingest"
	"planmetrics/internal/warehouse"
)

func init() { register(newValidateCmd) }

func newValidateCmd(app *App) *cobra.Command {
	return fileCommand(app, "validate", "Check return files without loading anything",
		"Runs every check of ingest in a scratch database and prints each problem as\n"+
			"file[:sheet]:row:column: message. The warehouse is not touched. Exit status 3 when a file or row would be rejected.", runValidate)
}

func runValidate(ctx context.Context, app *App, opts ingestOptions) error {
	db, err := warehouse.OpenScratch(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	loader, err := app.newLoader(db, 0)
	if err != nil {
		return err
	}
	var results []ingest.Result
	paths := map[int64]string{} // load id -> the path as given, for the messages
	for _, f := range opts.Files {
		res, err := loader.Load(ctx, f, opts.ReturnType)
		if err != nil {
			return err
		}
		results = append(results, res)
		paths[res.LoadID] = f
	}
	rows, err := db.QueryContext(ctx, `SELECT r.load_id, r.file, coalesce(r.sheet, ''), coalesce(r.row_number, 0), coalesce(r.column_name, ''),
		r.value, r.message, r.rule FROM meta.rejects r WHERE r.rule <> 'file' ORDER BY r.load_id, r.row_number, r.column_name`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var file, sheet, column, message, rule string
		var loadID, row int64
		var val *string
		if err := rows.Scan(&loadID, &file, &sheet, &row, &column, &val, &message, &rule); err != nil {
			return err
		}
		if p, ok := paths[loadID]; ok {
			file = p
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
