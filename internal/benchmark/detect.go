package benchmark

import (
	"archive/zip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// kind is the precise format of a file within a return type.
type kind int

const (
	kindUnknown           kind = iota
	kindEES                    // EES tidy data file
	kindEESMeta                // EES .meta.csv (col_name, col_type, label ...)
	kindLAIT                   // LAIT long table
	kindLAITDictionary         // LAIT data dictionary
	kindScorecard              // school places scorecard data
	kindScorecardMetadata      // scorecard metadata.csv (column key)
)

func (k kind) returnType() string {
	switch k {
	case kindEES, kindEESMeta:
		return TypeEES
	case kindLAIT, kindLAITDictionary:
		return TypeLAIT
	case kindScorecard, kindScorecardMetadata:
		return TypeScorecard
	}
	return ""
}

func (k kind) String() string {
	switch k {
	case kindEES:
		return "an EES tidy data file"
	case kindEESMeta:
		return "an EES metadata file (.meta.csv)"
	case kindLAIT:
		return "a LAIT long table"
	case kindLAITDictionary:
		return "the LAIT data dictionary"
	case kindScorecard:
		return "a school places scorecard"
	case kindScorecardMetadata:
		return "the school places scorecard column key (metadata.csv)"
	}
	return "an unknown format"
}

// expectedFormats says what a benchmark table file looks like, for messages.
const expectedFormats = "a benchmark CSV is an EES tidy file (columns time_period, time_identifier, geographic_level, then area codes, filters and indicators), " +
	"a LAIT long table (Short Desc, Years, LA and Regions, Values, LA Number; CSV or parquet) or its data dictionary (Measure_short, Polarity), " +
	"or a school places scorecard (Year, geographic_level, LANumber, new_la_code, LA_name, indicators) or its metadata.csv"

// classify tells a table's kind from its header.
func classify(header []string) kind {
	idx := columnIndex(header)
	switch {
	case hasAll(idx, "time_period", "time_identifier", "geographic_level"):
		return kindEES
	case hasAll(idx, "col_name", "col_type"):
		return kindEESMeta
	case hasAll(idx, "Short Desc", "Years", "Values", "LA Number"):
		return kindLAIT
	case hasAll(idx, "Measure_short", "Polarity"):
		return kindLAITDictionary
	case hasAll(idx, "Year", "geographic_level", "LANumber"):
		return kindScorecard
	case hasAll(idx, "programmer_friendly_names", "user_friendly_names"):
		return kindScorecardMetadata
	}
	return kindUnknown
}

// Detect tells a benchmark file's return type from its content: the header
// of a CSV, the columns of a parquet file, the header row of an .xlsx (only
// the statistical neighbours workbook is one), the members of a .zip. ok is
// false, with a nil error, for a file in none of these formats (a school
// return, say); err is for a file that could not be read.
func Detect(path string) (returnType string, ok bool, err error) {
	t, ok, _, err := detect(path)
	return t, ok, err
}

// detect is Detect with the reason a file is not a benchmark file.
func detect(p string) (string, bool, string, error) {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".zip":
		return detectZip(p)
	case ".parquet":
		db, err := sql.Open("duckdb", "")
		if err != nil {
			return "", false, "", err
		}
		header, err := parquetColumns(context.Background(), db, p)
		db.Close()
		if err != nil {
			return "", false, "", err
		}
		if k := classify(header); k == kindLAIT {
			return TypeLAIT, true, "", nil
		}
		return "", false, "not a benchmark file: a parquet file is loaded when it is a LAIT long table (Short Desc, Years, LA and Regions, Values, LA Number); its columns are " + headerList(header), nil
	case ".xlsx", ".xlsm":
		sheet, _, found, err := findNeighboursHeader(p)
		if err != nil {
			return "", false, "", err
		}
		if sheet != "" {
			return TypeStatisticalNeighbours, true, "", nil
		}
		return "", false, "not a benchmark file: an .xlsx is loaded only when it is the DfE statistical neighbours workbook (a header row with LA num, SN1 ... SN10); " + found, nil
	}
	header, err := readHeader(p)
	if err != nil {
		return "", false, "", err
	}
	if k := classify(header); k != kindUnknown {
		return k.returnType(), true, "", nil
	}
	return "", false, "not a benchmark file: " + expectedFormats + "; its columns are " + headerList(header), nil
}

func detectZip(p string) (string, bool, string, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return "", false, "", fmt.Errorf("open zip: %w", err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		names = append(names, f.Name)
		if !strings.EqualFold(path.Ext(f.Name), ".csv") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", false, "", fmt.Errorf("open %s in zip: %w", f.Name, err)
		}
		header, herr := headerOf(rc)
		rc.Close()
		if herr != nil {
			continue
		}
		if k := classify(header); k == kindEES || k == kindLAIT || k == kindScorecard {
			return k.returnType(), true, "", nil
		}
	}
	return "", false, "not a benchmark file: the zip holds no EES, LAIT or scorecard CSV (members: " + headerList(names) + ")", nil
}

// parquetColumns lists a parquet file's top-level columns, read by DuckDB
// (a scratch in-memory database when detecting, the load's connection when
// loading).
func parquetColumns(ctx context.Context, q execer, path string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `select column_name from (describe select * from read_parquet(?))`, path)
	if err != nil {
		return nil, fmt.Errorf("read parquet schema: %w", err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// errNotWorkbook is a file that is not an .xlsx workbook at all.
var errNotWorkbook = errors.New("cannot be opened as an .xlsx workbook")

// neighboursHeaderRows is how far down a sheet the header is looked for.
const neighboursHeaderRows = 30

// findNeighboursHeader looks for the statistical neighbours header (an LA
// number column and SN1) in the first rows of each sheet. It returns the
// sheet and 1-based row, or "" and a description of what the first sheet
// holds instead.
func findNeighboursHeader(p string) (sheet string, row int, found string, err error) {
	defer func() {
		// A damaged workbook must not bring the nightly run down.
		if r := recover(); r != nil {
			err = fmt.Errorf("read workbook: %v", r)
		}
	}()
	f, err := excelize.OpenFile(p)
	if err != nil {
		return "", 0, "", fmt.Errorf("%w: %w", errNotWorkbook, err)
	}
	defer f.Close()
	for i, sh := range f.GetSheetList() {
		rows, err := f.Rows(sh)
		if err != nil {
			return "", 0, "", fmt.Errorf("read sheet %q: %w", sh, err)
		}
		n := 0
		for rows.Next() && n < neighboursHeaderRows {
			n++
			cells, err := rows.Columns()
			if err != nil {
				rows.Close()
				return "", 0, "", fmt.Errorf("read sheet %q row %d: %w", sh, n, err)
			}
			if _, ok := neighboursLayout(cells); ok {
				rows.Close()
				return sh, n, "", nil
			}
			if i == 0 && found == "" && nonEmpty(cells) > 1 {
				found = fmt.Sprintf("its first sheet %q starts with %s", sh, headerList(trimEmpty(cells)))
			}
		}
		rows.Close()
	}
	if found == "" {
		found = "no sheet has such a header"
	}
	return "", 0, found, nil
}

func nonEmpty(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

func trimEmpty(cells []string) []string {
	var out []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}
