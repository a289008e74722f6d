package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planmetrics/internal/pseudonym"
)

// TestNoClearUPNOrNameOutsideTheUPNColumn: pupil numbers under another
// header (a former UPN, a second UPN column, an unlabelled reference) are
// pseudonymised in _extra, name columns are not loaded at all, and a UPN
// shifted into another column is masked in meta.rejects.
func TestNoClearUPNOrNameOutsideTheUPNColumn(t *testing.T) {
	e := newEnv(t)
	csv := "census_date,urn,upn,ncy,gender,ethnicity,fsm,sen_provision,Former UPN,Pupil ref,UPN,Forename,Legal Surname,Tutor group\n" +
		"16/01/2025,100001,A12345678901B,R,F,WBRI,N,N,C12345678901D,E12345678901F,G12345678901H,Ada,Lovelace,7B\n" +
		"16/01/2025,100001,A12345678902B,R,F,WBRI,N,N,T123,,,Bob,Smith,\n" +
		// A stray comma shifts the UPN into the ncy column: the row is
		// rejected, and the UPN must not show in meta.rejects.
		"16/01/2025,100001,,J12345678901K,R,F,WBRI,N,N\n"
	res := e.load(e.write("census_jan.csv", []byte(csv)), "")
	wantCounts(t, res, 3, 2, 1)

	ps := pseudonym.New([]byte("test-key"))
	got := e.one(`SELECT _extra FROM raw.census WHERE _source_row = 2`)
	for _, want := range []string{`"Former UPN":"` + ps.Of("C12345678901D") + `"`, `"Pupil ref":"` + ps.Of("E12345678901F") + `"`,
		`"UPN":"` + ps.Of("G12345678901H") + `"`, `"Tutor group":"7B"`} {
		if !strings.Contains(got, want) {
			t.Errorf("_extra %s lacks %s", got, want)
		}
	}
	if got := e.one(`SELECT _extra FROM raw.census WHERE _source_row = 3`); got != `{"Former UPN":"T**3"}` {
		t.Errorf("an invalid former UPN must be masked: _extra = %s", got)
	}
	all := strings.Join(append(append(e.query(`SELECT * FROM raw.census`), e.query(`SELECT * FROM meta.rejects`)...),
		e.query(`SELECT * FROM meta.warnings`)...), "\n")
	for _, clear := range []string{"12345678901", "T123", "Ada", "Lovelace", "Bob", "Smith"} {
		if strings.Contains(all, clear) {
			t.Errorf("%q reached the warehouse:\n%s", clear, all)
		}
	}
	warned := strings.Join(e.query(`SELECT column_name || ' ' || rule FROM meta.warnings ORDER BY column_name`), "; ")
	for _, want := range []string{"Forename name_column", "Legal Surname name_column", "Former UPN upn_column", "Pupil ref upn_column"} {
		if !strings.Contains(warned, want) {
			t.Errorf("warnings %q lack %q", warned, want)
		}
	}
}

