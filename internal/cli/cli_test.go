package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"planmetrics/internal/warehouse"
)

// cli runs planmetrics in dir (as a user would, from the project folder) and
// returns its exit code, stdout and stderr.
func cli(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errb bytes.Buffer
	code := Main(append([]string{"--log-format", "text"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestRunIngestStatusSQL(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data/inbox/schools_2024-25.csv"),
		"academic_year,urn,school_name,phase,type,maintained,neighbourhood,net_capacity\n2024/25,100001,Brook,primary,community,Y,Hoxton,420\n")
	writeFile(t, filepath.Join(dir, "data/inbox/census_2025-01-16.csv"),
		"census_date,urn,upn,ncy,gender,ethnicity,fsm,sen_provision\n16/01/2025,100001,A12345678901B,R,F,WBRI,N,N\n")
	writeFile(t, filepath.Join(dir, "data/inbox/_manifest.json"), "{}") // ignored: starts with _
	// Excel's lock file while someone has a return open: ignored, not rejected.
	writeFile(t, filepath.Join(dir, "data/inbox/~$census_2025-01-16.xlsx"), "\x0bJo Bloggs\x00\x00")

	code, out, errs := cli(t, dir, "run")
	if code != ExitOK {
		t.Fatalf("run exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if !strings.Contains(out, "2 files: 2 loaded") || !strings.Contains(out, "warehouse: data/warehouse.duckdb") {
		t.Errorf("run summary:\n%s", out)
	}
	if code, out, _ = cli(t, dir, "run"); code != ExitOK || !strings.Contains(out, "2 already loaded") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}

	code, out, _ = cli(t, dir, "sql", "--format", "json", "select count(*) as n from raw.census")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); code != ExitOK || err != nil || len(rows) != 1 || rows[0]["n"] != float64(1) {
		t.Errorf("sql: exit %d out %s err %v", code, out, err)
	}
	if code, _, errs = cli(t, dir, "sql", "create table raw.x (a int)"); code != ExitFailure || !strings.Contains(errs, "read-only") {
		t.Errorf("sql must be read-only: exit %d stderr %s", code, errs)
	}

	code, out, _ = cli(t, dir, "status")
	for _, want := range []string{"Recent runs", "census_2025-01-16.csv", "never loaded"} {
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("status lacks %q (exit %d):\n%s", want, code, out)
		}
	}
}

func TestRejectedInputExitsThree(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "census_bad.csv")
	writeFile(t, bad, "census_date,urn,upn,ncy,gender,ethnicity,fsm,sen_provision\n31/02/2025,100001,A12345678901B,R,F,WBRI,N,N\n")

	code, out, _ := cli(t, dir, "validate", bad)
	if code != ExitRejected || !strings.Contains(out, "census_bad.csv:2:census_date: expected a date") {
		t.Errorf("validate: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "data/warehouse.duckdb")); !os.IsNotExist(err) {
		t.Error("validate created a warehouse")
	}
	missing := filepath.Join(dir, "census_cols.csv")
	writeFile(t, missing, "census_date,urn,ncy\n16/01/2025,100001,R\n")
	code, out, errs := cli(t, dir, "ingest", bad, missing)
	if code != ExitRejected {
		t.Errorf("ingest: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "missing required columns: upn, gender, ethnicity, fsm, sen_provision") {
		t.Errorf("ingest output does not name the missing columns:\n%s", out)
	}
	if code, _, errs := cli(t, dir, "ingest", "--bogus", bad); code != ExitUsage {
		t.Errorf("bad flag: exit %d %s", code, errs)
	}
}

// TestReturnSpecOverride: the data team adds a return type with a YAML file
// in pipelines_dir, no rebuild; the embedded returns still load.
func TestReturnSpecOverride(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "override/returns/attendance.yaml"), `name: attendance
description: Sessions possible and missed per pupil.
file_prefixes: [attendance]
columns:
  - {name: urn, type: int}
  - {name: upn, type: upn}
  - {name: sessions_possible, type: int, min: 0}
  - {name: sessions_missed, type: int, min: 0}
unique: [urn, upn]
supersede: [urn]
`)
	writeFile(t, filepath.Join(dir, "planmetrics.yaml"), "pipelines_dir: override\n")
	writeFile(t, filepath.Join(dir, "attendance_autumn.csv"),
		"URN,UPN,Sessions Possible,Sessions Missed\n100001,A12345678901B,120,6\n100001,A12345678901C,120,-1\n")
	writeFile(t, filepath.Join(dir, "dsg_2024-25.csv"),
		"financial_year,block,allocation,expenditure,cumulative_balance\n2024-25,schools,100,90,10\n")
	code, out, errs := cli(t, dir, "ingest", "attendance_autumn.csv", "dsg_2024-25.csv")
	if code != ExitRejected || !strings.Contains(out, "attendance") {
		t.Fatalf("exit %d (want 3: one bad row)\n%s\n%s", code, out, errs)
	}
	code, out, _ = cli(t, dir, "sql", "--format", "csv", "select (select count(*) from raw.attendance), (select count(*) from meta.rejects where rule = 'range'), (select count(*) from raw.dsg)")
	if code != ExitOK || !strings.Contains(out, "\n1,1,1\n") {
		t.Errorf("counts: exit %d\n%s", code, out)
	}
}

