package generate

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"planmetrics/internal/pseudonym"
	"planmetrics/internal/spec"
	"planmetrics/internal/tabular"
	parse "planmetrics/internal/value"
	"planmetrics/pipelines"
)

// testRoot holds the generated sets shared by the tests of this binary.
var testRoot string

func TestMain(m *testing.M) {
	var err error
	if testRoot, err = os.MkdirTemp("", "generate-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(testRoot)
	os.Exit(code)
}

type fixture struct {
	once sync.Once
	dir  string
	m    Manifest
	err  error
	took time.Duration
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[string]*fixture{}
)

// generated returns the set named name, generating it with o the first
// time any test asks for it.
func generated(t *testing.T, name string, o Options) (string, Manifest) {
	t.Helper()
	fixturesMu.Lock()
	f, ok := fixtures[name]
	if !ok {
		f = &fixture{}
		fixtures[name] = f
	}
	fixturesMu.Unlock()
	f.once.Do(func() {
		f.dir = filepath.Join(testRoot, name)
		o.OutDir = f.dir
		start := time.Now()
		f.m, f.err = Generate(context.Background(), o)
		f.took = time.Since(start)
	})
	if f.err != nil {
		t.Fatalf("generate %s: %v", name, f.err)
	}
	return f.dir, f.m
}

// The shared sets: the realistic borough, and messy ones in each format.
func hackney(t *testing.T) (string, Manifest) {
	return generated(t, "hackney", Options{Scale: ScaleHackney, Seed: 2026, Format: FormatCSV, Years: 5, Termly: true})
}

func messyMixed(t *testing.T) (string, Manifest) {
	return generated(t, "messy-mixed", Options{Scale: ScaleTiny, Seed: 11, Format: FormatMixed, Years: 5, Messy: true, Termly: true})
}

func messyXLSX(t *testing.T) (string, Manifest) {
	return generated(t, "messy-xlsx", Options{Scale: ScaleTiny, Seed: 12, Format: FormatXLSX, Years: 5, Messy: true})
}

func messyCSV(t *testing.T) (string, Manifest) {
	return generated(t, "messy-csv", Options{Scale: ScaleTiny, Seed: 13, Format: FormatCSV, Years: 5, Messy: true})
}

func tidyTiny(t *testing.T) (string, Manifest) {
	return generated(t, "tidy-tiny", Options{Scale: ScaleTiny, Seed: 14, Format: FormatMixed, Years: 5, Termly: true})
}

var (
	specsOnce sync.Once
	specs     *spec.Set
	specsErr  error
)

// returnSpecs loads the contract: pipelines/returns/*.yaml.
func returnSpecs(t *testing.T) *spec.Set {
	t.Helper()
	specsOnce.Do(func() { specs, specsErr = spec.Load(pipelines.FS) })
	if specsErr != nil {
		t.Fatalf("load return specs: %v", specsErr)
	}
	return specs
}

// checked is what checkFile found in a file.
type checked struct {
	sheet    string
	header   map[string]int // column -> cell index
	rows     int            // data rows
	rejected map[int]string // row (as the loader numbers it) -> rule
	cells    map[int][]string
}

// checkFile reads a generated file the way the loader does (tabular, the
// spec's header matching, the value parsers) and applies every rule of its
// return spec to every data row: type, code, required, range, pattern,
// upn, the spec's checks and duplicates of the unique key (the first row
// stays). keep lists rows whose cells to return.
func checkFile(t *testing.T, path string, keep map[int]bool) checked {
	t.Helper()
	set := returnSpecs(t)
	ret, ok := set.ByFileName(path)
	if !ok {
		t.Fatalf("%s: no return spec matches the file name", path)
	}
	f, err := tabular.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	ctx := context.Background()
	var out checked
	found := false
	for _, sh := range f.Sheets() {
		var top [][]string
		var lines []int
		for row, err := range f.Rows(ctx, sh.Name) {
			if err != nil {
				t.Fatalf("read %s: %v", path, err)
			}
			top, lines = append(top, row.Cells), append(lines, row.Line)
			if len(top) == 30 {
				break
			}
		}
		i, m, err := spec.FindHeader(top, []*spec.Return{ret})
		if err != nil || len(m.Missing) > 0 {
			continue
		}
		out.sheet, out.header, found = sh.Name, m.Index, true
		headerLine := lines[i]
		out.rejected, out.cells = map[int]string{}, map[int][]string{}
		headerKey := normalizedRow(top[i])
		seen := map[string]int{}
		for row, err := range f.Rows(ctx, sh.Name) {
			if err != nil {
				t.Fatalf("read %s: %v", path, err)
			}
			if row.Line <= headerLine || blankRow(row.Cells) || normalizedRow(row.Cells) == headerKey || totalRow(row.Cells) {
				continue
			}
			out.rows++
			if keep[row.Line] {
				out.cells[row.Line] = row.Cells
			}
			typed, rule := checkRow(ret, m.Index, row.Cells)
			if rule == "" {
				var key []string
				for _, k := range ret.Unique {
					key = append(key, typed[k])
				}
				k := strings.Join(key, "\x1f")
				if _, dup := seen[k]; dup {
					rule = "duplicate"
				} else {
					seen[k] = row.Line
				}
			}
			if rule != "" {
				out.rejected[row.Line] = rule
			}
		}
		break
	}
	if !found {
		t.Fatalf("%s: no sheet has a complete %s header", path, ret.Name)
	}
	return out
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func normalizedRow(cells []string) string {
	parts := make([]string, len(cells))
	for i, c := range cells {
		parts[i] = spec.NormalizeName(c)
	}
	return strings.TrimRight(strings.Join(parts, "\x1f"), "\x1f")
}

func totalRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return spec.NormalizeName(c) == "total"
		}
	}
	return false
}

