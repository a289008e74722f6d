package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planmetrics/internal/benchmark"
	"planmetrics/internal/spec"
	"planmetrics/internal/warehouse"
	"planmetrics/pipelines"
)

// env is a scratch warehouse and a loader over it.
type env struct {
	t      *testing.T
	db     *sql.DB
	loader *Loader
	dir    string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.OpenScratch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	specs, err := spec.Load(pipelines.FS)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, db: db, dir: t.TempDir(), loader: New(db, 1, Options{Specs: specs, Key: []byte("test-key")})}
}

// write puts raw bytes in a file of the test's directory.
func (e *env) write(name string, b []byte) string {
	e.t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) load(path, force string) Result {
	e.t.Helper()
	res, err := e.loader.Load(context.Background(), path, force)
	if err != nil {
		e.t.Fatalf("Load(%s): %v", path, err)
	}
	return res
}

func (e *env) query(q string, args ...any) []string {
	e.t.Helper()
	rows, err := e.db.Query(q, args...)
	if err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			e.t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = v.String
			if !v.Valid {
				parts[i] = "NULL"
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out
}

func (e *env) one(q string, args ...any) string {
	e.t.Helper()
	r := e.query(q, args...)
	if len(r) != 1 {
		e.t.Fatalf("%s: %d rows, want 1: %v", q, len(r), r)
	}
	return r[0]
}

func wantCounts(t *testing.T, res Result, read, accepted, rejected int64) {
	t.Helper()
	if res.Status != StatusLoaded || res.Read != read || res.Accepted != accepted || res.Rejected != rejected {
		t.Fatalf("%s: status %s read %d accepted %d rejected %d (err %v), want loaded %d/%d/%d",
			filepath.Base(res.File), res.Status, res.Read, res.Accepted, res.Rejected, res.Err, read, accepted, rejected)
	}
}

const schoolsCSV = "academic_year,urn,school_name,phase,type,maintained,neighbourhood,net_capacity,arp_places,ofsted_grade,ofsted_date\n" +
	"2024/25,100001,Brook Primary,primary,community,Y,Hoxton,420,,2,12/03/2022\n" +
	"2024/25,100002,Mossbourne Academy,secondary,academy,N,Hackney Central,1200,10,1,2019-05-01\n"

func TestCSVQuirks(t *testing.T) {
	cp1252 := []byte("academic_year;urn;school_name;phase;type;maintained;neighbourhood;net_capacity\r\n" +
		"2024/25;100003;\xc9cole \xa3 Caf\xe9;primary;community;Yes;Clapton;210\r\n")
	tests := []struct {
		name     string
		file     string
		content  []byte
		read     int64
		accepted int64
		check    func(e *env)
	}{
		{
			name: "utf8 bom and uk dates", file: "schools_bom.csv",
			content: append([]byte("\ufeff"), schoolsCSV...), read: 2, accepted: 2,
			check: func(e *env) {
				if got := e.one(`SELECT ofsted_date FROM raw.schools WHERE urn = 100001`); !strings.HasPrefix(got, "2022-03-12") {
					t.Errorf("ofsted_date = %s, want 2022-03-12 (day first)", got)
				}
				if got := e.one(`SELECT arp_places FROM raw.schools WHERE urn = 100001`); got != "0" {
					t.Errorf("blank arp_places = %s, want the default 0", got)
				}
			},
		},
		{
			name: "windows-1252 and semicolons", file: "schools_1252.csv", content: cp1252, read: 1, accepted: 1,
			check: func(e *env) {
				if got := e.one(`SELECT school_name FROM raw.schools`); got != "École £ Café" {
					t.Errorf("school_name = %q", got)
				}
			},
		},
		{
			name: "tabs, quoted newline, padded numbers", file: "schools_tab.csv",
			content: []byte("academic_year\turn\tschool_name\tphase\ttype\tmaintained\tneighbourhood\tnet_capacity\n" +
				"2024/25\t100004\t\"Two\nLines\"\tprimary\tcommunity\tY\tHomerton\t\" 1,050 \"\n" +
				"2024/25\t100005\tBad Capacity\tprimary\tcommunity\tY\tHomerton\tlots\n"),
			read: 2, accepted: 1,
			check: func(e *env) {
				// The record after the quoted newline starts on line 4.
				if got := e.one(`SELECT row_number || ':' || column_name || ':' || value || ':' || rule FROM meta.rejects`); got != "4:net_capacity:lots:type" {
					t.Errorf("reject = %s", got)
				}
				if got := e.one(`SELECT net_capacity FROM raw.schools WHERE urn = 100004`); got != "1050" {
					t.Errorf("net_capacity = %s", got)
				}
			},
		},
		{
			name: "money, brackets and suppression symbols", file: "budgets_2025-26.csv",
			content: []byte("urn,financial_year,return_period,total_income,total_expenditure,in_year_balance,cumulative_balance,staff_costs,sfvs_submitted\n" +
				"100001,2025-26,Q2,\"£1,234,567.50\",\"£1,300,000 \",,\"(65,432.50)\",x,Y\n" +
				"100002,2025/26,q2,2000000,1900000,c,\"-£12,000\",,N\n"),
			read: 2, accepted: 2,
			check: func(e *env) {
				got := e.query(`SELECT urn, financial_year, return_period, total_income::DECIMAL(18,2)::VARCHAR, in_year_balance::DECIMAL(18,2)::VARCHAR,
					cumulative_balance::DECIMAL(18,2)::VARCHAR, staff_costs FROM raw.budgets ORDER BY urn`)
				want := []string{
					"100001|2025-26|Q2|1234567.50|-65432.50|-65432.50|NULL",
					"100002|2025-26|Q2|2000000.00|100000.00|-12000.00|NULL",
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("budgets:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			},
		},
		{
			name: "leading zeros and repeated header", file: "ehcp_2024.csv",
			content: []byte("case_id,request_date,placement_la,decision\n" +
				"0123,16-Jan-2024,0204,assess\n" +
				"case_id,request_date,placement_la,decision\n" +
				"0124,2024-02-01,206,Refused\n"),
			read: 2, accepted: 2,
			check: func(e *env) {
				got := e.query(`SELECT case_id, request_date, placement_la, decision FROM raw.ehcp ORDER BY case_id`)
				if strings.Join(got, ";") != "0123|2024-01-16T00:00:00Z|0204|assess;0124|2024-02-01T00:00:00Z|206|refuse" {
					t.Errorf("ehcp rows: %v", got)
				}
				if got := e.one(`SELECT rows_skipped FROM meta.loads`); got != "1" {
					t.Errorf("skipped = %s, want the repeated header", got)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			res := e.load(e.write(tc.file, tc.content), "")
			wantCounts(t, res, tc.read, tc.accepted, tc.read-tc.accepted)
			tc.check(e)
		})
	}
}

func TestRejectsNameRowColumnValue(t *testing.T) {
	e := newEnv(t)
	e.load(e.write("schools_2024-25.csv", []byte(schoolsCSV)), "")
	csv := "census_date,urn,upn,ncy,gender,ethnicity,fsm,sen_provision\n" +
		"16/01/2025,100001,A12345678901B,R,F,WBRI,N,N\n" + // good
		"31/02/2025,100001,A12345678901C,1,M,BCRB,Y,K\n" + // impossible date
		"16/01/2025,100001,A1234,2,M,BCRB,Y,K\n" + // short UPN
		"16/01/2025,100001,A12345678901D,3,Q,WTUR,N,E\n" + // unknown gender
		"16/01/2025,100001,A12345678901E,4,F,wtur,N,x\n" + // sen_provision suppressed (required)
		"16/01/2025,100001,A12345678901B,5,F,WBRI,N,N\n" // duplicate pupil in the census
	res := e.load(e.write("census_jan.csv", []byte(csv)), "")
	wantCounts(t, res, 6, 1, 5)
	got := e.query(`SELECT row_number, column_name, value, rule FROM meta.rejects WHERE load_id = ? ORDER BY row_number`, res.LoadID)
	want := []string{
		"3|census_date|31/02/2025|type",
		"4|upn|A***4|upn",
		"5|gender|Q|code",
		"6|sen_provision|x|required", // x is "not available", not a code
		"7|census_date+urn+upn|NULL|duplicate",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rejects:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Row 7 repeats row 2's pupil in the same census: row 2 came first and
	// stays, row 7 is the duplicate. Only row 2 is accepted.
	if got := e.one(`SELECT count(*) FROM raw.census`); got != "1" {
		t.Errorf("raw.census rows = %s", got)
	}
	dup := e.one(`SELECT row_number || ' ' || rule FROM meta.rejects WHERE rule = 'duplicate'`)
	if dup != "7 duplicate" {
		t.Errorf("duplicate reject = %s", dup)
	}
}

func TestMissingAndRenamedColumnsRejectTheFile(t *testing.T) {
	e := newEnv(t)
	csv := "census_date,urn,pupil_ref,ncy,gender,ethnicity,fsm,sen\n16/01/2025,100001,A12345678901B,R,F,WBRI,N,N\n"
	res := e.load(e.write("census_bad.csv", []byte(csv)), "")
	if res.Status != StatusRejected || !errors.Is(res.Err, ErrMissingColumns) {
		t.Fatalf("status %s err %v, want rejected for missing columns", res.Status, res.Err)
	}
	msg := res.Err.Error()
	for _, want := range []string{"census_bad.csv:1:", "upn", "unexpected columns: pupil_ref"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if got := e.one(`SELECT status || ' ' || rows_read FROM meta.loads`); got != "rejected 0" {
		t.Errorf("meta.loads = %s", got)
	}
	if got := e.one(`SELECT rule FROM meta.rejects`); got != "file" {
		t.Errorf("rejects rule = %s", got)
	}
}

func TestUnknownAndForcedReturn(t *testing.T) {
	e := newEnv(t)
	p := e.write("mystery.csv", []byte("colour,size\nred,3\n"))
	if res := e.load(p, ""); res.Status != StatusRejected || !errors.Is(res.Err, spec.ErrUnknownReturn) {
		t.Errorf("unknown file: %s %v", res.Status, res.Err)
	}
	// The dsg header forced as dsg loads even without the prefix.
	p = e.write("blocks.csv", []byte("financial_year,block,allocation,expenditure,cumulative_balance\n2024-25,High Needs Block,\"£50,000,000\",\"£55,000,000\",\"(£20,000,000)\"\n"))
	wantCounts(t, e.load(p, "dsg"), 1, 1, 0)
	if got := e.one(`SELECT block || ' ' || cumulative_balance::BIGINT FROM raw.dsg`); got != "high needs -20000000" {
		t.Errorf("dsg = %s", got)
	}
	if res := e.load(e.write("x.csv", []byte("a\n1\n")), "nonsense"); res.Status != StatusRejected {
		t.Errorf("forced unknown type: %s", res.Status)
	}
}

func TestSameFileTwiceIsANoOp(t *testing.T) {
	e := newEnv(t)
	p := e.write("schools_a.csv", []byte(schoolsCSV))
	wantCounts(t, e.load(p, ""), 2, 2, 0)
	again := e.load(p, "")
	if again.Status != StatusDuplicate || !strings.Contains(again.Message, "already loaded") {
		t.Errorf("second load: %s %q", again.Status, again.Message)
	}
	if got := e.one(`SELECT count(*) FROM raw.schools`); got != "2" {
		t.Errorf("raw.schools = %s rows after loading twice", got)
	}
}

func TestResubmissionSupersedes(t *testing.T) {
	e := newEnv(t)
	head := "urn,financial_year,return_period,total_income,total_expenditure,cumulative_balance\n"
	first := head + "100001,2025-26,Q2,1000000,1100000,-50000\n100002,2025-26,Q2,2000000,1900000,20000\n"
	fix := head + "100001,2025-26,Q2,1000000,1050000,-10000\n"
	e.load(e.write("budgets_2025-26_Q2.csv", []byte(first)), "")
	e.load(e.write("budgets_2025-26_Q2_resubmission.csv", []byte(fix)), "")
	if got := e.query(`SELECT urn, cumulative_balance FROM core.budgets ORDER BY urn`); strings.Join(got, ";") != "100001|-10000;100002|20000" {
		t.Errorf("core.budgets = %v, want the resubmitted balance for 100001", got)
	}
	if got := e.one(`SELECT count(*) FROM raw.budgets WHERE urn = 100001`); got != "2" {
		t.Errorf("history rows for 100001 = %s, want 2", got)
	}
}

func TestUnknownColumnsKeptAndUnknownURNWarned(t *testing.T) {
	e := newEnv(t)
	e.load(e.write("schools_2024-25.csv", []byte(schoolsCSV)), "")
	csv := "Census-Date,URN ,UPN,NC Year,Sex,Ethnicity,FSM Eligible,SEN Provision,Tutor group\n" +
		"2025-01-16,999999,A12345678901B,Y7,Female,BCRB,Y,K,7B\n"
	res := e.load(e.write("census_odd.csv", []byte(csv)), "")
	wantCounts(t, res, 1, 1, 0)
	if got := e.one(`SELECT ncy || ' ' || gender || ' ' || _extra FROM raw.census`); got != `7 F {"Tutor group":"7B"}` {
		t.Errorf("row = %s", got)
	}
	got := e.query(`SELECT rule FROM meta.warnings ORDER BY rule`)
	if strings.Join(got, ",") != "unknown_column,unknown_urn" {
		t.Errorf("warnings = %v", got)
	}
}

// xlsxFile writes a workbook in the shape of a real return: a notes sheet
// first, then a data sheet with a merged title and notes above the header, a
// hidden column, serial and text dates, a formula, a totals row and blank
// trailing rows.
func xlsxFile(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Notes")
	f.SetCellValue("Notes", "A1", "Read me: budgets return, Q2")
	f.NewSheet("Budget")
	s := "Budget"
	f.SetCellValue(s, "A1", "Hackney maintained schools: budget monitoring")
	f.MergeCell(s, "A1", "F1")
	f.SetCellValue(s, "A2", "Figures in pounds. Negative balance = deficit.")
	header := []any{"URN", "Financial Year", "Return Period", "Total Income", "Total Expenditure", "Cumulative Balance", "Date signed"}
	f.SetSheetRow(s, "A4", &header)
	f.SetSheetRow(s, "A5", &[]any{100001, "2025-26", "Q2", 1000000.5, 900000, -25000, 45673})
	f.SetSheetRow(s, "A6", &[]any{100002, "2025-26", "Q2", 2000000, 1950000, 5000, "16/01/2025"})
	f.SetSheetRow(s, "A7", &[]any{100003, "2025-26", "Q2", 1500000, 1400000, nil, nil})
	f.SetCellFormula(s, "F7", "F5+F6")
	f.SetCellValue(s, "F7", -20000) // cached value of the formula
	f.SetCellFormula(s, "F7", "F5+F6")
	f.SetSheetRow(s, "A8", &[]any{"Total", nil, nil, 4500000.5, 4250000, -20000})
	f.SetColVisible(s, "G", false)
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(s, "G5", "G5", dateStyle)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestXLSXQuirks(t *testing.T) {
	e := newEnv(t)
	p := filepath.Join(e.dir, "budgets_2025-26_Q2.xlsx")
	xlsxFile(t, p)
	res := e.load(p, "")
	wantCounts(t, res, 3, 3, 0)
	if res.Sheet != "Budget" || res.HeaderRow != 4 || res.Skipped < 1 {
		t.Errorf("sheet %q header row %d skipped %d", res.Sheet, res.HeaderRow, res.Skipped)
	}
	got := e.query(`SELECT _source_sheet, _source_row, urn, total_income::DECIMAL(18,2)::VARCHAR, cumulative_balance::BIGINT FROM raw.budgets ORDER BY urn`)
	want := []string{"Budget|5|100001|1000000.50|-25000", "Budget|6|100002|2000000.00|5000", "Budget|7|100003|1500000.00|-20000"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := e.one(`SELECT row_number || ' ' || rule FROM meta.warnings WHERE rule = 'total_row'`); got != "8 total_row" {
		t.Errorf("total row warning = %s", got)
	}
	if got := e.one(`SELECT count(*) FROM meta.warnings WHERE rule = 'unknown_column' AND column_name = 'Date signed'`); got != "1" {
		t.Errorf("hidden extra column not reported: %s", got)
	}
}

func TestNoClearUPNInWarehouseFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	s, err := warehouse.Begin(ctx, path, "test")
	if err != nil {
		t.Fatal(err)
	}
	specs, _ := spec.Load(pipelines.FS)
	l := New(s.DB, s.RunID, Options{Specs: specs, Key: []byte("k")})
	upns := []string{"K98765432101Z", "K98765432102Z", "K98765432103Z"}
	csv := "census_date,urn,upn,ncy,gender,ethnicity,fsm,sen_provision\n" +
		"16/01/2025,100001," + upns[0] + ",R,F,WBRI,N,N\n" +
		"16/01/2025,100001," + upns[1] + ",R,F,WBRI,N,Q\n" + // rejected row: its UPN must not leak either
		"16/01/2025,100001," + strings.ToLower(upns[2]) + ",R,F,WBRI,N,N\n"
	p := filepath.Join(dir, "census.csv")
	os.WriteFile(p, []byte(csv), 0o600)
	if _, err := l.Load(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx, "ok", ""); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range upns {
		for _, form := range []string{u, strings.ToLower(u), u[1:12]} {
			if bytes.Contains(b, []byte(form)) {
				t.Errorf("warehouse file contains %q", form)
			}
		}
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("warehouse mode %v, want 0600", st.Mode().Perm())
	}
}

func TestBenchmarkFilesAreDispatched(t *testing.T) {
	e := newEnv(t)
	files, err := benchmark.WriteSynthetic(e.dir, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		res := e.load(f, "")
		if res.Status != StatusLoaded || !benchmark.IsType(res.Return) || res.Read != res.Accepted+res.Rejected || res.Accepted == 0 {
			t.Errorf("%s: %s %s read %d accepted %d rejected %d (%v)", filepath.Base(f), res.Status, res.Return, res.Read, res.Accepted, res.Rejected, res.Err)
		}
	}
	// A benchmark file forced as another benchmark type is rejected whole,
	// saying what it is.
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "ees_") {
			res := e.load(e.write("copy_"+filepath.Base(f), append(mustRead(t, f), "\n"...)), "lait") // other bytes: not a duplicate
			if res.Status != StatusRejected || !errors.Is(res.Err, benchmark.ErrNotBenchmark) {
				t.Errorf("ees forced as lait: %s %v", res.Status, res.Err)
			}
		}
	}
	if got := e.one(`SELECT count(*) > 0 FROM benchmark.values`); got != "true" {
		t.Errorf("no benchmark values loaded")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestXLSXDatesAndTrailingRows: a school register workbook whose Ofsted
// dates are an Excel serial in a date-formatted cell, a date typed as text
// and an ISO text date, with styled empty rows below the data.
func TestXLSXDatesAndTrailingRows(t *testing.T) {
	e := newEnv(t)
	p := filepath.Join(e.dir, "schools_2024-25.xlsx")
	f := excelize.NewFile()
	s := "Sheet1"
	f.SetSheetRow(s, "A1", &[]any{"Academic Year", "URN", "School Name", "Phase", "Type", "Maintained", "Neighbourhood", "Net Capacity", "Ofsted Grade", "Ofsted Date"})
	f.SetSheetRow(s, "A2", &[]any{"2024/25", 100001, "Brook", "Primary", "Community", "Y", "Hoxton", 420, 2, 45673})
	f.SetSheetRow(s, "A3", &[]any{"2024/25", 100002, "Mossbourne", "Secondary", "Academy", "N", "Central", 1200, 1, "16/01/2025"})
	f.SetSheetRow(s, "A4", &[]any{"2024/25", 100003, "Clapton", "Secondary", "Community", "Y", "Clapton", 900, nil, "2019-05-01"})
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(s, "J2", "J2", dateStyle)
	textStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	f.SetCellStyle(s, "J3", "J3", textStyle)
	fill, _ := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{"FFFF00"}, Pattern: 1}})
	f.SetCellStyle(s, "A5", "J9", fill) // styled but empty trailing rows
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	f.Close()
	wantCounts(t, e.load(p, ""), 3, 3, 0)
	got := e.query(`SELECT urn, strftime(ofsted_date, '%Y-%m-%d'), phase, type, coalesce(ofsted_grade::VARCHAR, '-') FROM raw.schools ORDER BY urn`)
	want := []string{"100001|2025-01-16|primary|community|2", "100002|2025-01-16|secondary|academy|1", "100003|2019-05-01|secondary|community|-"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTermlyExclusionsAccumulate: a school's spring file adds to its autumn
// file; resending an event replaces it.
func TestTermlyExclusionsAccumulate(t *testing.T) {
	e := newEnv(t)
	head := "urn,upn,exclusion_type,start_date,sessions,reason\n"
	e.load(e.write("exclusions_autumn.csv", []byte(head+
		"100001,A12345678901B,SUSP,2024-10-01,2,PP\n100001,A12345678901C,SUSP,2024-11-05,1,DB\n")), "")
	e.load(e.write("exclusions_spring.csv", []byte(head+
		"100001,A12345678901D,SUSP,2025-02-03,3,VA\n100001,A12345678901C,SUSP,2024-11-05,4,DB\n")), "")
	got := e.query(`SELECT start_date::VARCHAR, sessions::BIGINT, _source_file FROM core.exclusions ORDER BY start_date`)
	want := []string{
		"2024-10-01|2|exclusions_autumn.csv",
		"2024-11-05|4|exclusions_spring.csv", // resent with a corrected length
		"2025-02-03|3|exclusions_spring.csv",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("core.exclusions:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
