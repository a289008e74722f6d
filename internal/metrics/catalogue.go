package metrics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Units and directions a catalogue entry may use.
var (
	units      = []string{"percent", "per_100", "per_10000", "count", "ratio", "gbp"}
	directions = []string{"up", "down", "towards_1", "towards_0"}
)

// idPattern is what a metric id, a source return name and a seed name look
// like. They become SQL identifiers (always quoted), so keep them plain.
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Metric is one catalogue entry (pipelines/metrics/*.yaml).
type Metric struct {
	ID                string   `yaml:"id" json:"metric_id"`
	Name              string   `yaml:"name" json:"name"`
	Priority          int      `yaml:"priority" json:"priority"`
	Definition        string   `yaml:"definition" json:"definition"`
	Numerator         string   `yaml:"numerator" json:"numerator,omitempty"`
	Denominator       string   `yaml:"denominator" json:"denominator,omitempty"`
	Unit              string   `yaml:"unit" json:"unit"`
	Direction         string   `yaml:"direction" json:"direction"`
	Sources           []string `yaml:"sources" json:"sources"`
	PlanWording       []string `yaml:"plan_wording" json:"plan_wording,omitempty"`
	SameAs            string   `yaml:"same_as" json:"same_as,omitempty"`
	Notes             string   `yaml:"notes" json:"notes,omitempty"`
	HeadlineMeasure   string   `yaml:"headline_measure" json:"headline_measure"`
	HeadlineBreakdown string   `yaml:"headline_breakdown" json:"headline_breakdown"`

	// File is the metric's SQL file ("metrics/<id>.sql"), empty when the
	// metric has none yet (it awaits a later return).
	File string `yaml:"-" json:"file,omitempty"`
	// Depends lists the metrics named in the file's "-- depends:" header.
	Depends []string `yaml:"-" json:"depends,omitempty"`

	sql string
}

// PlanWordingText joins the plan quotes as they are stored in
// indicators.metrics.plan_wording.
func (m Metric) PlanWordingText() string { return strings.Join(m.PlanWording, " / ") }

// Catalogue is the set of metrics, in priority then id order.
type Catalogue []Metric

// Lookup returns the metric with id, if any.
func (c Catalogue) Lookup(id string) (Metric, bool) {
	for _, m := range c {
		if m.ID == id {
			return m, true
		}
	}
	return Metric{}, false
}

// CatalogueError is returned by [LoadCatalogue] for a catalogue entry or a
// metric file that breaks the contract. File is the path in the pipelines
// tree.
type CatalogueError struct {
	File   string
	Metric string // may be empty
	Err    error
}

func (e *CatalogueError) Error() string {
	if e.Metric != "" {
		return fmt.Sprintf("%s: metric %s: %v", e.File, e.Metric, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *CatalogueError) Unwrap() error { return e.Err }

// LoadCatalogue reads every pipelines/metrics/*.yaml file of fsys (a tree
// whose root holds metrics/) in name order, later entries replacing earlier
// ones with the same id, then attaches each metrics/<id>.sql file and its
// "-- depends:" header. A SQL file without a catalogue entry, or a
// dependency on an unknown metric, is an error.
func LoadCatalogue(fsys fs.FS) (Catalogue, error) {
	names, err := fs.Glob(fsys, "metrics/*.yaml")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("no metric catalogue: expected pipelines/metrics/*.yaml")
	}
	sort.Strings(names)
	byID := map[string]Metric{}
	for _, name := range names {
		entries, err := readCatalogueFile(fsys, name)
		if err != nil {
			return nil, err
		}
		for _, m := range entries {
			byID[m.ID] = m
		}
	}
	sqlFiles, err := fs.Glob(fsys, "metrics/*.sql")
	if err != nil {
		return nil, err
	}
	for _, file := range sqlFiles {
		id := strings.TrimSuffix(path.Base(file), ".sql")
		m, ok := byID[id]
		if !ok {
			return nil, &CatalogueError{File: file, Err: fmt.Errorf("no catalogue entry for metric %q: add one (id, name, priority, unit, direction, sources ...) to a pipelines/metrics/*.yaml file", id)}
		}
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		m.File = file
		m.sql = string(b)
		m.Depends = parseHeader(m.sql, "depends")
		byID[id] = m
	}
	cat := make(Catalogue, 0, len(byID))
	for _, m := range byID {
		if m.SameAs != "" {
			if _, ok := byID[m.SameAs]; !ok {
				return nil, &CatalogueError{File: "metrics/*.yaml", Metric: m.ID, Err: fmt.Errorf("same_as %q is not a metric in the catalogue", m.SameAs)}
			}
		}
		for _, d := range m.Depends {
			if _, ok := byID[d]; !ok {
				return nil, &CatalogueError{File: m.File, Metric: m.ID, Err: fmt.Errorf("depends on %q, which is not in the catalogue: fix the '-- depends:' line", d)}
			}
		}
		cat = append(cat, m)
	}
	sort.Slice(cat, func(i, j int) bool {
		if cat[i].Priority != cat[j].Priority {
			return cat[i].Priority < cat[j].Priority
		}
		return cat[i].ID < cat[j].ID
	})
	return cat, nil
}

func readCatalogueFile(fsys fs.FS, name string) ([]Metric, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Metrics []Metric `yaml:"metrics"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, &CatalogueError{File: name, Err: fmt.Errorf("%w (see the field list at the top of pipelines/metrics/catalogue.yaml)", err)}
	}
	seen := map[string]bool{}
	for i := range doc.Metrics {
		m := &doc.Metrics[i]
		if m.HeadlineMeasure == "" {
			m.HeadlineMeasure = "value"
		}
		if m.HeadlineBreakdown == "" {
			m.HeadlineBreakdown = "all"
		}
		m.Definition = strings.TrimSpace(m.Definition)
		if err := m.validate(); err != nil {
			return nil, &CatalogueError{File: name, Metric: m.ID, Err: err}
		}
		if seen[m.ID] {
			return nil, &CatalogueError{File: name, Metric: m.ID, Err: errors.New("listed twice in the same file: keep one entry")}
		}
		seen[m.ID] = true
	}
	return doc.Metrics, nil
}

func (m Metric) validate() error {
	var errs []error
	if !idPattern.MatchString(m.ID) {
		errs = append(errs, fmt.Errorf("id %q: use lowercase letters, digits and _ (starting with a letter)", m.ID))
	}
	if m.Name == "" {
		errs = append(errs, errors.New("name is empty"))
	}
	if m.Definition == "" {
		errs = append(errs, errors.New("definition is empty: say in plain English what is counted"))
	}
	if m.Priority < 1 || m.Priority > 5 {
		errs = append(errs, fmt.Errorf("priority %d: use 1 to 5", m.Priority))
	}
	if !slices.Contains(units, m.Unit) {
		errs = append(errs, fmt.Errorf("unit %q: use one of %s", m.Unit, strings.Join(units, ", ")))
	}
	if !slices.Contains(directions, m.Direction) {
		errs = append(errs, fmt.Errorf("direction %q: use one of %s", m.Direction, strings.Join(directions, ", ")))
	}
	if len(m.Sources) == 0 {
		errs = append(errs, errors.New("sources is empty: list the returns the metric reads (e.g. [census, schools])"))
	}
	for _, s := range m.Sources {
		if !idPattern.MatchString(s) {
			errs = append(errs, fmt.Errorf("source %q: use a return name such as census or ehcp", s))
		}
	}
	return errors.Join(errs...)
}

// parseHeader returns the comma-separated values of every "-- key: a, b"
// line in the leading comment block of a SQL file.
func parseHeader(sql, key string) []string {
	var out []string
	for line := range strings.SplitSeq(sql, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "--") {
			break
		}
		body := strings.TrimSpace(strings.TrimPrefix(line, "--"))
		k, v, ok := strings.Cut(body, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), key) {
			continue
		}
		for item := range strings.SplitSeq(v, ",") {
			if item = strings.TrimSpace(item); item != "" && !slices.Contains(out, item) {
				out = append(out, item)
			}
		}
	}
	return out
}

// CycleError is returned when metrics depend on each other in a loop.
type CycleError struct {
	Cycle []string // the metric ids in the loop, the first repeated at the end
}

func (e *CycleError) Error() string {
	return "metric dependency cycle: " + strings.Join(e.Cycle, " -> ") + ": remove one of the '-- depends:' lines"
}

// Order returns the metric ids in an order where every metric comes after
// the metrics it depends on; ties are broken by catalogue order so the
// result is stable. A loop gives a [*CycleError].
func (c Catalogue) Order() ([]string, error) {
	index := map[string]int{}
	for i, m := range c {
		index[m.ID] = i
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := make([]int, len(c))
	var order []string
	var stack []string
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case done:
			return nil
		case visiting:
			id := c[i].ID
			start := slices.Index(stack, id)
			cycle := append(slices.Clone(stack[start:]), id)
			return &CycleError{Cycle: cycle}
		}
		state[i] = visiting
		stack = append(stack, c[i].ID)
		deps := slices.Clone(c[i].Depends)
		sort.Slice(deps, func(a, b int) bool { return index[deps[a]] < index[deps[b]] })
		for _, d := range deps {
			j, ok := index[d]
			if !ok {
				return fmt.Errorf("metric %s depends on unknown metric %q", c[i].ID, d)
			}
			if err := visit(j); err != nil {
				return err
			}
		}
		stack = stack[:len(stack)-1]
		state[i] = done
		order = append(order, c[i].ID)
		return nil
	}
	for i := range c {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return order, nil
}
