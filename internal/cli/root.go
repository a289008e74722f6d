// Package cli wires the planmetrics subcommands (cobra) to the packages that
// do the work, and decides exit codes in one place.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"planmetrics/internal/buildinfo"
	"planmetrics/internal/config"
	"planmetrics/internal/overlay"
	"planmetrics/internal/warehouse"
	"planmetrics/pipelines"
	"planmetrics/seeds"
)

// Exit codes. Scripts and cron rely on them.
const (
	ExitOK       = 0
	ExitFailure  = 1 // a step failed (bad config, I/O, SQL, ...)
	ExitUsage    = 2 // bad command line
	ExitRejected = 3 // the job ran, but a file or some rows were rejected: see meta.rejects
)

// ErrRejected marks a command that completed but rejected input; it maps to
// [ExitRejected].
var ErrRejected = errors.New("input rejected")

type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// App is what every subcommand needs: resolved config, output streams, a
// logger and the pipeline and seed file trees.
type App struct {
	Config    config.Config
	Stdin     io.Reader
	Stdout    io.Writer
	Stderr    io.Writer
	Log       *slog.Logger
	Pipelines fs.FS
	Seeds     fs.FS
	Environ   []string

	configFile string
}

// Main runs planmetrics with args and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := &App{Stdin: stdin, Stdout: stdout, Stderr: stderr, Environ: os.Environ()}
	root := NewRootCmd(app)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	return exitCode(app, err)
}

func exitCode(app *App, err error) int {
	if err == nil {
		return ExitOK
	}
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(app.Stderr, "planmetrics: %v\n", err)
		return ExitUsage
	case errors.Is(err, ErrRejected):
		fmt.Fprintf(app.Stderr, "planmetrics: %v\n", err)
		return ExitRejected
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(app.Stderr, "planmetrics: interrupted; the published warehouse is unchanged")
		return ExitFailure
	default:
		fmt.Fprintf(app.Stderr, "planmetrics: %v\n", err)
		return ExitFailure
	}
}

// NewRootCmd builds the command tree.
func NewRootCmd(app *App) *cobra.Command {
	root := &cobra.Command{
		Use:           "planmetrics",
		Short:         "Hackney Education Strategic Plan 2026-29: returns in, metrics out",
		Version:       buildinfo.String(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return app.setup(cmd)
		},
		// Runnable, with arguments checked, so that an unknown command is
		// a usage error (cobra reports it as a plain error otherwise).
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q for %q: see planmetrics --help", args[0], cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&app.configFile, "config", "", "config file (YAML; default ./planmetrics.yaml if present)")
	pf.String("warehouse", "data/warehouse.duckdb", "DuckDB warehouse file")
	pf.String("inbox", "data/inbox", "folder of returns the nightly run loads")
	pf.String("log-level", "info", "debug, info, warn or error")
	pf.String("log-format", "auto", "auto (text on a terminal, JSON otherwise), text or json")
	for _, c := range commands {
		root.AddCommand(c(app))
	}
	usageArgs(root)
	return root
}

// usageArgs makes the argument checks of c and its subcommands return
// usage errors (exit 2).
func usageArgs(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		usageArgs(sub)
	}
}

// commands lists the subcommand constructors; each lives in its own file.
var commands []func(*App) *cobra.Command

func register(c func(*App) *cobra.Command) { commands = append(commands, c) }

func (app *App) setup(cmd *cobra.Command) error {
	cfg, err := config.Load(app.configFile, cmd.Flags(), app.Environ)
	if err != nil {
		return err
	}
	app.Config = cfg
	app.Log = newLogger(app.Stderr, cfg)
	if app.Pipelines, err = overlay.New(pipelines.FS, cfg.PipelinesDir); err != nil {
		return fmt.Errorf("pipelines_dir: %w", err)
	}
	if app.Seeds, err = overlay.New(seeds.FS, cfg.SeedsDir); err != nil {
		return fmt.Errorf("seeds_dir: %w", err)
	}
	return nil
}

func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFmt
	if format == "auto" {
		format = "json"
		if isTerminal(w) {
			format = "text"
		}
	}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// beginWrite opens a write session on the configured warehouse.
func (app *App) beginWrite(ctx context.Context, command string) (*warehouse.Session, error) {
	return warehouse.Begin(ctx, app.Config.Warehouse, command)
}