// TestValuesOutsideTheHeader: a CSV row with more values than the header
// (an unquoted 1,234) is rejected, not loaded shifted; values under a blank
// header cell are kept in _extra and reported, never dropped.
func TestValuesOutsideTheHeader(t *testing.T) {
	e := newEnv(t)
	head := "urn,financial_year,return_period,total_income,total_expenditure,cumulative_balance"
	csv := head + "\n" +
		"100001,2025-26,Q1,1,234,500,-5\n" + // shifted: 1,234 was not quoted
		"100002,2025-26,Q1,1000,900,100\n"
	res := e.load(e.write("budgets_2025-26_Q1.csv", []byte(csv)), "")
	wantCounts(t, res, 2, 1, 1)
	if got := e.one(`SELECT row_number || '|' || column_name || '|' || value || '|' || rule FROM meta.rejects`); got != "2|column 7|-5|extra_values" {
		t.Errorf("reject = %s", got)
	}

	csv = head + ",,note\n" +
		"100002,2025-26,Q2,1000,900,100,kept,hello\n" +
		"100003,2025-26,Q2,1000,900,100,,,stray\n" // a value beyond the header
	res = e.load(e.write("budgets_2025-26_Q2.csv", []byte(csv)), "")
	wantCounts(t, res, 2, 1, 1)
	if got := e.one(`SELECT urn || ' ' || _extra FROM raw.budgets WHERE _load_id = ?`, res.LoadID); got != `100002 {"column 7":"kept","note":"hello"}` {
		t.Errorf("raw.budgets = %s", got)
	}
	if got := e.one(`SELECT row_number || '|' || column_name || '|' || value || '|' || rule FROM meta.rejects WHERE load_id = ?`, res.LoadID); got != "3|column 9|stray|extra_values" {
		t.Errorf("reject = %s", got)
	}
	if got := e.one(`SELECT column_name || ' ' || rule FROM meta.warnings WHERE rule = 'unnamed_column'`); got != "column 7 unnamed_column" {
		t.Errorf("warning = %s", got)
	}
}

// TestXLSXValuesBesideTheTableAreKept: in a workbook, values right of the
// header cannot come from a shift: they are kept in _extra and reported.
func TestXLSXValuesBesideTheTableAreKept(t *testing.T) {
	e := newEnv(t)
	p := filepath.Join(e.dir, "dsg_2024-25.xlsx")
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"financial_year", "block", "allocation", "expenditure", "cumulative_balance"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"2024-25", "schools", 100, 90, 10, nil, "checked by JB"})
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	f.Close()
	wantCounts(t, e.load(p, ""), 1, 1, 0)
	if got := e.one(`SELECT _extra FROM raw.dsg`); got != `{"column G":"checked by JB"}` {
		t.Errorf("_extra = %s", got)
	}
}

func censusWorkbook(t *testing.T, path string, sheets map[string][][]any, date1904 bool) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for _, name := range []string{"Primary", "Secondary", "Notes"} {
		rows, ok := sheets[name]
		if !ok {
			continue
		}
		if first {
			f.SetSheetName("Sheet1", name)
			first = false
		} else {
			f.NewSheet(name)
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow(name, cell, &r)
		}
	}
	if date1904 {
		f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904})
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

var censusHeader = []any{"census_date", "urn", "upn", "ncy", "gender", "ethnicity", "fsm", "sen_provision"}

