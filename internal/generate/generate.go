// Package generate writes synthetic but realistic returns (census, schools,
// exclusions, ehcp, budgets, dsg) for demos, tests and benchmarks.
//
// The output is deterministic: the same [Options] give byte-identical CSV
// files and cell-identical workbooks. At the hackney scale the figures look
// like the borough's (about 70 schools in 8 neighbourhoods, about 30,000
// pupils, falling primary rolls, over-represented groups in exclusions and
// SEN); london and england repeat that borough 10 and 100 times with their
// own schools and pupils. Rows are written as they are generated, so memory
// stays flat whatever the scale.
//
// With Messy set, files carry the quirks of real returns (encodings,
// separators, date and number spellings, title rows, totals, suppression
// symbols...) and a known set of deliberately bad rows, listed in
// _manifest.json so tests can check that the loader rejects exactly those.
package generate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Scale is how much data to generate.
type Scale string

// Scales.
const (
	ScaleHackney Scale = "hackney" // one borough: ~70 schools, ~30,000 pupils
	ScaleLondon  Scale = "london"  // 10 boroughs' worth
	ScaleEngland Scale = "england" // 100 boroughs' worth
	// ScaleTiny is the hackney borough with a fifth of its pupils (every
	// school, small classes): all the structure in a second, for tests.
	ScaleTiny Scale = "tiny"
)

// Format is the file format of the returns.
type Format string

// Formats.
const (
	FormatCSV   Format = "csv"
	FormatXLSX  Format = "xlsx"
	FormatMixed Format = "mixed" // schools and budgets as xlsx, the rest csv
)

// ManifestName is the manifest written next to the returns. Its leading
// underscore makes the loader skip it.
const ManifestName = "_manifest.json"

// latestYear starts the latest academic year generated (2024/25).
const latestYear = 2024

// MaxYears is the most academic years [Generate] will simulate.
const MaxYears = 10

// Options say what to generate.
type Options struct {
	Scale  Scale
	Seed   int64
	OutDir string
	Format Format
	// Messy adds real-file quirks and deliberately bad rows.
	Messy bool
	// Years is the number of academic years, ending 2024/25 (default 5).
	Years int
	// Termly adds the autumn (October) and summer (May) censuses of the
	// latest year to the January ones. They are off by default: with them
	// the hackney sample is about 13 MB instead of 9.
	Termly bool
}

// Validate checks the options and says how to fix them.
func (o Options) Validate() error {
	var errs []error
	if o.districts() == 0 {
		errs = append(errs, fmt.Errorf("scale %q: use hackney, london, england or tiny", o.Scale))
	}
	switch o.Format {
	case FormatCSV, FormatXLSX, FormatMixed:
	default:
		errs = append(errs, fmt.Errorf("format %q: use csv, xlsx or mixed", o.Format))
	}
	if o.Scale == ScaleEngland && o.Format != FormatCSV {
		errs = append(errs, errors.New("england scale exceeds Excel's row limit: use --format csv"))
	}
	if o.Years < 1 || o.Years > MaxYears {
		errs = append(errs, fmt.Errorf("years %d: use 1 to %d", o.Years, MaxYears))
	}
	if o.OutDir == "" {
		errs = append(errs, errors.New("no output directory: set --out DIR"))
	}
	return errors.Join(errs...)
}

func (o Options) districts() int {
	switch o.Scale {
	case ScaleHackney, ScaleTiny:
		return 1
	case ScaleLondon:
		return 10
	case ScaleEngland:
		return 100
	}
	return 0
}

// size scales a district's classes and places.
func (o Options) size() float64 {
	if o.Scale == ScaleTiny {
		return 0.2
	}
	return 1
}

// firstYear starts the first academic year generated.
func (o Options) firstYear() int { return latestYear - o.Years + 1 }

// asAt is the date the generated data describe: the end of October 2025,
// when the 2025-26 Q2 budget monitoring is in.
var asAt = day(latestYear+1, time.October, 31)

// Manifest describes a generated set of returns.
type Manifest struct {
	Generator string     `json:"generator"`
	Seed      int64      `json:"seed"`
	Scale     Scale      `json:"scale"`
	Format    Format     `json:"format"`
	Messy     bool       `json:"messy"`
	Termly    bool       `json:"termly"`
	Years     []string   `json:"academic_years"`
	AsAt      string     `json:"as_at"`
	Files     []FileInfo `json:"files"`
}

