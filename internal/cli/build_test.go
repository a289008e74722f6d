package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildAndMetrics ingests a tiny school register and census, builds, and
// reads the catalogue and data dictionary back through the CLI.
func TestBuildAndMetrics(t *testing.T) {
	dir := t.TempDir()
	// Before any warehouse: the catalogue lists, the dictionary documents an
	// empty warehouse.
	code, out, errs := cli(t, dir, "metrics")
	if code != ExitOK || !strings.Contains(out, "p1_ehcp_20wk_pct") || !strings.Contains(errs, "no warehouse") {
		t.Fatalf("metrics without a warehouse: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = cli(t, dir, "metrics", "--format", "markdown")
	for _, want := range []string{"# Data dictionary", "#### indicators.metric_values (table)", "| status | VARCHAR |",
		"#### raw.census (not loaded yet)", "#### p5_tktc_slcn_pct: "} {
		if !strings.Contains(out, want) {
			t.Errorf("dictionary of an empty warehouse lacks %q (exit %d, stderr %s)", want, code, errs)
		}
	}

	// 4 pupils at one primary school, 1 on SEN support: 25%.
	writeFile(t, filepath.Join(dir, "in/schools_2024-25.csv"),
		"academic_year,urn,school_name,phase,type,maintained,neighbourhood,net_capacity\n2024/25,100001,Brook,primary,community,Y,Hoxton,420\n")
	writeFile(t, filepath.Join(dir, "in/census_2025-01-16.csv"),
		"census_date,urn,upn,ncy,gender,ethnicity,fsm,sen_provision\n"+
			"16/01/2025,100001,A12345678901B,R,F,WBRI,N,K\n"+
			"16/01/2025,100001,A12345678902B,R,M,BCRB,Y,N\n"+
			"16/01/2025,100001,A12345678903B,1,F,WTUR,N,N\n"+
			"16/01/2025,100001,A12345678904B,2,M,WBRI,N,N\n")
	if code, out, errs = cli(t, dir, "ingest", "in/schools_2024-25.csv", "in/census_2025-01-16.csv"); code != ExitOK {
		t.Fatalf("ingest: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = cli(t, dir, "build")
	if code != ExitOK {
		t.Fatalf("build: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"Priority 1: SEND and inclusion", "p1_sen_support_pct  2025-01-16  25.0%", "p1_ehcp_20wk_pct", "no data"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("build output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = cli(t, dir, "sql", "--format", "json", "select status, message from meta.runs where command = 'build'")
	if code != ExitOK || !strings.Contains(out, `"ok"`) || !strings.Contains(out, "computed") {
		t.Errorf("build run record: exit %d %s", code, out)
	}

	code, out, _ = cli(t, dir, "metrics", "--format", "json")
	var list []struct {
		ID           string `json:"metric_id"`
		HasData      *bool  `json:"has_data"`
		LatestPeriod string `json:"latest_period"`
	}
	if err := json.Unmarshal([]byte(out), &list); code != ExitOK || err != nil {
		t.Fatalf("metrics json: exit %d %v\n%s", code, err, out)
	}
	got := map[string]string{}
	for _, m := range list {
		if m.HasData == nil {
			t.Fatalf("%s: has_data null with a built warehouse", m.ID)
		}
		if *m.HasData {
			got[m.ID] = m.LatestPeriod
		}
	}
	if got["p1_sen_support_pct"] != "2025-01-16" {
		t.Errorf("p1_sen_support_pct latest %q, want 2025-01-16", got["p1_sen_support_pct"])
	}
	if _, ok := got["p1_ehcp_20wk_pct"]; ok {
		t.Errorf("p1_ehcp_20wk_pct has data without an ehcp return")
	}

	code, out, _ = cli(t, dir, "metrics", "--format", "markdown")
	for _, want := range []string{"#### raw.census (table)", "| _load_id | BIGINT |", "#### core.pupil_breakdowns (view)",
		"| data | none (no_data) |", "latest period 2025-01-16"} {
		if !strings.Contains(out, want) {
			t.Errorf("dictionary lacks %q (exit %d)", want, code)
		}
	}
	if code, _, errs = cli(t, dir, "metrics", "--format", "yaml"); code != ExitUsage {
		t.Errorf("--format yaml: exit %d (%s), want %d", code, errs, ExitUsage)
	}
}

// TestBuildFailureKeepsWarehouse: a broken metric in the override directory
// fails the build with its file named; the published values stay.
func TestBuildFailureKeepsWarehouse(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := cli(t, dir, "build"); code != ExitOK {
		t.Fatalf("first build: exit %d\n%s\n%s", code, out, errs)
	}
	writeFile(t, filepath.Join(dir, "local/metrics/p9_broken.sql"), "select 1 as measure")
	writeFile(t, filepath.Join(dir, "local/metrics/local.yaml"), `metrics:
  - id: p9_broken
    name: broken
    priority: 5
    definition: a metric with the wrong columns
    unit: count
    direction: up
    sources: [schools]
`)
	writeFile(t, filepath.Join(dir, "data/inbox/schools_2024-25.csv"),
		"academic_year,urn,school_name,phase,type,maintained,neighbourhood,net_capacity\n2024/25,100001,Brook,primary,community,Y,Hoxton,420\n")
	if code, out, errs := cli(t, dir, "ingest", "data/inbox/schools_2024-25.csv"); code != ExitOK {
		t.Fatalf("ingest: exit %d\n%s\n%s", code, out, errs)
	}
	writeFile(t, filepath.Join(dir, "planmetrics.yaml"), "pipelines_dir: local\n")
	code, _, errs := cli(t, dir, "build")
	if code != ExitFailure || !strings.Contains(errs, "metrics/p9_broken.sql") || !strings.Contains(errs, "missing:") {
		t.Fatalf("broken build: exit %d, stderr %s", code, errs)
	}
	code, out, _ := cli(t, dir, "sql", "--format", "json",
		"select (select count(*) from indicators.metric_values where metric_id = 'p9_broken') as broken, (select status from meta.runs order by run_id desc limit 1) as last")
	if code != ExitOK || !strings.Contains(out, `"broken": 0`) || !strings.Contains(out, `"last": "failed"`) {
		t.Errorf("after a failed build: exit %d %s", code, out)
	}
}