// TestWriteRows: the sql command prints DuckDB's types as values (decimals,
// dates, UUIDs, NULL, quoted commas) and doubles in full (a budget of
// £1,234,567.50 is not 1.23457e+06), in CSV, JSON and the table.
func TestWriteRows(t *testing.T) {
	db, err := warehouse.OpenScratch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	types := `select 1.5::decimal(10,2) as d, date '2025-01-16' as day, '3a7d2f4e-1c2b-4d5e-8f90-123456789abc'::uuid as u, null as n, 'a,b' as s`
	numbers := `select 1234567.5::double as a, 20000000::double as b, -0.25::double as c, 1e-7::double as d, 12.5::float as e`
	for _, tc := range []struct{ query, format, want string }{
		{types, "csv", "d,day,u,n,s\n1.5,2025-01-16,3a7d2f4e-1c2b-4d5e-8f90-123456789abc,,\"a,b\"\n"},
		{types, "json", `"d": 1.5`},
		{types, "table", "(1 rows)"},
		{numbers, "csv", "a,b,c,d,e\n1234567.5,20000000,-0.25,0.0000001,12.5\n"},
		{numbers, "table", "1234567.5  20000000  -0.25  0.0000001  12.5"},
	} {
		rows, err := db.Query(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := writeRows(&b, rows, tc.format); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("%s output:\n%s\nlacks %q", tc.format, b.String(), tc.want)
		}
	}
}

// TestUsageErrorsExitTwo: a bad command line is exit 2 whatever is wrong
// with it (a flag, the arguments, the command, the return type), so cron
// scripts can tell it from a failed or rejecting run.
func TestUsageErrorsExitTwo(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "census.csv"), "census_date,urn\n")
	for _, args := range [][]string{
		{"ingest"},
		{"validate"},
		{"bogus"},
		{"sql"},
		{"status", "extra"},
		{"ingest", "--return", "nonsense", "census.csv"},
		{"validate", "--return", "nonsense", "census.csv"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errs := cli(t, dir, args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ExitUsage, out, errs)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "data/warehouse.duckdb")); !os.IsNotExist(err) {
		t.Error("a usage error created a warehouse")
	}
}

// TestValidateNamesTheFileAsGiven: validate's lines start with the path the
// user gave, so an editor or grep can open it.
func TestValidateNamesTheFileAsGiven(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "inbox/census_bad.csv"),
		"census_date,urn,upn,ncy,gender,ethnicity,fsm,sen_provision\n16/01/2025,100001,A12345678901B,R,F,WBRI,N,N\n31/02/2025,100001,A12345678902B,R,F,WBRI,N,N\n")
	code, out, _ := cli(t, dir, "validate", "inbox/census_bad.csv")
	if code != ExitRejected || !strings.HasPrefix(out, "inbox/census_bad.csv:3:census_date: expected a date") {
		t.Errorf("validate: exit %d\n%s", code, out)
	}
}

// TestFailedFileDoesNotBlockOthers: a file whose load fails inside the
// warehouse (here a return spec with a broken row check, added through
// pipelines_dir) is rolled back and recorded as failed; the other files of
// the night still load, the metrics are still built, and the run exits 1.
func TestFailedFileDoesNotBlockOthers(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "override/returns/broken.yaml"), `name: broken
file_prefixes: [broken]
columns:
  - {name: urn, type: int}
  - {name: places, type: int}
checks:
  - {name: nonsense, column: places, sql: "no_such_column > 0", message: "never evaluated"}
`)
	writeFile(t, filepath.Join(dir, "planmetrics.yaml"), "pipelines_dir: override\n")
	writeFile(t, filepath.Join(dir, "data/inbox/broken_1.csv"), "urn,places\n100001,5\n")
	writeFile(t, filepath.Join(dir, "data/inbox/dsg_2024-25.csv"),
		"financial_year,block,allocation,expenditure,cumulative_balance\n2024-25,schools,100,90,10\n")
	code, out, errs := cli(t, dir, "run")
	if code != ExitFailure || !strings.Contains(out, "1 loaded") || !strings.Contains(out, "1 failed") {
		t.Fatalf("run: exit %d (want 1)\n%s\n%s", code, out, errs)
	}
	code, out, _ = cli(t, dir, "sql", "--format", "csv", `select
		(select status from meta.loads where file_name = 'broken_1.csv'),
		(select count(*) from raw.dsg),
		(select status from meta.runs order by run_id desc limit 1),
		(select count(*) > 0 from indicators.metric_values where metric_id = 'p3_schools_block_balance' and status <> 'no_data')`)
	if code != ExitOK || !strings.Contains(out, "failed,1,failed,true") {
		t.Errorf("after the run: exit %d\n%s", code, out)
	}
}

// TestValidateShowsWarnings: validate prints warnings after rejects, but no
// unknown-URN warning (it has no school register to check against).
func TestValidateShowsWarnings(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "census_w.csv"),
		"census_date,urn,upn,ncy,gender,ethnicity,fsm,sen_provision,tutor\n16/01/2025,100001,A12345678901B,R,F,WBRI,N,N,7B\nTotal,,,,,,,,\n")
	code, out, _ := cli(t, dir, "validate", "census_w.csv")
	if code != ExitOK {
		t.Fatalf("exit %d (warnings are not rejections)\n%s", code, out)
	}
	for _, want := range []string{
		`census_w.csv:1:tutor: warning: column "tutor" is not in the census spec`,
		"census_w.csv:3: warning: a totals row was skipped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "school register") {
		t.Errorf("validate printed an unknown-URN warning:\n%s", out)
	}
}
