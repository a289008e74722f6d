package ingest

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels a [*FileError] may wrap. Callers test with errors.Is.
var (
	// ErrMissingColumns: the header lacks required columns of the return.
	ErrMissingColumns = errors.New("missing required columns")
	// ErrUnreadable: the file could not be opened or read as CSV or Excel.
	ErrUnreadable = errors.New("unreadable file")
	// ErrNoRows: the file is empty, or has a header but no data rows.
	ErrNoRows = errors.New("no data rows")
	// ErrSeveralSheets: more than one sheet of a workbook holds rows.
	ErrSeveralSheets = errors.New("several data sheets")
	// ErrChanged: the file changed while it was being loaded.
	ErrChanged = errors.New("the file changed while it was being loaded")
)

// FileError is a problem with a file as a whole, or with one position in it.
// It prints as file[:sheet]:row:column: message, the format editors and
// grep understand.
type FileError struct {
	File   string
	Sheet  string // empty for CSV
	Row    int    // 1-based; 0 when the problem is the whole file
	Column string
	Value  string
	Err    error
}

func (e *FileError) Error() string {
	return Position(e.File, e.Sheet, int64(e.Row), e.Column) + e.Err.Error()
}

func (e *FileError) Unwrap() error { return e.Err }

// Position formats file[:sheet][:row][:column]: for messages.
func Position(file, sheet string, row int64, column string) string {
	var b strings.Builder
	b.WriteString(file)
	if sheet != "" {
		b.WriteString(":" + sheet)
	}
	if row > 0 {
		fmt.Fprintf(&b, ":%d", row)
	}
	if column != "" {
		b.WriteString(":" + column)
	}
	b.WriteString(": ")
	return b.String()
}
