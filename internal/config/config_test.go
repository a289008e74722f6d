package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/pflag"
)

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pm.yaml")
	os.WriteFile(file, []byte("warehouse: from-file.duckdb\ninbox: file-inbox\nexport:\n  suppress_below: 7\nmetrics:\n  min_group: 40\n"), 0o600)
	flags := pflag.NewFlagSet("t", pflag.ContinueOnError)
	flags.String("warehouse", "data/warehouse.duckdb", "")
	flags.String("inbox", "data/inbox", "")
	if err := flags.Parse([]string{"--warehouse", "from-flag.duckdb"}); err != nil {
		t.Fatal(err)
	}
	env := []string{"PLANMETRICS_INBOX=env-inbox", "PLANMETRICS_EXPORT_SUPPRESS_BELOW=10", "PLANMETRICS_PSEUDONYM_KEY=s3cret", "OTHER=1"}
	c, err := Load(file, flags, env)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"flag beats file", c.Warehouse, "from-flag.duckdb"},
		{"env beats file", c.Inbox, "env-inbox"},
		{"nested env", c.Export.SuppressBelow, 10},
		{"file beats default", c.Metrics.MinGroup, 40},
		{"default", c.Metrics.MinEvents, 10},
		{"key from env", c.PseudonymKey, "s3cret"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if c.DemoKey() {
		t.Error("a configured key is reported as the demo key")
	}
}

func TestDefaultsAndValidation(t *testing.T) {
	c, err := Load("", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Warehouse != "data/warehouse.duckdb" || c.Export.SuppressBelow != 5 || !c.DemoKey() {
		t.Errorf("defaults: %+v", c)
	}
	if _, err := Load("", nil, []string{"PLANMETRICS_LOG_FORMAT=xml"}); err == nil {
		t.Error("an invalid log format was accepted")
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), nil, nil); err == nil {
		t.Error("a missing config file was accepted")
	}
}
