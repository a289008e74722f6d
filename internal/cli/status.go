package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"planmetrics/internal/warehouse"
)

func init() { register(newStatusCmd) }

func newStatusCmd(app *App) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show recent runs, loads, rejects and stale returns",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStatus(cmd.Context(), app, limit)
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 10, "how many runs and loads to show")
	return cmd
}

// statusQueries are the sections of the status report, in order.
var statusQueries = []struct{ title, query string }{
	{"Recent runs", `SELECT run_id, command, status, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started,
		round(epoch(finished_at - started_at), 1) AS seconds, program_version AS version, message
		FROM meta.runs ORDER BY run_id DESC LIMIT $1`},
	{"Recent loads", `SELECT load_id, run_id, file_name, return_type, status, rows_read AS read, rows_accepted AS accepted,
		rows_rejected AS rejected, rows_skipped AS skipped, left(sha256, 12) AS sha256
		FROM meta.loads ORDER BY load_id DESC LIMIT $1`},
	{"Rejects by file and rule (latest loads)", `SELECT r.load_id, r.file, r.rule, r.column_name, count(*) AS rows,
		min(r.row_number) AS first_row, any_value(r.message) AS message
		FROM meta.rejects r WHERE r.load_id IN (SELECT load_id FROM meta.loads ORDER BY load_id DESC LIMIT $1)
		GROUP BY ALL ORDER BY r.load_id DESC, rows DESC`},
	{"Returns: latest load (stale when older than 120 days, or never loaded)", `WITH t(return_type) AS (
		SELECT unnest(['census', 'schools', 'exclusions', 'ehcp', 'budgets', 'dsg']))
		SELECT t.return_type, max(l.finished_at)::DATE AS last_loaded, count(l.load_id) AS files, sum(l.rows_accepted) AS rows,
		CASE WHEN max(l.finished_at) IS NULL THEN 'never loaded'
		     WHEN max(l.finished_at) < now() - INTERVAL 120 DAY THEN 'stale' ELSE 'ok' END AS state
		FROM t LEFT JOIN meta.loads l ON l.return_type = t.return_type AND l.status = 'loaded'
		WHERE $1 > 0 GROUP BY t.return_type ORDER BY t.return_type`},
}

func runStatus(ctx context.Context, app *App, limit int) error {
	db, err := warehouse.OpenReadOnly(ctx, app.Config.Warehouse)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(app.Stdout, "warehouse: %s\n", app.Config.Warehouse)
	for _, s := range statusQueries {
		rows, err := db.QueryContext(ctx, s.query, limit)
		if err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
		fmt.Fprintf(app.Stdout, "\n%s\n", s.title)
		err = writeRows(app.Stdout, rows, "table")
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
