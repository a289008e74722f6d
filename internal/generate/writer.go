package generate

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// Date renderings used by the styles.
const (
	isoDate   = "2006-01-02"
	ukDate    = "02/01/2006"
	ukDateMon = "02-Jan-2006"
)

// How an .xlsx file stores dates.
const (
	xDateCell   = iota // a number with a yyyy-mm-dd format
	xDateShort         // a number with Excel's built-in short date format (14)
	xDateSerial        // a bare serial number, General format
	xDateText          // text "16/01/2025"
)

// suppressionSymbols are the "no value" markers of published statistics.
var suppressionSymbols = []string{"x", "c", "z", ":", "..", "low", "u"}

// column is one column of a return file.
type column struct {
	name   string // canonical name (pipelines/returns/*.yaml)
	header string // as written in the file; "" = name
	sum    bool   // totalled in a Total row
}

func (c column) label() string {
	if c.header != "" {
		return c.header
	}
	return c.name
}

// style is how one file is written: the quirks of "What real files look
// like" (returns.md) that this file carries. The zero style is a clean,
// canonical file.
type style struct {
	quirks []string // names recorded in the manifest

	// CSV
	delim  rune
	bom    bool
	cp1252 bool
	crlf   bool

	// Both formats.
	dateLayout string                       // CSV dates and xlsx text dates; "" = ISO
	yesNo      bool                         // CSV booleans as Y/N (else true/false)
	pounds     bool                         // money as "£1,234" and "(1,234)"
	padInts    bool                         // trailing spaces after whole numbers
	suppress   map[string]bool              // optional columns whose blanks are suppression symbols
	alias      map[string]map[string]string // column -> value -> alternative spelling, on every other row

	// XLSX
	notesSheet    bool
	title         bool // a title and a notes row above the header
	mergeTitle    bool
	hide          []string // hidden columns
	total         bool     // a Total row with SUM formulas at the bottom
	formula       bool     // in_year_balance as a formula
	trailingBlank int      // empty (formatted) rows after the data
	xDate         int
	moneyText     bool // money as text cells
}

// faultSpec plans one deliberately bad row: the at-th generated row of the
// file gets column col changed by mutate (or written twice when dup).
type faultSpec struct {
	at     int
	col    string
	rule   string
	mutate func(value) value
	dup    bool
}

// fileSpec is everything decided about a file before any row is generated.
type fileSpec struct {
	key    string
	name   string
	ret    string
	format Format
	sheet  string
	title  string
	notes  []string
	cols   []column
	st     style
	faults []faultSpec
}

// fileWriter streams the rows of one file into a temporary file in the
// output directory; close renames it into place.
type fileWriter struct {
	spec *fileSpec
	dir  string
	tmp  *os.File

	// CSV
	bw *bufio.Writer
	tw io.WriteCloser
	cw *csv.Writer

	// XLSX
	xf       *excelize.File
	sw       *excelize.StreamWriter
	dateSt   int
	moneySt  int
	blankSt  int
	colIndex map[string]int

	seen     int // rows handed to write (faults are planned against this)
	rows     int // data rows in the file
	rec      int // spreadsheet row number of the last row written
	line     int // CSV: physical lines written
	lastLine int // CSV: line on which the last record starts
	header   int // row number of the header
	faults   []Fault
	sums     []float64
	sym      int
}

func openWriter(dir string, spec *fileSpec) (*fileWriter, error) {
	tmp, err := os.CreateTemp(dir, "."+spec.name+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", spec.name, err)
	}
	w := &fileWriter{spec: spec, dir: dir, tmp: tmp, sums: make([]float64, len(spec.cols)),
		colIndex: map[string]int{}}
	for i, c := range spec.cols {
		w.colIndex[c.name] = i
	}
	if spec.format == FormatXLSX {
		err = w.openXLSX()
	} else {
		err = w.openCSV()
	}
	if err != nil {
		w.abort()
		return nil, fmt.Errorf("%s: %w", spec.name, err)
	}
	return w, nil
}

