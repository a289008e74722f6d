package export

import (
	"archive/zip"
	"context"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

const injection = `=HYPERLINK("http://x","y")`

// openXLSX re-opens a written workbook with excelize.
func openXLSX(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("re-open %s: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// sheetRows reads a sheet's raw cell values.
func sheetRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("read sheet %s: %v", sheet, err)
	}
	return rows
}

// found is a table row found by [lookup].
type found struct {
	t      *testing.T
	row    int // 1-based sheet row
	header []string
	values []string
}

// get returns the row's cell under the column named name.
func (r found) get(name string) string {
	r.t.Helper()
	i := r.col(name) - 1
	if i >= len(r.values) {
		return ""
	}
	return r.values[i]
}

// col returns the 1-based column named name.
func (r found) col(name string) int {
	r.t.Helper()
	i := slices.Index(r.header, name)
	if i < 0 {
		r.t.Fatalf("no column %q in %v", name, r.header)
	}
	return i + 1
}

// lookup finds, in the first table after a line starting with afterHeading
// (or the first table on the sheet), the row whose column header holds key.
func lookup(t *testing.T, rows [][]string, afterHeading, header, key string) found {
	t.Helper()
	start := 0
	if afterHeading != "" {
		start = slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && strings.HasPrefix(r[0], afterHeading) })
		if start < 0 {
			t.Fatalf("no heading %q", afterHeading)
		}
	}
	for h := start; h < len(rows); h++ {
		col := slices.Index(rows[h], header)
		if col < 0 {
			continue
		}
		for r := h + 1; r < len(rows) && len(rows[r]) > 0; r++ {
			if col < len(rows[r]) && rows[r][col] == key {
				return found{t: t, row: r + 1, header: rows[h], values: rows[r]}
			}
		}
		break
	}
	t.Fatalf("no row with %s = %q", header, key)
	return found{}
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("cell %q is not a number: %v", s, err)
	}
	return f
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// zipParts lists the parts of an xlsx package.
func zipParts(t *testing.T, path string) map[string]string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	parts := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(b)
	}
	return parts
}

