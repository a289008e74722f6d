// Command planmetrics is the Hackney Education Strategic Plan data pipeline:
// it loads returns into DuckDB, computes the plan's metrics and exports them.
package main

import (
	"os"

	"planmetrics/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
