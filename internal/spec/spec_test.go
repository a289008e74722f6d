package spec

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"planmetrics/pipelines"
)

func loadEmbedded(t *testing.T) *Set {
	t.Helper()
	s, err := Load(pipelines.FS)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestLoadEmbeddedSpecs(t *testing.T) {
	s := loadEmbedded(t)
	want := []string{"budgets", "census", "dsg", "ehcp", "exclusions", "schools"}
	if got := strings.Join(s.Names(), ","); got != strings.Join(want, ",") {
		t.Fatalf("returns = %s, want %s", got, strings.Join(want, ","))
	}
	budgets, _ := s.Get("budgets")
	if got := strings.Join(budgets.Supersede, ","); got != "urn,financial_year,return_period" {
		t.Errorf("budgets supersede = %s", got)
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"Date of Request":   "date_of_request",
		"date_of_request":   "date_of_request",
		"DATE-OF-REQUEST":   "date_of_request",
		"  URN ":            "urn",
		"\ufeffcensus_date": "census_date",
		"Census-Date":       "census_date",
		"a  -  b":           "a_b",
	} {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestByFileName(t *testing.T) {
	s := loadEmbedded(t)
	for name, want := range map[string]string{
		"census_2025-01-16.csv":      "census",
		"data/inbox/Census-Jan.xlsx": "census",
		"budgets_2025-26_Q2.csv":     "budgets",
		"schools_2024-25.xlsx":       "schools",
		"school_register 2024.xlsx":  "schools",
		"censusdata.csv":             "",
		"random.csv":                 "",
		"exclusions_autumn.csv":      "exclusions",
	} {
		r, ok := s.ByFileName(name)
		got := ""
		if ok {
			got = r.Name
		}
		if got != want {
			t.Errorf("ByFileName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestFindHeader(t *testing.T) {
	s := loadEmbedded(t)
	census, _ := s.Get("census")
	top := [][]string{
		{"Hackney school census, January 2025"},
		{"Notes: one row per pupil"},
		{"Census Date", "URN", "UPN", "NC Year", "Gender", "Ethnicity", "FSM", "SEN Provision", "Shoe size"},
		{"2025-01-16", "100001", "A12345678901B", "7", "F", "WBRI", "N", "N", "5"},
	}
	row, m, err := FindHeader(top, s.Returns)
	if err != nil {
		t.Fatal(err)
	}
	if row != 2 || m.Return != census || !m.Complete() {
		t.Fatalf("row %d return %s complete %v", row, m.Return.Name, m.Complete())
	}
	if strings.Join(m.Unknown, ",") != "Shoe size" {
		t.Errorf("unknown = %v", m.Unknown)
	}

	// A renamed required column with the type known: the best partial header
	// comes back so the caller can name what is missing.
	renamed := [][]string{{"census_date", "urn", "pupil_ref", "ncy", "gender", "ethnicity", "fsm", "sen_provision"}}
	_, m, err = FindHeader(renamed, []*Return{census})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Missing, ",") != "upn" || strings.Join(m.Unknown, ",") != "pupil_ref" {
		t.Errorf("missing %v unknown %v", m.Missing, m.Unknown)
	}

	// Among all returns, only complete matches count.
	if _, _, err := FindHeader(renamed, s.Returns); !errors.Is(err, ErrUnknownReturn) {
		t.Errorf("err = %v, want ErrUnknownReturn", err)
	}
}

func TestFindHeaderAmbiguous(t *testing.T) {
	fsys := fstest.MapFS{
		"returns/a.yaml": {Data: []byte("name: a\ncolumns:\n  - {name: x, type: text}\n  - {name: y, type: int}\n")},
		"returns/b.yaml": {Data: []byte("name: b\ncolumns:\n  - {name: x, type: text}\n  - {name: y, type: int}\n")},
	}
	s, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = FindHeader([][]string{{"x", "y"}}, s.Returns)
	if !errors.Is(err, ErrAmbiguousReturn) || !strings.Contains(err.Error(), "a and b") {
		t.Errorf("err = %v, want ambiguity naming a and b", err)
	}
}

func TestParseRejectsBadSpecs(t *testing.T) {
	for name, y := range map[string]string{
		"unknown type":    "name: a\ncolumns:\n  - {name: x, type: colour}\n",
		"bad key":         "name: a\ncolumns:\n  - {name: x, type: text}\nunique: [y]\n",
		"unknown field":   "name: a\ncolumnz: []\n",
		"bad pattern":     "name: a\ncolumns:\n  - {name: x, type: text, pattern: '('}\n",
		"alias clash":     "name: a\ncolumns:\n  - {name: x, type: text, aliases: [z]}\n  - {name: y, type: text, aliases: [z]}\n",
		"bad column name": "name: a\ncolumns:\n  - {name: 'X Y', type: text}\n",
	} {
		if _, err := Parse([]byte(y)); err == nil {
			t.Errorf("%s: Parse accepted a bad spec", name)
		}
	}
}
