package tabular

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// buildWorkbook writes a messy return the way people send them: a notes
// sheet first, then the data sheet with a merged title, notes, a blank row,
// the header on row 4, a hidden column, a date cell, a date typed as text,
// a formula, a blank row between data rows, a Total row and styled empty
// rows at the end; and a hidden lookup sheet.
func buildWorkbook(t testing.TB) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(x.SetSheetName("Sheet1", "Notes"))
	must(x.SetCellValue("Notes", "A1", "How to fill in this return"))
	must(x.SetCellValue("Notes", "A3", "One row per pupil."))
	_, err := x.NewSheet("Data")
	must(err)
	_, err = x.NewSheet("Lookup")
	must(err)
	must(x.SetCellValue("Lookup", "A1", "code"))
	must(x.SetSheetVisible("Lookup", false))

	const s = "Data"
	must(x.SetCellValue(s, "A1", "Hackney census return"))
	must(x.MergeCell(s, "A1", "F1"))
	must(x.SetCellValue(s, "A2", "Submitted by: School A"))
	must(x.SetSheetRow(s, "A4", &[]any{"urn", "upn", "census_date", "text_date", "amount", "total"}))
	dateStyle, err := x.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yyyy in en-US display
	must(err)
	textStyle, err := x.NewStyle(&excelize.Style{NumFmt: 49}) // @ (text)
	must(err)
	for r, row := range [][]any{
		{100001, "A12345678901", time.Date(2025, 1, 16, 0, 0, 0, 0, time.UTC), "16/01/2025", 1234.5},
		{100002, "0123", time.Date(2024, 10, 3, 0, 0, 0, 0, time.UTC), "03/10/2024", -7},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, 5+r)
		must(x.SetSheetRow(s, cell, &row))
	}
	// Row 7 is left blank; row 8 has data again.
	must(x.SetSheetRow(s, "A8", &[]any{100003, "C12345678901"}))
	must(x.SetCellStyle(s, "C5", "C6", dateStyle))
	must(x.SetCellStyle(s, "D5", "D6", textStyle))
	must(x.SetCellFormula(s, "F5", "SUM(E5:E6)"))
	must(x.SetCellValue(s, "A9", "Total"))
	must(x.SetCellFormula(s, "E9", "SUM(E5:E8)"))
	must(x.SetColVisible(s, "B", false))
	must(x.SetRowStyle(s, 10, 12, dateStyle)) // styled but empty rows
	x.SetActiveSheet(1)
	buf, err := x.WriteToBuffer()
	must(err)
	return buf.Bytes()
}