func (w *fileWriter) openCSV() error {
	st := w.spec.st
	w.bw = bufio.NewWriterSize(w.tmp, 1<<16)
	var out io.Writer = w.bw
	if st.bom {
		w.bw.WriteString("\uFEFF")
	}
	if st.cp1252 {
		w.tw = transform.NewWriter(w.bw, charmap.Windows1252.NewEncoder())
		out = w.tw
	}
	w.cw = csv.NewWriter(out)
	if st.delim != 0 {
		w.cw.Comma = st.delim
	}
	w.cw.UseCRLF = st.crlf
	return w.writeHeader()
}

func (w *fileWriter) openXLSX() error {
	spec, st := w.spec, w.spec.st
	w.xf = excelize.NewFile()
	sheet := spec.sheet
	if st.notesSheet {
		if err := w.xf.SetSheetName("Sheet1", "Notes"); err != nil {
			return err
		}
		for i, n := range spec.notes {
			if err := w.xf.SetCellValue("Notes", fmt.Sprintf("A%d", i+1), n); err != nil {
				return err
			}
		}
		if _, err := w.xf.NewSheet(sheet); err != nil {
			return err
		}
	} else if err := w.xf.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	var err error
	if w.sw, err = w.xf.NewStreamWriter(sheet); err != nil {
		return err
	}
	switch st.xDate {
	case xDateShort:
		w.dateSt, err = w.xf.NewStyle(&excelize.Style{NumFmt: 14})
	case xDateCell:
		f := "yyyy-mm-dd"
		if st.dateLayout == ukDateMon {
			f = "dd-mmm-yyyy"
		}
		w.dateSt, err = w.xf.NewStyle(&excelize.Style{CustomNumFmt: &f})
	}
	if err != nil {
		return err
	}
	if st.pounds && !st.moneyText {
		f := `"£"#,##0;(#,##0)`
		if w.moneySt, err = w.xf.NewStyle(&excelize.Style{CustomNumFmt: &f}); err != nil {
			return err
		}
	}
	if w.blankSt, err = w.xf.NewStyle(&excelize.Style{Border: []excelize.Border{{Type: "bottom", Color: "BFBFBF", Style: 1}}}); err != nil {
		return err
	}
	if err := w.sw.SetColWidth(1, len(spec.cols), 16); err != nil {
		return err
	}
	for _, h := range st.hide {
		if i, ok := w.colIndex[h]; ok {
			if err := w.sw.SetColVisible(i+1, i+1, false); err != nil {
				return err
			}
		}
	}
	if st.title {
		bold, _ := w.xf.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
		if err := w.sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: spec.title}}); err != nil {
			return err
		}
		if st.mergeTitle {
			last, _ := excelize.ColumnNumberToName(len(spec.cols))
			if err := w.sw.MergeCell("A1", last+"1"); err != nil {
				return err
			}
		}
		note := "Source: synthetic data from planmetrics generate."
		if len(spec.notes) > 0 {
			note = spec.notes[0]
		}
		if err := w.sw.SetRow("A2", []any{note}); err != nil {
			return err
		}
		w.rec = 3 // row 3 left empty
	}
	return w.writeHeader()
}

func (w *fileWriter) writeHeader() error {
	labels := make([]string, len(w.spec.cols))
	for i, c := range w.spec.cols {
		labels[i] = c.label()
	}
	if err := w.emit(labels, nil); err != nil {
		return err
	}
	if w.header == 0 {
		w.header = w.rec
	}
	return nil
}

// repeatHeader writes the header again, as when two returns are pasted
// into one file.
func (w *fileWriter) repeatHeader() error { return w.writeHeader() }

