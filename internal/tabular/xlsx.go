package tabular

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"
	"sync/atomic"

	"github.com/xuri/excelize/v2"
)

// maxPartBytes limits the declared unzipped size of any workbook part other
// than a worksheet. excelize reads such parts into memory, allocating their
// declared size up front; worksheets larger than its 16 MiB threshold are
// streamed from a temporary file instead.
const maxPartBytes = 256 << 20

// maxUnzipBytes limits the total unzipped size of a workbook.
const maxUnzipBytes = 4 << 30

// OpenXLSX opens an Excel workbook (.xlsx or .xlsm).
//
// Cells are read as their raw stored values: numbers as written in the file
// ("40.299999999999997"), dates as Excel serial day numbers ("45673", or
// "44211" for the same day in a 1904 date-system workbook: see
// File.Date1904), booleans as "1" and "0", formulas as their cached result (or "" when the
// file holds none, as in workbooks written by libraries that do not
// calculate), and a merged range's value in its top-left cell only. Hidden
// rows and columns are read like any other. Text cells keep their text, so
// a date typed into a text-formatted cell comes out as typed ("16/01/2025").
//
// Workbooks that reference missing parts (a drawing, a printer setting)
// open normally; a workbook excelize cannot read at all is an [*Error]
// wrapping [ErrCorrupt]. Sheet names are matched case-insensitively.
func OpenXLSX(path string) (File, error) {
	osf, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	defer osf.Close()
	fi, err := osf.Stat()
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	// excelize.OpenFile reads the parts it needs without first copying the
	// whole file into memory, as OpenReader does.
	return openWorkbook(path, osf, fi.Size(), func(opts excelize.Options) (*excelize.File, error) {
		return excelize.OpenFile(path, opts)
	})
}

// NewXLSX reads a workbook from r (size bytes) as [OpenXLSX] does; name is
// used in errors. r is read completely before NewXLSX returns.
func NewXLSX(r io.ReaderAt, size int64, name string) (File, error) {
	return openWorkbook(name, r, size, func(opts excelize.Options) (*excelize.File, error) {
		return excelize.OpenReader(io.NewSectionReader(r, 0, size), opts)
	})
}

func openWorkbook(name string, r io.ReaderAt, size int64, open func(excelize.Options) (*excelize.File, error)) (File, error) {
	if err := checkZip(r, size); err != nil {
		return nil, &Error{File: name, Err: err}
	}
	f := &xlsxFile{name: name}
	err := guard(func() (err error) {
		f.f, err = open(excelize.Options{UnzipSizeLimit: maxUnzipBytes})
		if err != nil {
			return fmt.Errorf("%w: %v: save it again from Excel as .xlsx", ErrCorrupt, err)
		}
		for _, s := range f.f.GetSheetList() {
			visible, err := f.f.GetSheetVisible(s)
			if err != nil {
				return fmt.Errorf("%w: sheet %q: %v", ErrCorrupt, s, err)
			}
			f.sheets = append(f.sheets, Sheet{Name: s, Hidden: !visible})
		}
		if len(f.sheets) == 0 {
			return fmt.Errorf("%w: no sheets: save it again from Excel as .xlsx", ErrCorrupt)
		}
		props, err := f.f.GetWorkbookProps()
		if err != nil {
			return fmt.Errorf("%w: workbook properties: %v", ErrCorrupt, err)
		}
		f.date1904 = props.Date1904 != nil && *props.Date1904
		return nil
	})
	if err != nil {
		if f.f != nil {
			f.f.Close()
		}
		return nil, &Error{File: name, Err: err}
	}
	return f, nil
}

// checkZip rejects archives that are not zip files or that declare parts
// too large to read into memory, before excelize allocates for them.
func checkZip(r io.ReaderAt, size int64) error {
	head := make([]byte, 8)
	if n, _ := r.ReadAt(head, 0); n == 8 && string(head) == "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" {
		return fmt.Errorf("%w: this is an old binary .xls or a password-protected workbook: save it from Excel as .xlsx without a password", ErrCorrupt)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("%w: not an .xlsx file (%v): save it again from Excel as .xlsx", ErrCorrupt, err)
	}
	for _, zf := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(zf.Name, `\`, "/"))
		if zf.UncompressedSize64 > maxPartBytes && !strings.HasPrefix(name, "xl/worksheets/sheet") &&
			name != "xl/sharedstrings.xml" {
			return fmt.Errorf("%w: part %s is %d bytes, over the %d limit", ErrCorrupt, zf.Name, zf.UncompressedSize64, maxPartBytes)
		}
	}
	return nil
}

type xlsxFile struct {
	name     string
	f        *excelize.File
	sheets   []Sheet
	date1904 bool
	closed   atomic.Bool
}

func (f *xlsxFile) Sheets() []Sheet { return append([]Sheet(nil), f.sheets...) }
func (f *xlsxFile) Format() string  { return "xlsx" }
func (f *xlsxFile) Date1904() bool  { return f.date1904 }

func (f *xlsxFile) Close() error {
	if f.closed.Swap(true) {
		return nil
	}
	if err := f.f.Close(); err != nil {
		return &Error{File: f.name, Err: err}
	}
	return nil
}

func (f *xlsxFile) Rows(ctx context.Context, sheet string) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		fail := func(line int, err error) {
			yield(Row{}, &Error{File: f.name, Sheet: sheet, Line: line, Err: err})
		}
		if f.closed.Load() {
			fail(0, errors.New("file is closed"))
			return
		}
		if !f.hasSheet(sheet) {
			fail(0, fmt.Errorf("%w %q: the workbook has %s", ErrNoSheet, sheet, f.sheetList()))
			return
		}
		var rows *excelize.Rows
		if err := guard(func() (err error) { rows, err = f.f.Rows(sheet); return err }); err != nil {
			fail(0, err)
			return
		}
		defer rows.Close()
		opts := excelize.Options{RawCellValue: true}
		// Next steps one row number at a time, also over rows missing from
		// the file (empty rows), for which Columns returns nothing; so the
		// count of Next calls is the row number.
		for line := 1; ; line++ {
			var more bool
			var cells []string
			err := guard(func() (err error) {
				if more = rows.Next(); more {
					cells, err = rows.Columns(opts)
				}
				return err
			})
			if err != nil {
				fail(line, err)
				return
			}
			if !more {
				break
			}
			if line%ctxCheckEvery == 1 {
				if err := ctx.Err(); err != nil {
					yield(Row{}, err)
					return
				}
			}
			if cells = trimRight(cells); len(cells) == 0 {
				continue
			}
			if !yield(Row{Line: line, Cells: cells}, nil) {
				return
			}
		}
		if err := rows.Error(); err != nil {
			fail(0, err)
		}
	}
}

func (f *xlsxFile) hasSheet(name string) bool {
	for _, s := range f.sheets {
		if strings.EqualFold(s.Name, name) {
			return true
		}
	}
	return false
}

func (f *xlsxFile) sheetList() string {
	names := make([]string, len(f.sheets))
	for i, s := range f.sheets {
		names[i] = fmt.Sprintf("%q", s.Name)
	}
	return strings.Join(names, ", ")
}

// guard runs an excelize call, turning a panic into an ErrCorrupt error.
func guard(call func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, p)
		}
	}()
	return call()
}