// withCachedValues sets the cached result of formula cells in one sheet
// part, as Excel does when it saves; excelize writes formulas without one.
func withCachedValues(t testing.TB, xlsx []byte, part string, values map[string]string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == part {
			for cell, v := range values {
				re := regexp.MustCompile(`<c r="` + cell + `"[^>]*><f>([^<]*)</f></c>`)
				if !re.Match(data) {
					t.Fatalf("no formula cell %s in %s", cell, part)
				}
				data = re.ReplaceAll(data, []byte(`<c r="`+cell+`"><f>$1</f><v>`+v+`</v></c>`))
			}
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func openXLSXBytes(t testing.TB, data []byte) File {
	t.Helper()
	f, err := NewXLSX(bytes.NewReader(data), int64(len(data)), "test.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func sheetRows(t testing.TB, f File, sheet string) []Row {
	t.Helper()
	var out []Row
	for row, err := range f.Rows(context.Background(), sheet) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, row)
	}
	return out
}

func TestXLSX(t *testing.T) {
	// Data is the second sheet, so its part is sheet2.xml.
	data := withCachedValues(t, buildWorkbook(t), "xl/worksheets/sheet2.xml", map[string]string{"F5": "1227.5", "E9": "1227.5"})
	f := openXLSXBytes(t, data)

	wantSheets := []Sheet{{Name: "Notes"}, {Name: "Data"}, {Name: "Lookup", Hidden: true}}
	if diff := cmp.Diff(wantSheets, f.Sheets()); diff != "" || f.Format() != "xlsx" {
		t.Errorf("Sheets (-want +got):\n%s, format %q", diff, f.Format())
	}
	want := rows(
		1, cells{"Hackney census return"}, // merged A1:F1: the value is in A1 only
		2, cells{"Submitted by: School A"},
		4, cells{"urn", "upn", "census_date", "text_date", "amount", "total"},
		// Dates as Excel serials, the text date as typed, the hidden column
		// B read, the formula's cached value.
		5, cells{"100001", "A12345678901", "45673", "16/01/2025", "1234.5", "1227.5"},
		6, cells{"100002", "0123", "45568", "03/10/2024", "-7"},
		8, cells{"100003", "C12345678901"}, // after the blank row 7
		9, cells{"Total", "", "", "", "1227.5"},
	)
	if diff := cmp.Diff(want, sheetRows(t, f, "Data")); diff != "" {
		t.Errorf("Data rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(rows(1, cells{"How to fill in this return"}, 3, cells{"One row per pupil."}), sheetRows(t, f, "Notes")); diff != "" {
		t.Errorf("Notes rows (-want +got):\n%s", diff)
	}
	// Sheet names match case-insensitively, as in Excel; re-reading works.
	if diff := cmp.Diff(want, sheetRows(t, f, "DATA")); diff != "" {
		t.Errorf("re-read as DATA (-want +got):\n%s", diff)
	}
	if got := sheetRows(t, f, "Lookup"); len(got) != 1 || got[0].Cells[0] != "code" {
		t.Errorf("hidden sheet rows = %v", got)
	}
}

// TestXLSXFormulaWithoutCachedValue documents what happens with a formula
// written by a library that does not calculate (excelize itself): there is
// no cached value, so the cell reads as empty.
func TestXLSXFormulaWithoutCachedValue(t *testing.T) {
	f := openXLSXBytes(t, buildWorkbook(t))
	got := sheetRows(t, f, "Data")
	i := slices.IndexFunc(got, func(r Row) bool { return r.Line == 5 })
	if i < 0 || len(got[i].Cells) != 5 {
		t.Fatalf("row 5 = %v, want 5 cells (the formula in F5 reads as empty)", got)
	}
	j := slices.IndexFunc(got, func(r Row) bool { return r.Line == 9 })
	if j < 0 || !cmp.Equal(got[j].Cells, []string{"Total"}) {
		t.Errorf("row 9 = %v, want only Total", got[j])
	}
}

func TestXLSXErrors(t *testing.T) {
	f := openXLSXBytes(t, buildWorkbook(t))
	for _, err := range f.Rows(context.Background(), "Nope") {
		var e *Error
		if !errors.Is(err, ErrNoSheet) || !errors.As(err, &e) || e.Sheet != "Nope" || !strings.Contains(err.Error(), `"Data"`) {
			t.Errorf("Rows(Nope) error %v, want an *Error wrapping ErrNoSheet listing the sheets", err)
		}
	}

	for name, data := range map[string][]byte{
		"not a zip":   []byte("urn,name\n1,a\n"),
		"empty":       nil,
		"truncated":   buildWorkbook(t)[:500],
		"zip no book": zipOf(t, map[string]string{"hello.txt": "hi"}),
		"old xls":     append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 512)...),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewXLSX(bytes.NewReader(data), int64(len(data)), "bad.xlsx")
			var e *Error
			if !errors.Is(err, ErrCorrupt) || !errors.As(err, &e) || e.File != "bad.xlsx" {
				t.Errorf("error %v, want an *Error for bad.xlsx wrapping ErrCorrupt", err)
			}
		})
	}

	f2 := openXLSXBytes(t, buildWorkbook(t))
	f2.Close()
	for _, err := range f2.Rows(context.Background(), "Data") {
		if err == nil {
			t.Error("Rows after Close gave no error")
		}
	}
}

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSXCancel(t *testing.T) {
	x := excelize.NewFile()
	for r := 1; r <= 2000; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := x.SetCellValue("Sheet1", cell, r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	f := openXLSXBytes(t, buf.Bytes())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	var gotErr error
	for row, err := range f.Rows(ctx, "Sheet1") {
		if err != nil {
			gotErr = err
			break
		}
		if row.Line != n+1 {
			t.Fatalf("row %d at line %d", n+1, row.Line)
		}
		if n++; n == 10 {
			cancel()
		}
	}
	if !errors.Is(gotErr, context.Canceled) || n >= 2000 {
		t.Errorf("after cancel: %d rows, error %v", n, gotErr)
	}
}

// TestRealXLSX reads every sheet of the real DfE workbooks; two of the
// high-needs files reference a drawing part that is missing.
func TestRealXLSX(t *testing.T) {
	dir := realData(t, "high-needs-finance")
	paths, err := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no workbooks in %s: %v", dir, err)
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			f, err := Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if len(f.Sheets()) == 0 {
				t.Fatal("no sheets")
			}
			for _, s := range f.Sheets() {
				if got := sheetRows(t, f, s.Name); len(got) < 100 {
					t.Errorf("sheet %q: %d rows, want over 100 (one per LA)", s.Name, len(got))
				}
			}
		})
	}
}

