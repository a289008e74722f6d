package cli

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// exportWarehouse writes a warehouse file with the export package's
// hand-made fixture (schema plus catalogue and values).
func exportWarehouse(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range []string{"../warehouse/schema.sql", "../export/testdata/fixture.sql"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(b)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return path
}

func TestExportCommand(t *testing.T) {
	wh := exportWarehouse(t)
	out := filepath.Join(t.TempDir(), "out")
	tests := []struct {
		name      string
		args      []string
		code      int
		files     []string // written into out
		errSubstr string
	}{
		{name: "one workbook", args: []string{"--priority", "2"}, code: ExitOK, files: []string{"priority-2.xlsx"}},
		{name: "all workbooks", args: []string{"--priority", "all", "--format", "xlsx"}, code: ExitOK,
			files: []string{"priority-1.xlsx", "priority-2.xlsx", "priority-3.xlsx", "priority-4.xlsx", "priority-5.xlsx"}},
		{name: "csv", args: []string{"--format", "csv"}, code: ExitOK, files: []string{"metric_values.csv", "metrics.csv", "benchmarks.csv"}},
		{name: "parquet", args: []string{"--format", "parquet", "--priority", "1"}, code: ExitOK,
			files: []string{"metric_values-priority-1.parquet", "metrics-priority-1.parquet", "benchmarks-priority-1.parquet"}},
		{name: "ees", args: []string{"--format", "ees", "--priority", "5"}, code: ExitOK,
			files: []string{"ees_metric_values_priority_5_academic_year.csv", "ees_metric_values_priority_5_academic_year.meta.csv"}},
		{name: "bad priority", args: []string{"--priority", "6"}, code: ExitUsage, errSubstr: "from 1 to 5"},
		{name: "bad format", args: []string{"--format", "pdf"}, code: ExitUsage, errSubstr: "xlsx, csv, parquet or ees"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"--log-format", "text", "--warehouse", wh, "export", "--out", out}, tt.args...)
			code := Main(args, strings.NewReader(""), &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.errSubstr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.errSubstr)
			}
			for _, f := range tt.files {
				p := filepath.Join(out, f)
				st, err := os.Stat(p)
				if err != nil {
					t.Errorf("missing %s: %v", f, err)
					continue
				}
				if st.Mode().Perm() != 0o600 {
					t.Errorf("%s mode %v, want 0600", f, st.Mode().Perm())
				}
				if !strings.Contains(stdout.String(), p) {
					t.Errorf("stdout does not list %s:\n%s", p, stdout.String())
				}
			}
		})
	}
}

func TestExportNoSuppressSaysSo(t *testing.T) {
	wh := exportWarehouse(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := Main([]string{"--log-format", "text", "--warehouse", wh, "export", "--out", out, "--priority", "1", "--no-suppress"},
		strings.NewReader(""), &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "WITHOUT small-number suppression") {
		t.Errorf("no warning in the log:\n%s", stderr.String())
	}
	f, err := excelize.OpenFile(filepath.Join(out, "priority-1.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("About")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 1 && r[0] == "Suppression rule" {
			found = strings.HasPrefix(r[1], "NOT APPLIED")
		}
	}
	if !found {
		t.Error("About sheet does not say suppression was not applied")
	}
}

func TestExportWithoutWarehouse(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main([]string{"--log-format", "text", "--warehouse", filepath.Join(t.TempDir(), "none.duckdb"), "export"},
		strings.NewReader(""), &stdout, &stderr)
	if code != ExitFailure || !strings.Contains(stderr.String(), "no warehouse yet") {
		t.Errorf("exit %d, stderr %q: want a failure that says to run planmetrics first", code, stderr.String())
	}
}
