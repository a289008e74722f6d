// Package spec reads the declarative return specs (pipelines/returns/*.yaml):
// the columns a return must have, their aliases, types and rules, and the
// keys that make a resubmission supersede an earlier file. It also matches a
// file's header row against the specs to tell which return a file is.
package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Column types a spec may use.
const (
	TypeText           = "text"
	TypeCode           = "code"
	TypeInt            = "int"
	TypeDecimal        = "decimal"
	TypeDate           = "date"
	TypeBool           = "bool"
	TypeUPN            = "upn" // a pupil identifier, pseudonymised on load
	TypeAcademicYear   = "academic_year"
	TypeFinancialYear  = "financial_year"
	returnsDir         = "returns"
	minHeaderMatches   = 2   // a header names at least this many columns
	defaultHeaderRatio = 0.5 // and, to be detected among all returns, at least this share of the required ones
)

var knownTypes = map[string]bool{TypeText: true, TypeCode: true, TypeInt: true, TypeDecimal: true, TypeDate: true,
	TypeBool: true, TypeUPN: true, TypeAcademicYear: true, TypeFinancialYear: true}

// Column is one column of a return.
type Column struct {
	Name       string            `yaml:"name"`
	Type       string            `yaml:"type"`
	Aliases    []string          `yaml:"aliases"`
	Optional   bool              `yaml:"optional"`
	Default    *string           `yaml:"default"`     // value used when the cell is empty
	DefaultSQL string            `yaml:"default_sql"` // expression over other typed columns, when empty
	Codes      []string          `yaml:"codes"`       // allowed values (matched case-insensitively)
	Map        map[string]string `yaml:"map"`         // other spellings -> a code
	Pattern    string            `yaml:"pattern"`     // regular expression the (normalised) value must match
	Min        *float64          `yaml:"min"`
	Max        *float64          `yaml:"max"`
}

// Derived is a column computed from the typed columns, stored in raw.
type Derived struct {
	Name string `yaml:"name"`
	Type string `yaml:"type"`
	SQL  string `yaml:"sql"`
}

// Check is a row-level rule over typed columns; a row where SQL is false is
// rejected, blaming Column.
type Check struct {
	Name    string `yaml:"name"`
	Column  string `yaml:"column"`
	SQL     string `yaml:"sql"`
	Message string `yaml:"message"`
}

// Return is the spec of one return type.
type Return struct {
	Name           string    `yaml:"name"`
	Description    string    `yaml:"description"`
	FilePrefixes   []string  `yaml:"file_prefixes"`
	Columns        []Column  `yaml:"columns"`
	Derived        []Derived `yaml:"derived"`
	Checks         []Check   `yaml:"checks"`
	Unique         []string  `yaml:"unique"`
	Supersede      []string  `yaml:"supersede"`
	WarnUnknownURN bool      `yaml:"warn_unknown_urn"`

	names map[string]string // normalised name or alias -> column name
}

// Set is every return spec, by name.
type Set struct {
	Returns []*Return // sorted by name
	byName  map[string]*Return
}

// Load reads every returns/*.yaml file of fsys.
func Load(fsys fs.FS) (*Set, error) {
	files, err := fs.Glob(fsys, path.Join(returnsDir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no return specs found under %s/", returnsDir)
	}
	set := &Set{byName: map[string]*Return{}}
	var errs []error
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		r, err := Parse(b)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f, err))
			continue
		}
		if _, dup := set.byName[r.Name]; dup {
			errs = append(errs, fmt.Errorf("%s: return %q is defined twice", f, r.Name))
			continue
		}
		set.byName[r.Name] = r
		set.Returns = append(set.Returns, r)
	}
	sort.Slice(set.Returns, func(i, j int) bool { return set.Returns[i].Name < set.Returns[j].Name })
	return set, errors.Join(errs...)
}

// Get returns the named spec.
func (s *Set) Get(name string) (*Return, bool) {
	r, ok := s.byName[name]
	return r, ok
}