// FileInfo describes one generated file. For every file, rows read by the
// loader should equal Rows, of which Rejected are rejected: exactly the rows
// listed in Faults.
type FileInfo struct {
	Name   string `json:"name"`
	Return string `json:"return"`
	Format string `json:"format"`
	Sheet  string `json:"sheet,omitempty"` // data sheet of an xlsx file
	// HeaderRow is the spreadsheet row of the header (first one, when it
	// is repeated).
	HeaderRow int `json:"header_row"`
	// Rows counts data rows: header, title, notes, blank, total and
	// repeated header rows are not data rows.
	Rows     int      `json:"rows"`
	Rejected int      `json:"expected_rejected"`
	Bytes    int64    `json:"bytes"`
	Quirks   []string `json:"quirks"`
	Faults   []Fault  `json:"faults"`
}

// Fault is one deliberately bad row. Its fields follow meta.rejects.
type Fault struct {
	// Row is where the loader reports the row: for CSV the physical line
	// the record starts on (header = 1, a line break inside a quoted field
	// counts), for xlsx the sheet row as Excel shows it.
	Row int `json:"row"`
	// Record is the CSV record number, header = 1: the row a spreadsheet
	// program shows. It differs from Row after an embedded line break.
	Record int    `json:"record,omitempty"`
	Sheet  string `json:"sheet,omitempty"`
	// Column is the canonical column name; for a duplicate, the unique key
	// columns joined with "+" (census_date+urn+upn).
	Column string `json:"column"`
	Header string `json:"header,omitempty"` // the column's header as written
	// Rule is the rule the row breaks, named as in meta.rejects: type,
	// code, required, range, pattern, upn or duplicate.
	Rule  string `json:"rule"`
	Value string `json:"value"` // the bad value as written
	// DuplicateOf is, for a duplicate, the earlier row with the same key;
	// that row is valid and is accepted.
	DuplicateOf int `json:"duplicate_of,omitempty"`
}

// Generate writes the returns described by opts into opts.OutDir and a
// manifest beside them, and returns the manifest. Files are written
// owner-only, each through a temporary file renamed into place. Files
// listed in a manifest already in OutDir are removed first, so a run never
// leaves another run's files behind.
func Generate(ctx context.Context, opts Options) (Manifest, error) {
	if err := opts.Validate(); err != nil {
		return Manifest{}, err
	}
	if err := os.MkdirAll(opts.OutDir, 0o700); err != nil {
		return Manifest{}, fmt.Errorf("output directory: %w", err)
	}
	if err := removePrevious(opts.OutDir); err != nil {
		return Manifest{}, err
	}
	specs := plan(opts)
	out := &outputs{byKey: map[string]*fileWriter{}}
	for _, s := range specs {
		w, err := openWriter(opts.OutDir, s)
		if err != nil {
			out.abort()
			return Manifest{}, err
		}
		out.byKey[s.key] = w
		out.order = append(out.order, w)
	}
	if err := fill(ctx, opts, out); err != nil {
		out.abort()
		return Manifest{}, err
	}
	m := Manifest{
		Generator: "planmetrics generate", Seed: opts.Seed, Scale: opts.Scale,
		Format: opts.Format, Messy: opts.Messy, Termly: opts.Termly, AsAt: asAt.Format(isoDate),
	}
	for y := opts.firstYear(); y <= latestYear; y++ {
		m.Years = append(m.Years, academicYear(y))
	}
	for i, w := range out.order {
		fi, err := w.close()
		if err != nil {
			for _, rest := range out.order[i+1:] {
				rest.abort()
			}
			return Manifest{}, err
		}
		m.Files = append(m.Files, fi)
	}
	if err := writeManifest(opts.OutDir, m); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// fill generates every district's rows, then the LA-level ones.
func fill(ctx context.Context, opts Options, out *outputs) error {
	n := opts.districts()
	for d := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := runDistrict(ctx, opts, d, out); err != nil {
			return err
		}
	}
	return writeDSG(opts, n, out)
}

// outputs are the open files, by plan key.
type outputs struct {
	byKey map[string]*fileWriter
	order []*fileWriter
}

func (o *outputs) get(key string) *fileWriter { return o.byKey[key] }

func (o *outputs) abort() {
	for _, w := range o.order {
		w.abort()
	}
}

func removePrevious(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read previous manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("previous manifest %s: %w (delete it to start afresh)", filepath.Join(dir, ManifestName), err)
	}
	for _, f := range m.Files {
		// Only plain names the generator itself would write.
		if f.Name == "" || strings.ContainsAny(f.Name, `/\`) || strings.HasPrefix(f.Name, ".") {
			continue
		}
		if err := os.Remove(filepath.Join(dir, f.Name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove previous %s: %w", f.Name, err)
		}
	}
	return nil
}

func writeManifest(dir string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+ManifestName+".tmp-*")
	if err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	_, err = tmp.Write(append(b, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, ManifestName))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}