// write adds one data row (values in canonical column order).
func (w *fileWriter) write(vals []value) error {
	w.seen++
	for _, f := range w.spec.faults {
		if f.at != w.seen {
			continue
		}
		if f.dup {
			if err := w.data(vals); err != nil {
				return err
			}
			first := w.rec
			if w.spec.format != FormatXLSX {
				first = w.lastLine
			}
			if err := w.data(vals); err != nil {
				return err
			}
			w.record(f, vals, first)
			return nil
		}
		i := w.colIndex[f.col]
		bad := append([]value(nil), vals...)
		bad[i] = f.mutate(vals[i])
		if err := w.data(bad); err != nil {
			return err
		}
		w.record(f, bad, 0)
		return nil
	}
	return w.data(vals)
}

func (w *fileWriter) record(f faultSpec, vals []value, dupOf int) {
	flt := Fault{Row: w.rec, Column: f.col, Rule: f.rule, DuplicateOf: dupOf}
	if w.spec.format == FormatXLSX {
		flt.Sheet = w.spec.sheet
	} else {
		flt.Row, flt.Record = w.lastLine, w.rec
	}
	if i, ok := w.colIndex[f.col]; ok {
		c := w.spec.cols[i]
		flt.Header = c.label()
		flt.Value = w.render(vals[i], c, w.rows)
	} else {
		// A duplicate: the key's values, joined like its columns.
		var key []string
		for _, k := range strings.Split(f.col, "+") {
			i := w.colIndex[k]
			key = append(key, w.render(vals[i], w.spec.cols[i], w.rows))
		}
		flt.Value = strings.Join(key, "+")
	}
	w.faults = append(w.faults, flt)
}

// data writes a data row.
func (w *fileWriter) data(vals []value) error {
	w.rows++
	if w.spec.format == FormatXLSX {
		return w.emit(nil, w.cells(vals))
	}
	fields := make([]string, len(vals))
	for i, v := range vals {
		fields[i] = w.render(v, w.spec.cols[i], w.rows)
	}
	return w.emit(fields, nil)
}

// emit writes a CSV record (fields) or an xlsx row (cells).
func (w *fileWriter) emit(fields []string, cells []any) error {
	w.rec++
	if w.spec.format == FormatXLSX {
		if cells == nil {
			cells = make([]any, len(fields))
			for i, f := range fields {
				cells[i] = f
			}
		}
		return w.sw.SetRow(fmt.Sprintf("A%d", w.rec), cells)
	}
	w.lastLine = w.line + 1
	for _, f := range fields {
		w.line += strings.Count(f, "\n")
	}
	w.line++
	return w.cw.Write(fields)
}

// render is a value as CSV text (or xlsx text) in this file's style.
func (w *fileWriter) render(v value, c column, row int) string {
	st := w.spec.st
	switch v.k {
	case kNull:
		if st.suppress[c.name] {
			w.sym++
			return suppressionSymbols[w.sym%len(suppressionSymbols)]
		}
		return ""
	case kText:
		if a, ok := st.alias[c.name][v.s]; ok && row%2 == 0 {
			return a
		}
		return v.s
	case kDate:
		if st.dateLayout != "" {
			return v.t.Format(st.dateLayout)
		}
	case kMoney:
		if st.moneyText {
			return pounds(v.f) + " "
		}
		if st.pounds {
			return pounds(v.f)
		}
	case kBool:
		if st.yesNo && v.b {
			return "Y"
		} else if st.yesNo {
			return "N"
		}
	case kInt:
		if st.padInts {
			return v.plain() + " "
		}
	}
	return v.plain()
}