// Names lists the return types.
func (s *Set) Names() []string {
	out := make([]string, len(s.Returns))
	for i, r := range s.Returns {
		out[i] = r.Name
	}
	return out
}

var identRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Parse reads and checks one spec.
func Parse(b []byte) (*Return, error) {
	var r Return
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	return &r, r.check()
}

func (r *Return) check() error {
	var errs []error
	if !identRE.MatchString(r.Name) {
		errs = append(errs, fmt.Errorf("return name %q: use lower case letters, digits and _", r.Name))
	}
	r.names = map[string]string{}
	cols := map[string]bool{}
	for i := range r.Columns {
		c := &r.Columns[i]
		if !identRE.MatchString(c.Name) {
			errs = append(errs, fmt.Errorf("column name %q: use lower case letters, digits and _", c.Name))
		}
		if !knownTypes[c.Type] {
			errs = append(errs, fmt.Errorf("column %s: unknown type %q", c.Name, c.Type))
		}
		if c.Pattern != "" {
			if _, err := regexp.Compile(c.Pattern); err != nil {
				errs = append(errs, fmt.Errorf("column %s: pattern: %w", c.Name, err))
			}
		}
		cols[c.Name] = true
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			key := NormalizeName(n)
			if other, dup := r.names[key]; dup && other != c.Name {
				errs = append(errs, fmt.Errorf("name %q is used by both %s and %s", n, other, c.Name))
			}
			r.names[key] = c.Name
		}
	}
	for _, d := range r.Derived {
		if !identRE.MatchString(d.Name) || cols[d.Name] {
			errs = append(errs, fmt.Errorf("derived column %q: needs a new lower-case name", d.Name))
		}
		cols[d.Name] = true
	}
	for _, k := range append(append([]string{}, r.Unique...), r.Supersede...) {
		if !cols[k] {
			errs = append(errs, fmt.Errorf("key column %q is not a column of %s", k, r.Name))
		}
	}
	for _, c := range r.Checks {
		if !cols[c.Column] {
			errs = append(errs, fmt.Errorf("check %s: column %q is not a column of %s", c.Name, c.Column, r.Name))
		}
	}
	return errors.Join(errs...)
}

