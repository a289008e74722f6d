package generate

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"planmetrics/seeds"
)

func TestValidate(t *testing.T) {
	ok := Options{Scale: ScaleHackney, Format: FormatCSV, Years: 5, OutDir: "out"}
	tests := []struct {
		name string
		edit func(*Options)
		want string // part of the error; "" = valid
	}{
		{"valid", func(*Options) {}, ""},
		{"mixed london", func(o *Options) { o.Scale, o.Format = ScaleLondon, FormatMixed }, ""},
		{"unknown scale", func(o *Options) { o.Scale = "wales" }, `scale "wales"`},
		{"unknown format", func(o *Options) { o.Format = "ods" }, `format "ods"`},
		{"england as xlsx", func(o *Options) { o.Scale, o.Format = ScaleEngland, FormatXLSX }, "use --format csv"},
		{"no years", func(o *Options) { o.Years = 0 }, "years 0"},
		{"too many years", func(o *Options) { o.Years = MaxYears + 1 }, "years 11"},
		{"no output", func(o *Options) { o.OutDir = "" }, "--out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.edit(&o)
			err := o.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestCensusDates(t *testing.T) {
	tests := []struct {
		name string
		got  time.Time
		want string
	}{
		{"spring 2024/25", springCensus(2024), "2025-01-16"},
		{"spring 2020/21", springCensus(2020), "2021-01-21"},
		{"autumn 2024/25", autumnCensus(2024), "2024-10-03"},
		{"summer 2024/25", summerCensus(2024), "2025-05-15"},
	}
	for _, tt := range tests {
		if got := tt.got.Format(isoDate); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestUPNs(t *testing.T) {
	seen := map[string]bool{}
	for _, district := range []int{0, 7} {
		for serial := range 5000 {
			u := upnFor(district, serial, 2019)
			if len(u) != 13 || u[0] < 'A' || u[0] > 'Z' || seen[u] {
				t.Fatalf("upnFor(%d, %d) = %q: want a new letter + 12 digits", district, serial, u)
			}
			seen[u] = true
		}
	}
	if u := upnFor(0, 1, 2019); u[1:4] != "204" {
		t.Errorf("Hackney UPN %s should carry LA 204", u)
	}
	// The DfE check letter catches any single mistyped digit.
	u := []byte(upnFor(0, 4321, 2020))
	for i := 1; i < 13; i++ {
		for d := byte('0'); d <= '9'; d++ {
			if d == u[i] {
				continue
			}
			typo := slices.Clone(u)
			typo[i] = d
			if upnCheckLetter(typo[1:]) == u[0] {
				t.Errorf("typo %s keeps the check letter of %s", typo, u)
			}
		}
	}
}

// TestSameSeedSameFiles: CSV output is byte for byte the same for a seed,
// and different for another.
func TestSameSeedSameFiles(t *testing.T) {
	o := Options{Scale: ScaleTiny, Seed: 5, Format: FormatCSV, Years: 5, Messy: true, Termly: true}
	gen := func(seed int64) string {
		o.Seed, o.OutDir = seed, t.TempDir()
		if _, err := Generate(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		return o.OutDir
	}
	a, b, c := gen(5), gen(5), gen(6)
	names, _ := filepath.Glob(filepath.Join(a, "*"))
	if len(names) < 20 {
		t.Fatalf("only %d files generated", len(names))
	}
	differ := 0
	for _, pa := range names {
		name := filepath.Base(pa)
		ba, _ := os.ReadFile(pa)
		bb, err := os.ReadFile(filepath.Join(b, name))
		if err != nil || !bytes.Equal(ba, bb) {
			t.Errorf("%s differs between two runs with seed 5 (%v)", name, err)
		}
		if bc, _ := os.ReadFile(filepath.Join(c, name)); !bytes.Equal(ba, bc) {
			differ++
		}
	}
	if differ < len(names)/2 {
		t.Errorf("seed 6 changed only %d of %d files", differ, len(names))
	}
}

// TestSameSeedSameWorkbooks: workbooks hold the same sheets and cells for a
// seed (their zip bytes need not match).
func TestSameSeedSameWorkbooks(t *testing.T) {
	o := Options{Scale: ScaleTiny, Seed: 5, Format: FormatXLSX, Years: 2, Messy: true}
	var sets [2]map[string]map[string][][]string
	for i := range sets {
		o.OutDir = t.TempDir()
		m, err := Generate(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		sets[i] = map[string]map[string][][]string{}
		for _, f := range m.Files {
			if !strings.HasSuffix(f.Name, ".xlsx") {
				t.Fatalf("%s: format xlsx wrote a non-workbook", f.Name)
			}
			sets[i][f.Name] = workbookCells(t, filepath.Join(o.OutDir, f.Name))
		}
	}
	if diff := cmp.Diff(sets[0], sets[1]); diff != "" {
		t.Errorf("workbooks differ between runs (-first +second):\n%s", diff)
	}
}

func workbookCells(t *testing.T, path string) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		out[s] = rows
	}
	return out
}

// TestFilesMeetTheirSpecs reads every file as the loader does and applies
// the rules of pipelines/returns/*.yaml: each file has the rows the
// manifest says, and exactly the rows listed as faults break a rule (the
// rule named), holding the value named.
func TestFilesMeetTheirSpecs(t *testing.T) {
	sets := []struct {
		name string
		get  func(*testing.T) (string, Manifest)
	}{
		{"tidy", tidyTiny},
		{"messy mixed", messyMixed},
		{"messy xlsx", messyXLSX},
		{"messy csv", messyCSV},
	}
	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) {
			dir, m := set.get(t)
			if !slices.EqualFunc(m.Files, readManifest(t, dir).Files, func(a, b FileInfo) bool { return cmp.Equal(a, b) }) {
				t.Errorf("_manifest.json differs from the manifest returned")
			}
			for _, fi := range m.Files {
				keep := map[int]bool{}
				want := map[int]string{}
				for _, f := range fi.Faults {
					keep[f.Row], want[f.Row] = true, f.Rule
				}
				got := checkFile(t, filepath.Join(dir, fi.Name), keep)
				if got.rows != fi.Rows {
					t.Errorf("%s: %d data rows, manifest says %d", fi.Name, got.rows, fi.Rows)
				}
				if fi.Rejected != len(fi.Faults) {
					t.Errorf("%s: expected_rejected %d but %d faults", fi.Name, fi.Rejected, len(fi.Faults))
				}
				if diff := cmp.Diff(want, got.rejected); diff != "" {
					t.Errorf("%s: rows breaking a rule (-manifest +found):\n%s", fi.Name, diff)
				}
				for _, f := range fi.Faults {
					if f.Sheet != got.sheet {
						t.Errorf("%s: fault in sheet %q, data in %q", fi.Name, f.Sheet, got.sheet)
					}
					i, ok := got.header[f.Column]
					if !ok {
						continue // a duplicate names the key columns
					}
					cells := got.cells[f.Row]
					cell := ""
					if i < len(cells) {
						cell = cells[i]
					}
					if cell != f.Value {
						t.Errorf("%s row %d %s = %q, manifest says %q", fi.Name, f.Row, f.Column, cell, f.Value)
					}
				}
			}
		})
	}
}

// TestMessyFaultsCoverEveryRule: the messy set breaks each kind of rule,
// one row per fault.
func TestMessyFaultsCoverEveryRule(t *testing.T) {
	for _, get := range []func(*testing.T) (string, Manifest){messyMixed, messyXLSX} {
		_, m := get(t)
		rules := map[string]int{}
		for _, f := range m.Files {
			rows := map[int]bool{}
			for _, flt := range f.Faults {
				rules[flt.Rule]++
				if rows[flt.Row] {
					t.Errorf("%s: two faults in row %d", f.Name, flt.Row)
				}
				rows[flt.Row] = true
			}
		}
		for _, r := range []string{"type", "code", "required", "range", "pattern", "upn", "duplicate"} {
			if rules[r] == 0 {
				t.Errorf("%s messy set has no %q fault (faults: %v)", m.Format, r, rules)
			}
		}
	}
}

func TestOutputFiles(t *testing.T) {
	dir, m := messyMixed(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]FileInfo{}
	for _, f := range m.Files {
		listed[f.Name] = f
	}
	for _, e := range entries {
		name := e.Name()
		st, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want owner-only 0600", name, st.Mode().Perm())
		}
		if name == ManifestName {
			continue
		}
		f, ok := listed[name]
		switch {
		case !ok:
			t.Errorf("%s is in the directory but not in the manifest", name)
		case f.Bytes != st.Size():
			t.Errorf("%s: %d bytes, manifest says %d", name, st.Size(), f.Bytes)
		case !strings.HasPrefix(name, f.Return):
			t.Errorf("%s does not start with its return name %s", name, f.Return)
		}
		delete(listed, name)
	}
	for name := range listed {
		t.Errorf("%s is in the manifest but not written", name)
	}
	// Mixed: schools and budgets are workbooks, apart from the messy
	// register exported as CSV and the emailed resubmission.
	for _, f := range m.Files {
		xlsx := f.Format == string(FormatXLSX)
		wantXLSX := (f.Return == "schools" || f.Return == "budgets") &&
			!slices.Contains(f.Quirks, "windows-1252") && !slices.Contains(f.Quirks, "embedded-newline")
		if xlsx != wantXLSX {
			t.Errorf("%s: format %s in mixed", f.Name, f.Format)
		}
	}
}

// TestMessyQuirksPresent: every quirk the manifest names is in the file.
func TestMessyQuirksPresent(t *testing.T) {
	seen := map[string]bool{}
	for _, get := range []func(*testing.T) (string, Manifest){messyMixed, messyXLSX} {
		dir, m := get(t)
		for _, f := range m.Files {
			path := filepath.Join(dir, f.Name)
			for _, q := range f.Quirks {
				seen[q] = true
				check := quirkChecks[q].csv
				if f.Format == string(FormatXLSX) {
					check = quirkChecks[q].xlsx
				}
				if check == nil {
					t.Errorf("%s: no %s check for quirk %q", f.Name, f.Format, q)
					continue
				}
				if err := check(t, path, f); err != nil {
					t.Errorf("%s: %s: %v", f.Name, q, err)
				}
			}
		}
	}
	var missing []string
	for q := range quirkChecks {
		if !seen[q] {
			missing = append(missing, q)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("quirks never generated: %v", missing)
	}
}

type quirkCheck struct {
	csv  func(*testing.T, string, FileInfo) error
	xlsx func(*testing.T, string, FileInfo) error
}

func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fileText is a CSV file's text, decoded from Windows-1252 when it is not
// UTF-8.
func fileText(t *testing.T, path string) []byte {
	t.Helper()
	b := fileBytes(t, path)
	if utf8.Valid(b) {
		return b
	}
	u, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func contains(sub string) func(*testing.T, string, FileInfo) error {
	return func(t *testing.T, path string, _ FileInfo) error {
		if !bytes.Contains(fileText(t, path), []byte(sub)) {
			return errors.New("not found: " + strconv.Quote(sub))
		}
		return nil
	}
}

// anyCell looks through the data sheet's cells (raw, or as displayed).
func anyCell(raw bool, ok func(string) bool) func(*testing.T, string, FileInfo) error {
	return func(t *testing.T, path string, fi FileInfo) error {
		f, err := excelize.OpenFile(path)
		if err != nil {
			return err
		}
		defer f.Close()
		rows, err := f.GetRows(fi.Sheet, excelize.Options{RawCellValue: raw})
		if err != nil {
			return err
		}
		for _, r := range rows {
			for _, c := range r {
				if ok(c) {
					return nil
				}
			}
		}
		return errors.New("no such cell")
	}
}

func withWorkbook(fn func(*excelize.File, FileInfo) error) func(*testing.T, string, FileInfo) error {
	return func(t *testing.T, path string, fi FileInfo) error {
		f, err := excelize.OpenFile(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return fn(f, fi)
	}
}

func isDayMonth(c string) bool {
	_, err := time.Parse(ukDateMon, c)
	return err == nil
}

func isSymbol(c string) bool { return slices.Contains(suppressionSymbols, c) }

var (
	aliasValues = []string{"RECEPTION", "Y10", "FIXED", "agreed", "refused", "issued", "arp", "special", "QTR3",
		"schools block", "central school services", "high needs block", "early years block"}
	isAlias = func(c string) bool { return slices.Contains(aliasValues, strings.TrimSpace(c)) }
)

var quirkChecks = map[string]quirkCheck{
	"utf8-bom": {csv: contains("\uFEFF")},
	"windows-1252": {csv: func(t *testing.T, path string, _ FileInfo) error {
		b := fileBytes(t, path)
		if utf8.Valid(b) || !(bytes.IndexByte(b, 0xA3) >= 0 || bytes.IndexByte(b, 0xE9) >= 0) {
			return errors.New("not Windows-1252 text with £ or é")
		}
		return nil
	}},
	"semicolon": {csv: contains(";")},
	"tab":       {csv: contains("\t")},
	"crlf":      {csv: contains("\r\n")},
	"embedded-newline": {csv: contains("\"Cedar Lane\nPrimary"),
		xlsx: anyCell(true, func(c string) bool { return strings.Contains(c, "\n") })},
	"uk-dates": {csv: contains("/20"),
		xlsx: anyCell(true, func(c string) bool { return len(c) == 10 && c[2] == '/' && c[5] == '/' })},
	"dd-mon-yyyy-dates": {csv: func(t *testing.T, path string, fi FileInfo) error {
		for _, r := range readRows(t, path) {
			for _, c := range r {
				if isDayMonth(c) {
					return nil
				}
			}
		}
		return errors.New("no dd-Mon-yyyy date")
	}, xlsx: anyCell(true, isDayMonth)},
	"odd-headers": {
		csv: func(t *testing.T, path string, fi FileInfo) error {
			head := strings.SplitN(strings.TrimPrefix(string(fileBytes(t, path)), "\uFEFF"), "\n", 2)[0]
			if strings.Contains(head, oddHeaders[fi.Return][0]) {
				return nil
			}
			return errors.New("canonical header: " + head)
		},
		xlsx: func(t *testing.T, path string, fi FileInfo) error {
			return anyCell(true, func(c string) bool { return c == oddHeaders[fi.Return][0] })(t, path, fi)
		},
	},
	"code-aliases": {
		csv: func(t *testing.T, path string, _ FileInfo) error {
			for _, r := range readRows(t, path) {
				for _, c := range r {
					if isAlias(c) {
						return nil
					}
				}
			}
			return errors.New("no aliased code")
		},
		xlsx: anyCell(true, isAlias),
	},
	"padded-numbers": {csv: func(t *testing.T, path string, _ FileInfo) error {
		if !regexp.MustCompile(`[0-9] [,;\t\r\n]`).Match(fileText(t, path)) {
			return errors.New("no number followed by a space")
		}
		return nil
	},
		xlsx: anyCell(true, func(c string) bool { return strings.HasSuffix(c, " ") && c[0] == '1' })},
	"pound-amounts": {csv: contains("£"),
		xlsx: anyCell(false, func(c string) bool { return strings.HasPrefix(c, "£") })},
	"money-as-text": {csv: contains("£"),
		xlsx: anyCell(true, func(c string) bool { return strings.HasPrefix(c, "£") && strings.HasSuffix(c, " ") })},
	"suppression-symbols": {
		csv: func(t *testing.T, path string, _ FileInfo) error {
			for _, r := range readRows(t, path) {
				for _, c := range r {
					if isSymbol(c) {
						return nil
					}
				}
			}
			return errors.New("no suppression symbol")
		},
		xlsx: anyCell(true, isSymbol),
	},
	"repeated-header": {
		csv: func(t *testing.T, path string, fi FileInfo) error {
			text := string(fileBytes(t, path))
			head, _, _ := strings.Cut(text, "\n")
			if strings.Count(text, head+"\n") != 2 {
				return errors.New("header not repeated once")
			}
			return nil
		},
		xlsx: withWorkbook(func(f *excelize.File, fi FileInfo) error {
			rows, err := f.GetRows(fi.Sheet)
			if err != nil {
				return err
			}
			n := 0
			for _, r := range rows {
				if slices.Equal(r, rows[fi.HeaderRow-1]) {
					n++
				}
			}
			if n != 2 {
				return errors.New("header not repeated once")
			}
			return nil
		}),
	},
	"title-rows": {xlsx: withWorkbook(func(f *excelize.File, fi FileInfo) error {
		if v, _ := f.GetCellValue(fi.Sheet, "A1"); fi.HeaderRow < 3 || v == "" {
			return errors.New("no title above the header")
		}
		return nil
	})},
	"merged-title": {xlsx: withWorkbook(func(f *excelize.File, fi FileInfo) error {
		mc, err := f.GetMergeCells(fi.Sheet)
		if err != nil || len(mc) == 0 || mc[0].GetStartAxis() != "A1" {
			return errors.New("no merged title cell")
		}
		return nil
	})},
	"notes-sheet": {xlsx: withWorkbook(func(f *excelize.File, fi FileInfo) error {
		if l := f.GetSheetList(); len(l) != 2 || l[0] != "Notes" || l[1] != fi.Sheet {
			return errors.New("sheets are " + strings.Join(l, ", "))
		}
		return nil
	})},
	"total-row": {xlsx: withWorkbook(func(f *excelize.File, fi FileInfo) error {
		cell := "A" + strconv.Itoa(fi.HeaderRow+fi.Rows+1)
		v, _ := f.GetCellValue(fi.Sheet, cell)
		formula, _ := f.GetCellFormula(fi.Sheet, "D"+strconv.Itoa(fi.HeaderRow+fi.Rows+1))
		if v != "Total" || !strings.HasPrefix(formula, "SUM(") {
			return errors.New("no Total row with SUM after the data")
		}
		return nil
	})},
	"formula": {xlsx: withWorkbook(func(f *excelize.File, fi FileInfo) error {
		formula, _ := f.GetCellFormula(fi.Sheet, "F"+strconv.Itoa(fi.HeaderRow+1))
		v, _ := f.GetCellValue(fi.Sheet, "F"+strconv.Itoa(fi.HeaderRow+1), excelize.Options{RawCellValue: true})
		if formula == "" || v == "" {
			return errors.New("in_year_balance is not a formula with a cached value")
		}
		return nil
	})},
	"hidden-column": {xlsx: withWorkbook(func(f *excelize.File, fi FileInfo) error {
		for c := 1; c <= 13; c++ {
			name, _ := excelize.ColumnNumberToName(c)
			if vis, err := f.GetColVisible(fi.Sheet, name); err == nil && !vis {
				return nil
			}
		}
		return errors.New("no hidden column")
	})},
	"trailing-empty-rows": {xlsx: withWorkbook(func(f *excelize.File, fi FileInfo) error {
		rows, err := f.Rows(fi.Sheet)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			n++
		}
		if n <= fi.HeaderRow+fi.Rows+1 {
			return errors.New("no rows after the data")
		}
		return nil
	})},
	"excel-serial-dates": {xlsx: anyCell(false, func(c string) bool {
		n, err := strconv.Atoi(c)
		return err == nil && n > 40000 && n < 50000
	})},
	"excel-short-dates": {xlsx: withWorkbook(func(f *excelize.File, fi FileInfo) error {
		col := "K" // ofsted_date
		for r := fi.HeaderRow + 1; r <= fi.HeaderRow+fi.Rows; r++ {
			st, _ := f.GetCellStyle(fi.Sheet, col+strconv.Itoa(r))
			if s, err := f.GetStyle(st); err == nil && s.NumFmt == 14 {
				return nil
			}
		}
		return errors.New("no date cell with Excel's short date format")
	})},
	"dates-as-text": {xlsx: withWorkbook(func(f *excelize.File, fi FileInfo) error {
		for r := fi.HeaderRow + 1; r <= fi.HeaderRow+fi.Rows; r++ {
			cell := "K" + strconv.Itoa(r)
			v, _ := f.GetCellValue(fi.Sheet, cell)
			if ty, _ := f.GetCellType(fi.Sheet, cell); ty == excelize.CellTypeInlineString && strings.Count(v, "/") == 2 {
				return nil
			}
		}
		return errors.New("no date typed as text")
	})},
}

// TestHackneyIsRealistic checks the headline figures of the hackney scale,
// computed from the files.
func TestHackneyIsRealistic(t *testing.T) {
	dir, m := hackney(t)
	read := func(name string) []map[string]string { return readRows(t, filepath.Join(dir, name)) }
	var names []string
	for _, f := range m.Files {
		names = append(names, f.Name)
	}
	byPrefix := func(p string) []string {
		var out []string
		for _, n := range names {
			if strings.HasPrefix(n, p) {
				out = append(out, n)
			}
		}
		return out
	}

	// The register, by academic year and URN.
	schools := map[string]map[string]map[string]string{}
	for _, n := range byPrefix("schools_") {
		for _, r := range read(n) {
			if schools[r["academic_year"]] == nil {
				schools[r["academic_year"]] = map[string]map[string]string{}
			}
			schools[r["academic_year"]][r["urn"]] = r
		}
	}
	t.Run("schools", func(t *testing.T) {
		latest := schools["2024/25"]
		inRange(t, "schools", float64(len(latest)), 65, 75)
		hoods, phases := map[string]bool{}, map[string]int{}
		var apostrophe, ampersand, charedi, four bool
		charediN := 0
		for urn, s := range latest {
			if len(urn) != 6 || urn[0] != '1' {
				t.Errorf("URN %q is not 6 digits starting 1", urn)
			}
			hoods[s["neighbourhood"]] = true
			phases[s["phase"]]++
			apostrophe = apostrophe || strings.Contains(s["school_name"], "'")
			ampersand = ampersand || strings.Contains(s["school_name"], "&")
			if s["community"] == "Charedi" {
				charediN++
				charedi = s["type"] == "independent" && s["maintained"] == "false"
			}
			four = four || s["ofsted_grade"] == "4"
			capacity, _ := strconv.Atoi(s["net_capacity"])
			switch {
			case s["phase"] == "primary" && s["type"] != "independent" && (capacity < 210 || capacity > 630):
				t.Errorf("primary %s has capacity %d", s["school_name"], capacity)
			case s["phase"] == "secondary" && s["type"] != "independent" && (capacity < 900 || capacity > 1500):
				t.Errorf("secondary %s has capacity %d", s["school_name"], capacity)
			}
		}
		if len(hoods) != 8 || !apostrophe || !ampersand || !charedi || !four || charediN < 4 || charediN > 5 {
			t.Errorf("register: %d neighbourhoods, apostrophe %v, ampersand %v, Charedi %d independent %v, a grade 4 %v",
				len(hoods), apostrophe, ampersand, charediN, charedi, four)
		}
		inRange(t, "secondary schools", float64(phases["secondary"]), 13, 17)
		inRange(t, "special schools", float64(phases["special"]), 2, 3)
	})

	// January censuses: C and M registrations.
	type pupilRow = map[string]string
	jan := map[string][]pupilRow{} // academic year -> rows
	var years []string
	for _, n := range byPrefix("census_") {
		if !strings.Contains(n, "-01-") {
			continue
		}
		rows := read(n)
		d, _ := time.Parse(isoDate, rows[0]["census_date"])
		ay := academicYear(d.Year() - 1)
		years = append(years, ay)
		for _, r := range rows {
			if r["enrolment"] != "S" {
				jan[ay] = append(jan[ay], r)
			}
		}
	}
	sort.Strings(years)
	if len(years) != 5 || len(byPrefix("census_")) != 7 {
		t.Fatalf("censuses: %v", byPrefix("census_"))
	}
	latest := jan["2024/25"]
	t.Run("pupils", func(t *testing.T) {
		inRange(t, "pupils on roll, January 2025", float64(len(latest)), 27000, 33000)
		count := func(rows []pupilRow, col, val string) int {
			n := 0
			for _, r := range rows {
				if r[col] == val {
					n++
				}
			}
			return n
		}
		inRange(t, "EHCP %", pct(count(latest, "sen_provision", "E"), len(latest)), 4, 6)
		inRange(t, "SEN support %", pct(count(latest, "sen_provision", "K"), len(latest)), 11, 15)
		inRange(t, "FSM %", pct(count(latest, "fsm", "Y"), len(latest)), 30, 40)
		inRange(t, "boys %", pct(count(latest, "gender", "M"), len(latest)), 47, 54)
		inRange(t, "Black Caribbean %", pct(count(latest, "ethnicity", "BCRB"), len(latest)), 5, 9)
		tktc := 0
		for _, c := range []string{"WTUR", "WTUK", "WTUC", "WKUR"} {
			tktc += count(latest, "ethnicity", c)
		}
		inRange(t, "Turkish, Kurdish and Turkish Cypriot %", pct(tktc, len(latest)), 4, 8)
		codes := seedEthnicityCodes(t)
		for _, r := range latest {
			if !codes[r["ethnicity"]] {
				t.Fatalf("ethnicity %q is not in seeds/ethnicity.csv", r["ethnicity"])
			}
		}
	})
	t.Run("places", func(t *testing.T) {
		var surplus []float64
		for _, ay := range years {
			capacity, roll := 0, 0
			for _, s := range schools[ay] {
				if s["phase"] == "primary" && s["type"] != "independent" {
					c, _ := strconv.Atoi(s["net_capacity"])
					capacity += c
				}
			}
			for _, r := range jan[ay] {
				if s := schools[ay][r["urn"]]; s["phase"] == "primary" {
					roll++
				}
			}
			surplus = append(surplus, pct(capacity-roll, capacity))
		}
		t.Logf("primary surplus %% by year: %.1f", surplus)
		for i := 1; i < len(surplus); i++ {
			if surplus[i] < surplus[i-1]-1 {
				t.Errorf("primary surplus fell from %.1f%% to %.1f%%", surplus[i-1], surplus[i])
			}
		}
		if surplus[len(surplus)-1]-surplus[0] < 5 {
			t.Errorf("primary surplus rose only from %.1f%% to %.1f%%", surplus[0], surplus[len(surplus)-1])
		}
		inRange(t, "primary surplus 2024/25 %", surplus[len(surplus)-1], 15, 25)
	})
	t.Run("mobility", func(t *testing.T) {
		prev := map[string]bool{}
		for _, r := range jan["2023/24"] {
			prev[r["urn"]+r["upn"]] = true
			prev[r["upn"]] = true
		}
		moved, continuing, known := 0, 0, 0
		for _, r := range latest {
			if r["ncy"] == "R" || r["ncy"] == "7" || r["ncy"] == "12" {
				continue
			}
			continuing++
			if prev[r["upn"]] {
				known++
			}
			if !prev[r["urn"]+r["upn"]] {
				moved++
			}
		}
		inRange(t, "pupil mobility %", pct(moved, len(latest)), 2, 8)
		inRange(t, "pupils outside entry years on last year's roll %", pct(known, continuing), 90, 99)
	})
	t.Run("exclusions", func(t *testing.T) {
		for _, n := range byPrefix("exclusions_") {
			rows := read(n)
			ay := strings.Replace(n[len("exclusions_"):len("exclusions_")+7], "-", "/", 1)
			roll := map[string]pupilRow{}
			for _, r := range jan[ay] {
				roll[r["upn"]] = r
			}
			susp, perm := 0, 0
			for _, r := range rows {
				if r["exclusion_type"] == "SUSP" {
					susp++
				} else {
					perm++
				}
				if _, ok := roll[r["upn"]]; !ok {
					t.Fatalf("%s: %s is not on roll in January", n, r["upn"])
				}
			}
			inRange(t, n+" suspensions", float64(susp), 2000, 3000)
			inRange(t, n+" permanent exclusions", float64(perm), 15, 50)
			if n != "exclusions_2024-25.csv" {
				continue
			}
			risk := func(in func(pupilRow) bool) float64 {
				var a, b, na, nb int
				for _, r := range rows {
					if r["exclusion_type"] == "SUSP" {
						if in(roll[r["upn"]]) {
							a++
						} else {
							b++
						}
					}
				}
				for _, r := range roll {
					if in(r) {
						na++
					} else {
						nb++
					}
				}
				return (float64(a) / float64(na)) / (float64(b) / float64(nb))
			}
			inRange(t, "suspension risk ratio, Black Caribbean", risk(func(r pupilRow) bool { return r["ethnicity"] == "BCRB" }), 1.8, 3.5)
			inRange(t, "suspension risk ratio, SEN", risk(func(r pupilRow) bool { return r["sen_provision"] != "N" }), 1.8, 3.5)
			inRange(t, "suspension risk ratio, FSM", risk(func(r pupilRow) bool { return r["fsm"] == "Y" }), 1.8, 3.5)
		}
	})
	t.Run("ehcp", func(t *testing.T) {
		var within, plans, epOK, ep int
		for _, n := range byPrefix("ehcp_") {
			rows := read(n)
			if n != "ehcp_2025.csv" {
				inRange(t, n+" requests", float64(len(rows)), 600, 1000)
			}
			for _, r := range rows {
				req, _ := time.Parse(isoDate, r["request_date"])
				if p, err := time.Parse(isoDate, r["plan_issued_date"]); err == nil && r["exception"] != "true" {
					plans++
					if p.Sub(req).Hours()/24 <= 140 {
						within++
					}
				}
				if iss, err := time.Parse(isoDate, r["ep_issued_date"]); err == nil {
					asked, _ := time.Parse(isoDate, r["ep_requested_date"])
					ep++
					if iss.Sub(asked).Hours()/24 <= 42 {
						epOK++
					}
				}
			}
		}
		inRange(t, "plans within 20 weeks (no exceptions) %", pct(within, plans), 40, 65)
		inRange(t, "EP advice within 6 weeks %", pct(epOK, ep), 60, 80)
	})
	t.Run("finance", func(t *testing.T) {
		deficits := func(name string) int {
			n := 0
			for _, r := range read(name) {
				if strings.HasPrefix(r["cumulative_balance"], "-") {
					n++
				}
				inc, _ := strconv.ParseFloat(r["total_income"], 64)
				if inc < 1e6 || inc > 8e6 {
					t.Errorf("%s: urn %s income %.0f", name, r["urn"], inc)
				}
			}
			return n
		}
		first, last := deficits("budgets_2020-21_outturn.csv"), deficits("budgets_2024-25_outturn.csv")
		if last <= first {
			t.Errorf("schools in deficit went from %d to %d", first, last)
		}
		resub := read("budgets_2025-26_Q2_resubmission.csv")
		if len(resub) != 1 {
			t.Fatalf("resubmission has %d rows", len(resub))
		}
		for _, r := range read("budgets_2025-26_Q2.csv") {
			if r["urn"] == resub[0]["urn"] && r["cumulative_balance"] == resub[0]["cumulative_balance"] {
				t.Errorf("resubmission does not correct the balance of %s", r["urn"])
			}
		}
		prev := 0.0
		for _, n := range byPrefix("dsg_") {
			for _, r := range read(n) {
				bal, _ := strconv.ParseFloat(r["cumulative_balance"], 64)
				switch r["block"] {
				case "high needs":
					if bal >= prev {
						t.Errorf("%s: high needs balance %.0f is no worse than %.0f", n, bal, prev)
					}
					prev = bal
				case "schools":
					inRange(t, n+" schools block balance £m", bal/1e6, -2, 2)
				}
			}
		}
		inRange(t, "high needs balance 2025-26 £m", prev/1e6, -35, -20)
	})
}

func seedEthnicityCodes(t *testing.T) map[string]bool {
	t.Helper()
	b, err := seeds.FS.ReadFile("ethnicity.csv")
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n")[1:] {
		if code, _, ok := strings.Cut(line, ","); ok {
			codes[code] = true
		}
	}
	return codes
}

// TestRerunReplacesFiles: generating again into the same directory removes
// the files of the previous run that this one does not write.
func TestRerunReplacesFiles(t *testing.T) {
	dir := t.TempDir()
	o := Options{Scale: ScaleTiny, Seed: 1, Format: FormatCSV, Years: 1, Messy: true, OutDir: dir}
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(other, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	o.Messy = false
	m, err := Generate(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ManifestName, "notes.txt"}
	for _, f := range m.Files {
		want = append(want, f.Name)
	}
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("directory after the second run (-want +got):\n%s", diff)
	}
}

func TestCancelled(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Generate(ctx, Options{Scale: ScaleHackney, Format: FormatCSV, Years: 5, OutDir: dir})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Generate with a cancelled context = %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a cancelled run left %d files, e.g. %s", len(entries), entries[0].Name())
	}
}

// TestLondonSmoke: the london scale runs, with ten boroughs' schools and
// no URN or UPN shared between them.
func TestLondonSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("london scale skipped in -short mode")
	}
	dir := t.TempDir()
	start := time.Now()
	m, err := Generate(context.Background(), Options{Scale: ScaleLondon, Seed: 3, Format: FormatCSV, Years: 1, OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("london, one year: %v", time.Since(start))
	files := map[string]FileInfo{}
	for _, f := range m.Files {
		files[f.Return+"/"+f.Name] = f
	}
	if f := files["schools/schools_2024-25.csv"]; f.Rows != 10*len(catalogue) {
		t.Errorf("london register has %d schools, want %d", f.Rows, 10*len(catalogue))
	}
	rows := readRows(t, filepath.Join(dir, "census_2025-01-16.csv"))
	inRange(t, "london pupils", float64(len(rows)), 270000, 330000)
	seen := map[string]bool{}
	for _, r := range rows {
		k := r["urn"] + r["upn"]
		if seen[k] {
			t.Fatalf("pupil %s twice at school %s", r["upn"], r["urn"])
		}
		seen[k] = true
	}
}