// cells is a data row as typed xlsx cells.
func (w *fileWriter) cells(vals []value) []any {
	st := w.spec.st
	out := make([]any, len(vals))
	for i, v := range vals {
		c := w.spec.cols[i]
		switch v.k {
		case kNull:
			if st.suppress[c.name] {
				out[i] = w.render(v, c, w.rows)
			}
		case kInt:
			if c.sum {
				w.sums[i] += float64(v.i)
			}
			out[i] = v.i
			if st.padInts {
				out[i] = w.render(v, c, w.rows)
			}
		case kMoney:
			if c.sum {
				w.sums[i] += v.f
			}
			switch {
			case v.k == kMoney && st.moneyText:
				out[i] = pounds(v.f) + " "
			case v.k == kMoney && w.moneySt != 0:
				out[i] = excelize.Cell{StyleID: w.moneySt, Value: v.f}
			default:
				out[i] = v.f
			}
			if c.name == "in_year_balance" && st.formula {
				inc, _ := excelize.ColumnNumberToName(w.colIndex["total_income"] + 1)
				exp, _ := excelize.ColumnNumberToName(w.colIndex["total_expenditure"] + 1)
				out[i] = excelize.Cell{StyleID: w.moneySt, Formula: fmt.Sprintf("%s%d-%s%d", inc, w.rec+1, exp, w.rec+1), Value: v.f}
			}
		case kDate:
			switch st.xDate {
			case xDateSerial:
				out[i] = excelSerial(v.t)
			case xDateText:
				out[i] = w.render(v, c, w.rows)
			default:
				out[i] = excelize.Cell{StyleID: w.dateSt, Value: v.t}
			}
		case kBool:
			out[i] = v.b
		default:
			out[i] = w.render(v, c, w.rows)
		}
	}
	return out
}

// close finishes the file and renames it into place.
func (w *fileWriter) close() (FileInfo, error) {
	var err error
	if w.spec.format == FormatXLSX {
		err = w.finishXLSX()
	} else {
		w.cw.Flush()
		err = w.cw.Error()
		if err == nil && w.tw != nil {
			err = w.tw.Close()
		}
		if err == nil {
			err = w.bw.Flush()
		}
	}
	if err == nil {
		err = w.tmp.Sync()
	}
	if cerr := w.tmp.Close(); err == nil {
		err = cerr
	}
	final := filepath.Join(w.dir, w.spec.name)
	if err == nil {
		err = os.Rename(w.tmp.Name(), final)
	}
	if err != nil {
		os.Remove(w.tmp.Name())
		return FileInfo{}, fmt.Errorf("write %s: %w", final, err)
	}
	fi := FileInfo{
		Name: w.spec.name, Return: w.spec.ret, Format: string(w.spec.format),
		HeaderRow: w.header, Rows: w.rows, Rejected: len(w.faults),
		Faults: w.faults, Quirks: w.spec.st.quirks,
	}
	if w.spec.format == FormatXLSX {
		fi.Sheet = w.spec.sheet
	}
	if fi.Faults == nil {
		fi.Faults = []Fault{}
	}
	if fi.Quirks == nil {
		fi.Quirks = []string{}
	}
	if st, err := os.Stat(final); err == nil {
		fi.Bytes = st.Size()
	}
	return fi, nil
}

func (w *fileWriter) finishXLSX() error {
	st := w.spec.st
	if st.total {
		row := make([]any, len(w.spec.cols))
		row[0] = "Total"
		for i, c := range w.spec.cols {
			if !c.sum {
				continue
			}
			col, _ := excelize.ColumnNumberToName(i + 1)
			row[i] = excelize.Cell{StyleID: w.moneySt, Value: w.sums[i],
				Formula: fmt.Sprintf("SUM(%s%d:%s%d)", col, w.header+1, col, w.rec)}
		}
		if err := w.emit(nil, row); err != nil {
			return err
		}
	}
	for range st.trailingBlank {
		row := make([]any, len(w.spec.cols))
		for i := range row {
			row[i] = excelize.Cell{StyleID: w.blankSt}
		}
		if err := w.emit(nil, row); err != nil {
			return err
		}
	}
	if err := w.sw.Flush(); err != nil {
		return err
	}
	_, err := w.xf.WriteTo(w.tmp)
	return errors.Join(err, w.xf.Close())
}

// abort discards the temporary file.
func (w *fileWriter) abort() {
	if w.xf != nil {
		w.xf.Close()
	}
	w.tmp.Close()
	os.Remove(w.tmp.Name())
}