func TestWorkbooks(t *testing.T) {
	ctx := context.Background()
	db := openWarehouse(t)
	out := filepath.Join(t.TempDir(), "out")
	paths, err := Workbooks(ctx, db, out, Options{SuppressBelow: 5})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
		checkPrivate(t, p)
		f := openXLSX(t, p)
		for _, s := range f.GetSheetList() {
			if len(s) > 31 {
				t.Errorf("%s: sheet name %q longer than 31", p, s)
			}
			if m, _ := f.GetMergeCells(s); len(m) > 0 {
				t.Errorf("%s: sheet %s has merged cells %v", p, s, m)
			}
		}
	}
	if diff := cmp.Diff([]string{"priority-1.xlsx", "priority-2.xlsx", "priority-3.xlsx", "priority-4.xlsx", "priority-5.xlsx"}, names); diff != "" {
		t.Fatalf("workbooks (-want +got):\n%s", diff)
	}
	noTempFiles(t, out)

	path := filepath.Join(out, "priority-1.xlsx")
	f := openXLSX(t, path)

	t.Run("sheets", func(t *testing.T) {
		want := []string{"Summary", "Notes", "p1_ehc_requests", "p1_ehcp_20wk_pct", "p1_high_needs_balance",
			"p1_sen_support_pct", "p1_specialist_places", "Definitions", "About"}
		if diff := cmp.Diff(want, f.GetSheetList()); diff != "" {
			t.Errorf("sheets (-want +got):\n%s", diff)
		}
	})

	t.Run("tables", func(t *testing.T) {
		for sheet, want := range map[string]int{
			"Summary": 1, "Notes": 1, "Definitions": 1, "About": 2,
			// time series, phase, neighbourhood, school, ethnicity group, FSM
			"p1_sen_support_pct": 6,
			// time series (count and rate), gender
			"p1_ehc_requests": 2,
			// no data: no table
			"p1_specialist_places": 0,
		} {
			tables, err := f.GetTables(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(tables) != want {
				t.Errorf("%s: %d tables, want %d", sheet, len(tables), want)
			}
		}
	})

	t.Run("charts", func(t *testing.T) {
		parts := zipParts(t, path)
		var big, mini, compared int
		for name, body := range parts {
			if !regexp.MustCompile(`^xl/charts/chart\d+\.xml$`).MatchString(name) {
				continue
			}
			if !strings.Contains(body, "<lineChart>") {
				t.Errorf("%s is not a line chart", name)
			}
			// Summary trend charts have no title, and no automatic one.
			switch {
			case strings.Contains(body, `<autoTitleDeleted val="1">`):
				mini++
			case strings.Contains(body, "<title>") && strings.Contains(body, "SN average and England"):
				compared++
			case strings.Contains(body, "<title>"):
				big++
			default:
				t.Errorf("%s has neither a title nor autoTitleDeleted", name)
			}
		}
		// A chart on every metric sheet with a borough series (not the one
		// without data), a trend chart on the Summary for each of them
		// with two periods or more, and one comparison with published data.
		if big != 4 || mini != 4 || compared != 1 {
			t.Errorf("%d metric charts, %d Summary trend charts and %d comparison charts, want 4, 4 and 1", big, mini, compared)
		}
		for name, body := range parts {
			if strings.HasPrefix(name, "xl/drawings/drawing") && strings.Count(body, "<xdr:graphicFrame") != strings.Count(body, `descr="`) {
				t.Errorf("%s: a chart without alt text", name)
			}
		}
	})

	t.Run("values equal the warehouse", func(t *testing.T) {
		rows := sheetRows(t, f, "Summary")
		r := lookup(t, rows, "", "Metric id", "p1_ehcp_20wk_pct")
		want := queryFloat(t, db, `select value from indicators.metric_values where metric_id = 'p1_ehcp_20wk_pct'
			and period = '2024/25' and geography_level = 'borough' and phase = 'all' and breakdown = 'all'`)
		if got := parseFloat(t, r.get("Value")); !near(got, want) {
			t.Errorf("Summary value = %v, want %v", got, want)
		}
		if got := r.get("Latest period"); got != "2024/25" {
			t.Errorf("latest period = %q, want 2024/25", got)
		}
		if got := r.get("Status"); got != "On track" {
			t.Errorf("status = %q, want the words On track", got)
		}
		if got := r.get("Movement"); got != "▲ up, better" {
			t.Errorf("movement = %q", got)
		}
		// Down is better for requests, and they rose.
		r = lookup(t, rows, "", "Metric id", "p1_ehc_requests")
		if got := r.get("Movement"); got != "▲ up, worse" {
			t.Errorf("requests movement = %q", got)
		}
		r = lookup(t, rows, "", "Metric id", "p1_specialist_places")
		if got := r.get("Status"); got != "No data" {
			t.Errorf("metric without values: status %q, want No data", got)
		}

		ms := sheetRows(t, f, "p1_sen_support_pct")
		r = lookup(t, ms, "By school", "School", "Alpha Primary School")
		want = queryFloat(t, db, `select value from indicators.metric_values where geography_code = '100001'`)
		if got := parseFloat(t, r.get("Value (%)")); !near(got, want) {
			t.Errorf("school value = %v, want %v", got, want)
		}
		r = lookup(t, ms, "Time series", "Period", "2024-01-18")
		want = queryFloat(t, db, `select numerator from indicators.metric_values where metric_id = 'p1_sen_support_pct'
			and period = '2024-01-18' and geography_level = 'borough'`)
		if got := parseFloat(t, r.get("Numerator")); got != want {
			t.Errorf("time series numerator = %v, want %v", got, want)
		}
	})

	t.Run("suppressed cells show c", func(t *testing.T) {
		ms := sheetRows(t, f, "p1_sen_support_pct")
		for _, c := range []struct{ heading, header, key string }{
			{"By school", "School", injection},       // primary: 4 pupils
			{"By school", "School", "Gamma Academy"}, // secondary
			{"By phase", "Phase", "special"},         // primary: 3 pupils
			{"By phase", "Phase", "secondary"},       // secondary
			{"By ethnicity group", "Ethnicity group", "Gypsy/Roma"},
			{"By ethnicity group", "Ethnicity group", "Black Caribbean"},
		} {
			r := lookup(t, ms, c.heading, c.header, c.key)
			for _, col := range []string{"Value (%)", "Numerator", "Denominator"} {
				if got := r.get(col); got != "c" {
					t.Errorf("%s %s: %s = %q, want c", c.heading, c.key, col, got)
				}
			}
		}
		r := lookup(t, ms, "By school", "School", injection)
		if got := r.get("Change on previous period"); got != "c" {
			t.Errorf("suppressed school's change = %q, want c", got)
		}
		r = lookup(t, ms, "By phase", "Phase", "primary")
		if got := r.get("Value (%)"); got == "c" || got == "" {
			t.Errorf("primary phase value = %q, want a number", got)
		}
	})

	t.Run("formula injection is text", func(t *testing.T) {
		ms := sheetRows(t, f, "p1_sen_support_pct")
		r := lookup(t, ms, "By school", "School", injection)
		cell, _ := excelize.CoordinatesToCellName(r.col("School"), r.row)
		typ, err := f.GetCellType("p1_sen_support_pct", cell)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("%s type = %v, want a string", cell, typ)
		}
		formula, err := f.GetCellFormula("p1_sen_support_pct", cell)
		if err != nil {
			t.Fatal(err)
		}
		if formula != "" {
			t.Errorf("%s has formula %q, want none", cell, formula)
		}
		if v, _ := f.GetCellValue("p1_sen_support_pct", cell); v != injection {
			t.Errorf("%s = %q, want %q", cell, v, injection)
		}
	})

	t.Run("definitions, about and properties", func(t *testing.T) {
		r := lookup(t, sheetRows(t, f, "Definitions"), "", "Metric id", "p1_high_needs_balance")
		if got := r.get("Plan wording"); got != "Reduce the High Needs Block deficit year on year" {
			t.Errorf("plan wording = %q", got)
		}
		if got := r.get("Source returns"); got != "dsg" {
			t.Errorf("sources = %q", got)
		}
		about := sheetRows(t, f, "About")
		r = lookup(t, about, "", "Item", "Run id")
		if got := r.get("Detail"); got != "7" {
			t.Errorf("run id = %q, want 7 (the run that computed the values)", got)
		}
		r = lookup(t, about, "", "Item", "Suppression rule")
		if got := r.get("Detail"); !strings.Contains(got, "below 5") || !strings.HasPrefix(got, "Applied") {
			t.Errorf("suppression rule = %q", got)
		}
		r = lookup(t, about, "", "Return", "ehcp")
		if got := r.get("File"); got != "ehcp_2025.xlsx" {
			t.Errorf("ehcp load file = %q", got)
		}
		r = lookup(t, sheetRows(t, f, "Notes"), "", "Note number", "1")
		if got := r.get("Note"); !strings.HasPrefix(got, "c means") {
			t.Errorf("first note = %q", got)
		}
		props, err := f.GetDocProps()
		if err != nil {
			t.Fatal(err)
		}
		if props.Creator != Creator || !strings.HasPrefix(props.Title, "Priority 1: SEND and inclusion") || props.Language != "en-GB" {
			t.Errorf("doc props = %+v", props)
		}
		layout, err := f.GetPageLayout("p1_sen_support_pct")
		if err != nil {
			t.Fatal(err)
		}
		if layout.FitToWidth == nil || *layout.FitToWidth != 1 {
			t.Errorf("page layout fit to width = %v, want 1", layout.FitToWidth)
		}
	})
}

