package cli

import (
	"archive/zip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planmetrics/internal/warehouse"
)

// TestNightlyRunEndToEnd runs the nightly job as cron would on a generated
// inbox (returns and published comparators), then checks what the data team,
// analysts and priority leads get: exit 0, five owner-only workbooks that
// re-open with their sheets and charts, a Summary figure equal to the one in
// indicators.metric_values, and a second run that is a no-op.
func TestNightlyRunEndToEnd(t *testing.T) {
	dir := t.TempDir()
	inbox := filepath.Join(dir, "data", "inbox")
	if code, out, errs := cli(t, dir, "generate", "--scale", "tiny", "--seed", "11", "--years", "2", "--format", "mixed", "--out", inbox); code != ExitOK {
		t.Fatalf("generate: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := cli(t, dir, "run")
	if code != ExitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"0 rejected", "Priority 1: SEND and inclusion", "workbooks: data/out/priority-1.xlsx"} {
		if !strings.Contains(out, want) {
			t.Errorf("run output lacks %q", want)
		}
	}

	db, err := warehouse.OpenReadOnly(context.Background(), filepath.Join(dir, "data", "warehouse.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var want float64
	var period string
	if err := db.QueryRow(`select value, period from indicators.latest where metric_id = 'p1_ehcp_pct' and measure = 'value'
		and geography_level = 'borough' and phase = 'all' and breakdown = 'all'`).Scan(&want, &period); err != nil {
		t.Fatal(err)
	}

	for n := 1; n <= 5; n++ {
		path := filepath.Join(dir, "data", "out", fmt.Sprintf("priority-%d.xlsx", n))
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", path, st.Mode().Perm())
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatalf("%s does not re-open: %v", path, err)
		}
		sheets := strings.Join(f.GetSheetList(), ",")
		for _, s := range []string{"Summary", "Notes", "Definitions", "About"} {
			if !strings.Contains(sheets, s) {
				t.Errorf("priority-%d has no %s sheet (%s)", n, s, sheets)
			}
		}
		if n == 1 {
			if got := summaryValue(t, f, "p1_ehcp_pct"); got != strconv.FormatFloat(want, 'f', -1, 64) && !near(got, want) {
				t.Errorf("Summary value of p1_ehcp_pct (%s) = %s, want %v as in indicators.metric_values", period, got, want)
			}
		}
		f.Close()
		if charts := zipParts(t, path, "xl/charts/chart"); charts == 0 {
			t.Errorf("priority-%d has no charts", n)
		}
	}

	if code, out, _ := cli(t, dir, "run"); code != ExitOK || !strings.Contains(out, "0 loaded") {
		t.Errorf("second run: exit %d, want a no-op\n%s", code, out)
	}
}

// summaryValue is the Value cell of a metric's row on the Summary sheet,
// found by header text rather than position.
func summaryValue(t *testing.T, f *excelize.File, metricID string) string {
	t.Helper()
	rows, err := f.GetRows("Summary", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	idCol, valueCol := -1, -1
	for _, r := range rows {
		if idCol < 0 {
			for i, c := range r {
				switch c {
				case "Metric id":
					idCol = i
				case "Value":
					valueCol = i
				}
			}
			continue
		}
		if idCol < len(r) && r[idCol] == metricID && valueCol < len(r) {
			return r[valueCol]
		}
	}
	t.Fatalf("no %s row under a Metric id / Value header on Summary", metricID)
	return ""
}

func near(s string, want float64) bool {
	got, err := strconv.ParseFloat(s, 64)
	return err == nil && got-want < 1e-9 && want-got < 1e-9
}

func zipParts(t *testing.T, path, prefix string) int {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	n := 0
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, prefix) {
			n++
		}
	}
	return n
}
