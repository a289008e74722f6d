// Package tabular reads the rows of returns sent as CSV or Excel files as
// text, with the exact position of each row, streaming.
//
// It does not interpret the rows: the caller finds the header row (it may
// be below a title and notes) and types the values. Readers only decode
// text faithfully: CSV in UTF-8 (with or without BOM), UTF-16 or
// Windows-1252, with the delimiter detected; Excel cells as their raw
// stored values, so numbers and dates come out as numbers and Excel serial
// day numbers, never in a locale's display format.
//
// [Open] picks the reader by file extension. Problems with a file are
// returned as [*Error], which carries the file, sheet, line and column.
package tabular

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"strings"
)

// Row is one row of a sheet as text, with its 1-based position.
type Row struct {
	// Line is where the row is in the file. CSV: the 1-based line number
	// where the record starts, counting every physical line (the header,
	// blank lines, and line breaks inside quoted fields). XLSX: the sheet's
	// row number, as Excel shows it.
	Line int
	// Cells are the cell texts, trailing empty cells trimmed. Rows may be
	// shorter or longer than each other. Rows with no cells at all (blank
	// lines, empty spreadsheet rows) are not yielded.
	Cells []string
}

// Sheet is one sheet of a file, in workbook order.
type Sheet struct {
	Name   string // "" for the single sheet of a CSV file
	Hidden bool   // hidden or very hidden in the workbook
}

// File is an open CSV or XLSX file.
type File interface {
	// Sheets lists the sheets in workbook order, hidden ones included.
	// A CSV file has one sheet named "".
	Sheets() []Sheet
	// Rows iterates the rows of the named sheet from its start. It reads
	// the file as it goes and may be called again to re-read the sheet.
	// On a problem it yields one non-nil error (an [*Error]) and stops;
	// a cancelled ctx yields ctx's error.
	Rows(ctx context.Context, sheet string) iter.Seq2[Row, error]
	// Format is "csv" or "xlsx".
	Format() string
	// Date1904 reports whether the workbook uses Excel's 1904 date system
	// (the old Excel for Mac default): its serial day numbers count from
	// 1 January 1904, so add [Date1904Offset] to read them as 1900-system
	// serials. Always false for CSV.
	Date1904() bool
	// Close releases the file. Rows must not be iterated after Close.
	Close() error
}

// Sentinel errors, held by an [*Error] (test with errors.Is).
var (
	// ErrUnsupported: the file's extension is not one Open reads.
	ErrUnsupported = errors.New("unsupported file type")
	// ErrNoSheet: Rows was asked for a sheet the file does not have.
	ErrNoSheet = errors.New("no such sheet")
	// ErrQuote: a quoted CSV field is never closed.
	ErrQuote = errors.New(`quoted field is never closed: look for a stray " in it`)
	// ErrRecordTooLong: a CSV record is longer than the limit, usually
	// because of a stray quote that swallowed the rest of the file.
	ErrRecordTooLong = errors.New("record too long")
	// ErrCorrupt: the workbook cannot be read; save it again from Excel.
	ErrCorrupt = errors.New("unreadable workbook")
)

// extensions maps the file extensions Open reads to their format.
var extensions = map[string]string{
	".csv": "csv", ".tsv": "csv", ".txt": "csv",
	".xlsx": "xlsx", ".xlsm": "xlsx",
}

// Open opens the file at path, choosing the reader by its extension
// (case-insensitive): .csv, .tsv and .txt are read as delimited text,
// .xlsx and .xlsm as Excel workbooks. Anything else, including the old
// binary .xls, returns an [*Error] wrapping [ErrUnsupported].
func Open(path string) (File, error) {
	switch extensions[strings.ToLower(filepath.Ext(path))] {
	case "csv":
		return OpenCSV(path, CSVOptions{})
	case "xlsx":
		return OpenXLSX(path)
	}
	return nil, &Error{File: path, Err: fmt.Errorf("%w %q: save it as .csv, .tsv, .txt, .xlsx or .xlsm",
		ErrUnsupported, filepath.Ext(path))}
}

// Error is a problem reading a file, with its position. Its message reads
// "file[:sheet][:line[:column]]: problem".
type Error struct {
	File   string // the path or name the file was opened with
	Sheet  string // the sheet; "" for CSV
	Line   int    // CSV: line where the record starts; XLSX: row number; 0 if not known
	Column int    // 1-based field (CSV) or column (XLSX) number; 0 if not known
	Err    error  // what went wrong; may be one of the sentinels above
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Sheet != "" {
		b.WriteString(":")
		b.WriteString(e.Sheet)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Err == nil {
		b.WriteString("unknown error")
	} else {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// trimRight drops trailing empty cells.
func trimRight(cells []string) []string {
	n := len(cells)
	for n > 0 && cells[n-1] == "" {
		n--
	}
	return cells[:n]
}

// Date1904Offset is the number of days between the 1900 and 1904 date
// systems: serial n in a 1904 workbook is serial n+1462 in a 1900 one.
const Date1904Offset = 1462

// ctxCheckEvery is how many rows pass between checks for cancellation.
const ctxCheckEvery = 256