// checkRow types one row; it returns the typed values (canonical text) and
// the first rule the row breaks, or "".
func checkRow(ret *spec.Return, index map[string]int, cells []string) (map[string]string, string) {
	typed := map[string]string{}
	for _, c := range ret.Columns {
		i, present := index[c.Name]
		cell := ""
		if present && i < len(cells) {
			cell = cells[i]
		}
		missing := parse.IsMissing(cell)
		if c.Type == "upn" && !missing && !pseudonym.Valid(cell) {
			return nil, "upn"
		}
		if missing {
			if !c.Optional {
				return nil, "required"
			}
			continue
		}
		v, rule := typeValue(c, strings.TrimSpace(cell))
		if rule != "" {
			return nil, rule
		}
		typed[c.Name] = v
	}
	return typed, checkRules(ret.Name, typed)
}

func typeValue(c spec.Column, s string) (string, string) {
	var num float64
	isNum := false
	out := s
	switch c.Type {
	case "int":
		n, err := parse.ParseInt(s)
		if err != nil {
			return "", "type"
		}
		num, isNum, out = float64(n), true, strconv.FormatInt(n, 10)
	case "decimal":
		n, err := parse.ParseDecimal(s)
		if err != nil {
			return "", "type"
		}
		num, isNum, out = n, true, strconv.FormatFloat(n, 'f', -1, 64)
	case "date":
		d, err := parse.ParseDate(s)
		if err != nil {
			return "", "type"
		}
		out = d.Format(time.DateOnly)
	case "bool":
		b, err := parse.ParseBool(s)
		if err != nil {
			return "", "type"
		}
		out = strconv.FormatBool(b)
	case "academic_year":
		y, err := parse.ParseAcademicYear(s)
		if err != nil {
			return "", "type"
		}
		out = y
	case "financial_year":
		y, err := parse.ParseFinancialYear(s)
		if err != nil {
			return "", "type"
		}
		out = y
	case "upn":
		out = pseudonym.Normalize(s)
	case "code":
		key := strings.ToUpper(s)
		if len(c.Codes) == 0 && len(c.Map) == 0 {
			out = key
			break
		}
		out = ""
		for _, code := range c.Codes {
			if strings.ToUpper(code) == key {
				out = code
			}
		}
		for from, to := range c.Map {
			if strings.ToUpper(strings.TrimSpace(from)) == key {
				out = to
			}
		}
		if out == "" {
			return "", "code"
		}
	}
	if c.Pattern != "" && !compiled(c.Pattern).MatchString(out) {
		return "", "pattern"
	}
	if isNum && ((c.Min != nil && num < *c.Min) || (c.Max != nil && num > *c.Max)) {
		return "", "range"
	}
	return out, ""
}

var (
	patternsMu sync.Mutex
	patterns   = map[string]*regexp.Regexp{}
)

func compiled(p string) *regexp.Regexp {
	patternsMu.Lock()
	defer patternsMu.Unlock()
	if re, ok := patterns[p]; ok {
		return re
	}
	re := regexp.MustCompile(p)
	patterns[p] = re
	return re
}

// checkRules applies the checks of the specs (their SQL, restated).
func checkRules(ret string, v map[string]string) string {
	before := func(a, b string) bool { return v[a] != "" && v[b] != "" && v[a] < v[b] }
	switch ret {
	case "ehcp":
		switch {
		case before("decision_date", "request_date"):
			return "decision_after_request"
		case before("ep_issued_date", "ep_requested_date"):
			return "ep_issued_after_requested"
		case before("plan_issued_date", "request_date"):
			return "plan_after_request"
		}
	case "exclusions":
		if v["exclusion_type"] == "SUSP" && v["sessions"] == "" {
			return "perm_has_no_sessions"
		}
	}
	return ""
}

// readRows reads a generated file's data rows by canonical column name,
// skipping title, blank, total and repeated header rows.
func readRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	set := returnSpecs(t)
	ret, _ := set.ByFileName(path)
	f, err := tabular.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]string
	var index map[string]int
	var header string
	for row, err := range f.Rows(context.Background(), f.Sheets()[len(f.Sheets())-1].Name) {
		if err != nil {
			t.Fatal(err)
		}
		if index == nil {
			if m := ret.MatchHeader(row.Cells); len(m.Missing) == 0 {
				index, header = m.Index, normalizedRow(row.Cells)
			}
			continue
		}
		if blankRow(row.Cells) || totalRow(row.Cells) || normalizedRow(row.Cells) == header {
			continue
		}
		r := map[string]string{}
		for col, i := range index {
			if i < len(row.Cells) {
				r[col] = strings.TrimSpace(row.Cells[i])
			}
		}
		out = append(out, r)
	}
	return out
}

func readManifest(t *testing.T, dir string) Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	return m
}

func pct(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return 100 * float64(a) / float64(b)
}

func inRange(t *testing.T, what string, got, lo, hi float64) {
	t.Helper()
	if !(got >= lo && got <= hi) {
		t.Errorf("%s = %.2f, want %.2f to %.2f", what, got, lo, hi)
	} else {
		t.Logf("%s = %.2f", what, got)
	}
}