// TestSecondDataSheetRejectsTheFile: two sheets of one workbook holding
// rows of a return are refused whole (loading one would lose the other's
// rows); a second sheet with the header alone is only warned about.
func TestSecondDataSheetRejectsTheFile(t *testing.T) {
	e := newEnv(t)
	p := filepath.Join(e.dir, "census_2025.xlsx")
	censusWorkbook(t, p, map[string][][]any{
		"Primary":   {censusHeader, {45673, 100001, "A12345678901B", "R", "F", "WBRI", "N", "N"}},
		"Secondary": {censusHeader, {45673, 100002, "A12345678902B", 7, "M", "WBRI", "N", "N"}},
	}, false)
	res := e.load(p, "")
	if res.Status != StatusRejected || res.Err == nil || !strings.Contains(res.Err.Error(), `"Secondary"`) {
		t.Fatalf("status %s err %v, want rejected naming the other sheet", res.Status, res.Err)
	}
	if got := e.one(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = 'census'`); got != "0" {
		t.Errorf("rows were loaded from a rejected workbook")
	}

	p = filepath.Join(e.dir, "census_2025_b.xlsx")
	censusWorkbook(t, p, map[string][][]any{
		"Primary": {censusHeader, {45673, 100001, "A12345678901B", "R", "F", "WBRI", "N", "N"}},
		"Notes":   {censusHeader},
	}, false)
	wantCounts(t, e.load(p, ""), 1, 1, 0)
	if got := e.one(`SELECT rule FROM meta.warnings WHERE rule = 'other_sheet'`); got != "other_sheet" {
		t.Errorf("warning = %s", got)
	}
}

// TestDate1904Workbook: a workbook in Excel's 1904 date system (old Mac
// Excel) stores 16/01/2025 as serial 44211; read as a 1900 serial that is
// 15/01/2021.
func TestDate1904Workbook(t *testing.T) {
	e := newEnv(t)
	p := filepath.Join(e.dir, "census_mac.xlsx")
	censusWorkbook(t, p, map[string][][]any{
		"Primary": {censusHeader,
			{44211, 100001, "A12345678901B", "R", "F", "WBRI", "N", "N"},
			{"16/01/2025", 100001, "A12345678902B", "R", "F", "WBRI", "N", "N"}},
	}, true)
	wantCounts(t, e.load(p, ""), 2, 2, 0)
	if got := e.query(`SELECT DISTINCT strftime(census_date, '%Y-%m-%d') FROM raw.census`); strings.Join(got, ",") != "2025-01-16" {
		t.Errorf("census_date = %v, want 2025-01-16", got)
	}
}

// TestFileChangedWhileReadIsNotLoaded: a file that changes between the
// start and the end of its load (still being written into the inbox) is
// refused, not half-loaded.
func TestFileChangedWhileReadIsNotLoaded(t *testing.T) {
	e := newEnv(t)
	p := e.write("schools_x.csv", []byte(schoolsCSV))
	before, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := unchanged(p, before); err != nil {
		t.Fatalf("untouched file: %v", err)
	}
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("2024/25,100003,Late,primary,community,Y,Hoxton,210\n")
	f.Close()
	os.Chtimes(p, time.Now(), before.ModTime().Add(time.Second))
	var fe *FileError
	if err := unchanged(p, before); !errors.As(err, &fe) || !strings.Contains(err.Error(), "still being written") {
		t.Errorf("changed file: %v, want a FileError saying it is still being written", err)
	}
}

// TestReadErrorsNameThePositionOnce: an unreadable CSV is reported as
// file:row: problem, with the file named once, and an empty file says so.
func TestReadErrorsNameThePositionOnce(t *testing.T) {
	e := newEnv(t)
	p := e.write("census_stray.csv", []byte("census_date,urn,upn,ncy,gender,ethnicity,fsm,sen_provision\n"+
		"16/01/2025,100001,A12345678901B,R,F,\"WBRI,N,N\n"))
	res := e.load(p, "")
	if res.Status != StatusRejected || !errors.Is(res.Err, ErrUnreadable) {
		t.Fatalf("status %s err %v", res.Status, res.Err)
	}
	if msg := res.Err.Error(); !strings.HasPrefix(msg, p+":2:field 6: ") || strings.Count(msg, "census_stray.csv") != 1 {
		t.Errorf("message %q: want %s:2:field 6: and the file named once", msg, p)
	}
	res = e.load(e.write("census_empty.csv", nil), "")
	if res.Status != StatusRejected || !strings.Contains(res.Err.Error(), "empty") {
		t.Errorf("empty file: %s %v", res.Status, res.Err)
	}
}

// TestExclusionsYearGroupsAsCensus: a year group written "07" is year 7 in
// an exclusions return, as in the census (MIS exports pad it).
func TestExclusionsYearGroupsAsCensus(t *testing.T) {
	e := newEnv(t)
	csv := "urn,upn,exclusion_type,start_date,sessions,reason,ncy\n" +
		"100001,A12345678901B,SUSP,16/01/2025,2,PP,07\n"
	wantCounts(t, e.load(e.write("exclusions_2024-25.csv", []byte(csv)), ""), 1, 1, 0)
	if got := e.one(`SELECT ncy FROM raw.exclusions`); got != "7" {
		t.Errorf("ncy = %s, want 7", got)
	}
}
