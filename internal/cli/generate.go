package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"planmetrics/internal/benchmark"
	"planmetrics/internal/generate"
)

func init() { register(newGenerateCmd) }

// generateOptions are the inputs of the generate subcommand.
type generateOptions struct {
	Out io.Writer // where the per-file summary goes
	Gen generate.Options
}

func newGenerateCmd(app *App) *cobra.Command {
	var (
		opts   generateOptions
		scale  string
		format string
		seed   int64
	)
	cmd := &cobra.Command{
		Use:   "generate --out DIR",
		Short: "Write synthetic but realistic returns (census, schools, exclusions, ehcp, budgets, dsg)",
		Long: `Generate writes a deterministic set of synthetic returns for demos, tests
and benchmarks: the same seed gives the same files. --scale hackney is one
borough (about 70 schools and 30,000 pupils over five academic years to
2024/25, a January census each year; --termly adds the October and May
censuses of 2024/25); london and england are 10 and 100 times that (csv only
for england).
--messy adds the quirks of real files and a known set of bad rows, listed in
_manifest.json beside the returns.`,
		Example: `  planmetrics generate --out data/inbox --format mixed
  planmetrics generate --scale london --seed 7 --out /tmp/london
  planmetrics generate --messy --out /tmp/messy --format mixed`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Out = app.Stdout
			opts.Gen.Scale = generate.Scale(scale)
			opts.Gen.Format = generate.Format(format)
			opts.Gen.Seed = app.Config.Generate.Seed
			if cmd.Flags().Changed("seed") {
				opts.Gen.Seed = seed
			}
			if err := opts.Gen.Validate(); err != nil {
				return usageError{err}
			}
			return runGenerate(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&scale, "scale", string(generate.ScaleHackney), "hackney, london, england, or tiny (a fifth of hackney, for tests)")
	f.Int64Var(&seed, "seed", 0, "random seed (default: generate.seed from config)")
	f.StringVar(&opts.Gen.OutDir, "out", "", "directory to write the returns to (required)")
	f.StringVar(&format, "format", string(generate.FormatCSV), "csv, xlsx or mixed (schools and budgets as xlsx)")
	f.BoolVar(&opts.Gen.Messy, "messy", false, "add real-file quirks and deliberately bad rows")
	f.IntVar(&opts.Gen.Years, "years", 5, "academic years to generate, ending 2024/25")
	f.BoolVar(&opts.Gen.Termly, "termly", false, "add the October and May censuses of the latest year")
	return cmd
}

// runGenerate writes the returns and prints a line per file.
func runGenerate(ctx context.Context, opts generateOptions) error {
	if opts.Out == nil {
		return errors.New("generate: no output stream")
	}
	start := time.Now()
	m, err := generate.Generate(ctx, opts.Gen)
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	var rows, bad int
	var bytes int64
	for _, f := range m.Files {
		line := fmt.Sprintf("%-44s %8d rows %10d bytes", f.Name, f.Rows, f.Bytes)
		if f.Rejected > 0 {
			line += fmt.Sprintf("  %d bad rows", f.Rejected)
		}
		fmt.Fprintln(opts.Out, line)
		rows += f.Rows
		bad += f.Rejected
		bytes += f.Bytes
	}
	// Published comparators in the EES, LAIT, statistical neighbour and
	// scorecard formats, so a machine without DfE's files still shows
	// comparisons.
	bench, err := benchmark.WriteSynthetic(opts.Gen.OutDir, m.Seed)
	if err != nil {
		return fmt.Errorf("generate benchmark files: %w", err)
	}
	for _, f := range bench {
		fmt.Fprintf(opts.Out, "%-44s (synthetic published data)\n", filepath.Base(f))
	}
	fmt.Fprintf(opts.Out, "%d files, %d rows (%d bad), %d bytes in %s (seed %d), and %d benchmark files, in %s\n",
		len(m.Files), rows, bad, bytes, opts.Gen.OutDir, m.Seed, len(bench), time.Since(start).Round(time.Millisecond))
	return nil
}