// TestRealStatisticalNeighbours reads sn_may_2025.xlsx: two junk rows above
// the header, repeated column names.
func TestRealStatisticalNeighbours(t *testing.T) {
	p := filepath.Join(realData(t, "lait"), "sn_may_2025.xlsx")
	f, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.Sheets()
	if len(sheets) != 1 {
		t.Fatalf("sheets = %v, want one", sheets)
	}
	got := sheetRows(t, f, sheets[0].Name)
	header := slices.IndexFunc(got, func(r Row) bool { return len(r.Cells) > 0 && r.Cells[0] == "LA num" })
	if header < 0 || got[header].Line != 3 {
		t.Fatalf("no header row starting \"LA num\" on line 3 in %d rows", len(got))
	}
	if n := slices.Index(got[header].Cells, "SNP"); n < 0 || slices.Index(got[header].Cells[n+1:], "SNP") < 0 {
		t.Errorf("header %q: want the repeated SNP columns", got[header].Cells)
	}
	hackney := slices.IndexFunc(got, func(r Row) bool { return len(r.Cells) > 1 && r.Cells[0] == "204" })
	if hackney < 0 || got[hackney].Cells[1] != "Hackney" || len(got)-header-1 < 150 {
		t.Errorf("Hackney (204) row missing or %d LA rows", len(got)-header-1)
	}
}

func FuzzXLSX(f *testing.F) {
	f.Add(buildWorkbook(f))
	small := excelize.NewFile()
	small.SetCellValue("Sheet1", "B3", "x")
	small.SetCellValue("Sheet1", "A1", 1.5)
	if buf, err := small.WriteToBuffer(); err == nil {
		f.Add(buf.Bytes())
	}
	f.Add(zipOf(f, map[string]string{"xl/workbook.xml": "<workbook/>"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := NewXLSX(bytes.NewReader(data), int64(len(data)), "fuzz.xlsx")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		defer x.Close()
		for _, s := range x.Sheets() {
			prev := 0
			for row, err := range x.Rows(context.Background(), s.Name) {
				if err != nil {
					break
				}
				if row.Line <= prev || len(row.Cells) == 0 {
					t.Fatalf("sheet %q: row at line %d after %d with %d cells", s.Name, row.Line, prev, len(row.Cells))
				}
				prev = row.Line
			}
		}
	})
}

func BenchmarkXLSX(b *testing.B) {
	x := excelize.NewFile()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	const n = 50_000
	for r := 1; r <= n; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, []any{100000 + r, "A123456789012", 45673, "F", "WBRI", true, 1234.5}); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "big.xlsx")
	if err := x.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(path)
	b.SetBytes(fi.Size())
	for b.Loop() {
		f, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if got := len(sheetRows(b, f, "Sheet1")); got != n {
			b.Fatalf("%d rows", got)
		}
		f.Close()
	}
	b.ReportMetric(n*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// TestXLSXDate1904 reports the date system: the same day is a different
// serial in a 1904 workbook, and the caller must know to shift it.
func TestXLSXDate1904(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		t.Run(fmt.Sprint(date1904), func(t *testing.T) {
			x := excelize.NewFile()
			if err := x.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
				t.Fatal(err)
			}
			x.SetCellValue("Sheet1", "A1", 44211)
			path := filepath.Join(t.TempDir(), "mac.xlsx")
			if err := x.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			x.Close()
			f, err := OpenXLSX(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Date1904() != date1904 {
				t.Errorf("Date1904() = %v, want %v", f.Date1904(), date1904)
			}
		})
	}
	f, err := NewCSV(strings.NewReader("a\n"), 2, "x.csv", CSVOptions{})
	if err != nil || f.Date1904() {
		t.Errorf("CSV Date1904: %v %v", f.Date1904(), err)
	}
}
