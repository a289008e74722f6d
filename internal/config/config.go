// Package config resolves planmetrics settings once, from flags, PLANMETRICS_*
// environment variables, an optional YAML file and embedded defaults (in that
// order of precedence), into a typed Config that is passed down explicitly.
package config

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

//go:embed defaults.yaml
var defaultsYAML string

// DemoPseudonymKey is the built-in key used when no key is configured. It is
// public (it is in the source), so pseudonyms made with it protect nothing:
// [Config.DemoKey] reports its use so callers can warn loudly.
const DemoPseudonymKey = "planmetrics-demo-key-not-for-real-data"

// Config is every setting planmetrics reads. Paths are as given (relative to
// the working directory unless absolute).
type Config struct {
	Warehouse string `mapstructure:"warehouse"` // published DuckDB file analysts query
	Inbox     string `mapstructure:"inbox"`     // where returns are dropped for the nightly run
	OutDir    string `mapstructure:"out"`       // exports (workbooks, csv, parquet)

	// PipelinesDir and SeedsDir, when set, override the embedded pipelines/
	// and seeds/ trees file by file, so the data team can add a metric or a
	// return spec without a rebuild.
	PipelinesDir string `mapstructure:"pipelines_dir"`
	SeedsDir     string `mapstructure:"seeds_dir"`

	PseudonymKey string `mapstructure:"pseudonym_key"`

	Metrics  MetricsConfig  `mapstructure:"metrics"`
	Export   ExportConfig   `mapstructure:"export"`
	LogLevel string         `mapstructure:"log_level"`
	LogFmt   string         `mapstructure:"log_format"` // auto | text | json
	Ingest   IngestConfig   `mapstructure:"ingest"`
	Generate GenerateConfig `mapstructure:"generate"`
}

// MetricsConfig holds the thresholds the metric engine applies.
type MetricsConfig struct {
	// MinEvents and MinGroup are the smallest event count and group size for
	// which a risk ratio is considered reliable; smaller ones are kept and
	// flagged, never dropped.
	MinEvents int `mapstructure:"min_events"`
	MinGroup  int `mapstructure:"min_group"`
}

// ExportConfig holds export settings.
type ExportConfig struct {
	// SuppressBelow: a value whose numerator or denominator is below this is
	// shown as "c" in every export.
	SuppressBelow int `mapstructure:"suppress_below"`
}

// IngestConfig holds ingestion settings.
type IngestConfig struct {
	// HeaderSearchRows is how many rows from the top of a sheet are searched
	// for the header (titles and notes often sit above it).
	HeaderSearchRows int `mapstructure:"header_search_rows"`
}

// GenerateConfig holds defaults for the synthetic data generator.
type GenerateConfig struct {
	Seed int64 `mapstructure:"seed"`
}

// DemoKey reports whether the pseudonymisation key is the public demo key.
func (c Config) DemoKey() bool { return c.PseudonymKey == "" || c.PseudonymKey == DemoPseudonymKey }

// Key returns the pseudonymisation key to use (the demo key if none is set).
func (c Config) Key() []byte {
	if c.PseudonymKey == "" {
		return []byte(DemoPseudonymKey)
	}
	return []byte(c.PseudonymKey)
}

// Validate checks values that would otherwise fail later and obscurely.
func (c Config) Validate() error {
	var errs []error
	if c.Warehouse == "" {
		errs = append(errs, errors.New("warehouse path is empty: set --warehouse or PLANMETRICS_WAREHOUSE"))
	}
	if c.Export.SuppressBelow < 0 {
		errs = append(errs, fmt.Errorf("export.suppress_below is %d: use 0 (no suppression) or more", c.Export.SuppressBelow))
	}
	switch c.LogFmt {
	case "auto", "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log_format %q: use auto, text or json", c.LogFmt))
	}
	return errors.Join(errs...)
}

// Load resolves the configuration. file may be empty, in which case
// ./planmetrics.yaml is read if it exists. flags are the command's parsed
// flags; only flags the user set override the other sources. environ is the
// process environment (os.Environ()), passed in so tests control it.
func Load(file string, flags *pflag.FlagSet, environ []string) (Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(strings.NewReader(defaultsYAML)); err != nil {
		return Config{}, fmt.Errorf("embedded defaults: %w", err)
	}
	if file == "" {
		if _, err := os.Stat("planmetrics.yaml"); err == nil {
			file = "planmetrics.yaml"
		}
	}
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return Config{}, fmt.Errorf("config file: %w", err)
		}
		defer f.Close()
		if err := v.MergeConfig(f); err != nil {
			return Config{}, fmt.Errorf("config file %s: %w", file, err)
		}
	}
	// Environment: PLANMETRICS_WAREHOUSE, PLANMETRICS_EXPORT_SUPPRESS_BELOW ...
	for _, kv := range environ {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, "PLANMETRICS_") {
			continue
		}
		key := envKey(v, strings.ToLower(strings.TrimPrefix(name, "PLANMETRICS_")))
		if key != "" {
			v.Set(key, val)
		}
	}
	if flags != nil {
		for flag, key := range flagKeys {
			if f := flags.Lookup(flag); f != nil && f.Changed {
				v.Set(key, f.Value.String())
			}
		}
	}
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, c.Validate()
}

// flagKeys maps global flag names to config keys.
var flagKeys = map[string]string{
	"warehouse":  "warehouse",
	"inbox":      "inbox",
	"log-level":  "log_level",
	"log-format": "log_format",
}

// envKey finds the config key an environment variable suffix names:
// "export_suppress_below" -> "export.suppress_below". Unknown names are
// ignored (returns "").
func envKey(v *viper.Viper, suffix string) string {
	for _, k := range v.AllKeys() {
		if strings.ReplaceAll(k, ".", "_") == suffix {
			return k
		}
	}
	return ""
}