func TestWorkbookNoSuppress(t *testing.T) {
	db := openWarehouse(t)
	out := t.TempDir()
	paths, err := Workbooks(context.Background(), db, out, Options{Priorities: []int{1}, SuppressBelow: 5, NoSuppress: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 {
		t.Fatalf("paths = %v, want one workbook", paths)
	}
	f := openXLSX(t, paths[0])
	ms := sheetRows(t, f, "p1_sen_support_pct")
	r := lookup(t, ms, "By school", "School", injection)
	want := queryFloat(t, db, `select value from indicators.metric_values where geography_code = '100002'`)
	if got := parseFloat(t, r.get("Value (%)")); !near(got, want) {
		t.Errorf("unsuppressed small value = %v, want %v", got, want)
	}
	r = lookup(t, sheetRows(t, f, "About"), "", "Item", "Suppression rule")
	if got := r.get("Detail"); !strings.HasPrefix(got, "NOT APPLIED") {
		t.Errorf("About suppression rule = %q, want it to say NOT APPLIED", got)
	}
	if v, _ := f.GetCellValue("Summary", "A4"); !strings.HasPrefix(v, "INTERNAL USE ONLY") {
		t.Errorf("Summary A4 = %q, want the internal-use warning", v)
	}
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{"summary": true}
	for _, tt := range []struct{ id, want string }{
		{"p1_ehcp_pct", "p1_ehcp_pct"},
		{"Summary", "Summary~2"},
		{"p5_exclusion_disproportionality_extra_long", "p5_exclusion_disproportionality"},
		{"p5_exclusion_disproportionality_other", "p5_exclusion_disproportionali~2"},
		{"a/b:c?d*e[f]g", "a_b_c_d_e_f_g"},
	} {
		t.Run(tt.id, func(t *testing.T) {
			if got := sheetName(tt.id, used); got != tt.want {
				t.Errorf("sheetName(%q) = %q, want %q", tt.id, got, tt.want)
			}
		})
	}
}
