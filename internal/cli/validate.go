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
	// Rejects, then warnings, each as file[:sheet]:row:column: message. The
	// unknown-URN warning is left out: a scratch database has no school
	// register to check against.
	rows, err := db.QueryContext(ctx, `SELECT load_id, file, coalesce(sheet, ''), coalesce(row_number, 0), coalesce(column_name, ''),
		value, message, rule, '' AS kind FROM meta.rejects WHERE rule <> 'file'
		UNION ALL
		SELECT load_id, file, coalesce(sheet, ''), coalesce(row_number, 0), coalesce(column_name, ''),
		value, message, rule, 'warning: ' FROM meta.warnings WHERE rule <> 'unknown_urn'
		ORDER BY 9, 1, 4, 5`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var file, sheet, column, message, rule, kind string
		var loadID, row int64
		var val *string
		if err := rows.Scan(&loadID, &file, &sheet, &row, &column, &val, &message, &rule, &kind); err != nil {
			return err
		}
		if p, ok := paths[loadID]; ok {
			file = p
		}
		line := ingest.Position(file, sheet, row, column) + kind + message
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