// Column returns the named column.
func (r *Return) Column(name string) (Column, bool) {
	for _, c := range r.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Required lists the names of the columns a file must have.
func (r *Return) Required() []string {
	var out []string
	for _, c := range r.Columns {
		if !c.Optional {
			out = append(out, c.Name)
		}
	}
	return out
}

// NormalizeName folds a header for matching: case, surrounding space, and
// runs of spaces, hyphens, underscores and dots are folded, so "Date of
// Request", "date_of_request" and "DATE-OF-REQUEST" are one name.
func NormalizeName(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r == ' ' || r == '-' || r == '_' || r == '.' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0':
			sep = true
		default:
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// HeaderMatch is how one row of cells matches a return spec.
type HeaderMatch struct {
	Return  *Return
	Index   map[string]int // column name -> cell index
	Missing []string       // required columns not found
	Unknown []string       // header cells that are no column of the spec (as written)
	Matched int            // columns found
}

// Complete reports whether every required column was found.
func (m HeaderMatch) Complete() bool { return len(m.Missing) == 0 }

// MatchHeader matches cells (a candidate header row) against the spec. A cell
// naming a column already found is reported as unknown (a duplicate).
func (r *Return) MatchHeader(cells []string) HeaderMatch {
	m := HeaderMatch{Return: r, Index: map[string]int{}}
	for i, cell := range cells {
		key := NormalizeName(cell)
		if key == "" {
			continue
		}
		name, ok := r.names[key]
		if !ok {
			m.Unknown = append(m.Unknown, strings.TrimSpace(cell))
			continue
		}
		if _, dup := m.Index[name]; dup {
			m.Unknown = append(m.Unknown, strings.TrimSpace(cell)+" (again)")
			continue
		}
		m.Index[name] = i
		m.Matched++
	}
	for _, c := range r.Columns {
		if _, ok := m.Index[c.Name]; !ok && !c.Optional {
			m.Missing = append(m.Missing, c.Name)
		}
	}
	return m
}

// plausible reports whether a row could be this spec's header: enough of
// its columns are named that a missing one is a renamed column, not a row of
// data or notes.
func (m HeaderMatch) plausible() bool {
	need := int(float64(len(m.Return.Required()))*defaultHeaderRatio + 0.5)
	if need < minHeaderMatches {
		need = minHeaderMatches
	}
	return m.Matched >= need
}

// ErrUnknownReturn is returned when no spec matches a file.
var ErrUnknownReturn = errors.New("unknown return type")

// ErrAmbiguousReturn is returned when several specs match a file equally.
var ErrAmbiguousReturn = errors.New("ambiguous return type")

// ByFileName returns the return whose file prefix starts the file's base name
// (census_2025.csv, Census-Jan.xlsx), if exactly one does.
func (s *Set) ByFileName(name string) (*Return, bool) {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	var found *Return
	best := 0
	for _, r := range s.Returns {
		for _, p := range r.FilePrefixes {
			p = strings.ToLower(p)
			if strings.HasPrefix(base, p) && len(base) > len(p) && strings.ContainsRune("_-. ", rune(base[len(p)])) && len(p) > best {
				found, best = r, len(p)
			}
		}
	}
	return found, found != nil
}

// FindHeader looks through rows (the top of a sheet) for the header of one of
// the candidate returns. It returns the row index and match. With one
// candidate, the best plausible row is returned even if columns are missing,
// so the caller can say which; with several, only complete matches count and
// two different returns matching equally is ErrAmbiguousReturn.
func FindHeader(rows [][]string, candidates []*Return) (int, HeaderMatch, error) {
	type hit struct {
		row int
		m   HeaderMatch
	}
	var complete, partial []hit
	for i, cells := range rows {
		for _, r := range candidates {
			m := r.MatchHeader(cells)
			switch {
			case m.Complete() && m.plausible():
				complete = append(complete, hit{i, m})
			case m.Matched >= minHeaderMatches:
				// Only used when the return is known: enough named columns to
				// say which are missing.
				partial = append(partial, hit{i, m})
			}
		}
	}
	pick := func(hits []hit) (hit, []string) {
		// The first row that matches wins for each return; between returns,
		// the one matching more of its columns.
		firstByReturn := map[string]hit{}
		for _, h := range hits {
			if _, seen := firstByReturn[h.m.Return.Name]; !seen {
				firstByReturn[h.m.Return.Name] = h
			}
		}
		var best hit
		var tied []string
		for _, h := range firstByReturn {
			switch {
			case best.m.Return == nil || score(h.m) > score(best.m):
				best, tied = h, []string{h.m.Return.Name}
			case score(h.m) == score(best.m):
				tied = append(tied, h.m.Return.Name)
			}
		}
		sort.Strings(tied)
		return best, tied
	}
	if len(complete) > 0 {
		best, tied := pick(complete)
		if len(tied) > 1 {
			return 0, HeaderMatch{}, fmt.Errorf("%w: the header matches %s: name the type with --return", ErrAmbiguousReturn, strings.Join(tied, " and "))
		}
		return best.row, best.m, nil
	}
	if len(candidates) == 1 && len(partial) > 0 {
		// The row naming most of the return's columns is the header.
		best := partial[0]
		for _, h := range partial[1:] {
			if score(h.m) > score(best.m) {
				best = h
			}
		}
		return best.row, best.m, nil
	}
	return 0, HeaderMatch{}, fmt.Errorf("%w: no header row in the first %d rows matches the columns of %s", ErrUnknownReturn, len(rows), candidateNames(candidates))
}

// score ranks matches: more matched columns first, fewer unknown cells next.
func score(m HeaderMatch) int { return m.Matched*100 - len(m.Unknown) }

func candidateNames(rs []*Return) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Name
	}
	if len(names) == 1 {
		return "the " + names[0] + " return"
	}
	return "any return (" + strings.Join(names, ", ") + ")"
}
