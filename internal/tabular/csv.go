package tabular

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// DefaultMaxRecordBytes is the longest CSV record read by default. A longer
// record is almost always a stray quote that swallowed the rest of the file.
const DefaultMaxRecordBytes = 16 << 20

// CSVOptions configures a CSV reader. The zero value detects everything.
type CSVOptions struct {
	// Comma is the field delimiter. 0 detects it: of , ; tab and |, the one
	// that splits the first records (up to 50, or 64 KiB) most consistently
	// into more than one field; comma when none does.
	Comma rune
	// MaxRecordBytes limits the size of one record (0: DefaultMaxRecordBytes).
	MaxRecordBytes int
}

func (o CSVOptions) check() error {
	switch {
	case o.Comma < 0 || o.Comma >= utf8.RuneSelf:
		return fmt.Errorf("CSV delimiter %q is not supported: use an ASCII character such as , ; | or tab", o.Comma)
	case o.Comma == '"' || o.Comma == '\r' || o.Comma == '\n':
		return fmt.Errorf("CSV delimiter %q is not supported: use , ; | or tab", o.Comma)
	case o.MaxRecordBytes < 0:
		return fmt.Errorf("CSV MaxRecordBytes %d is negative: use 0 for the default", o.MaxRecordBytes)
	}
	return nil
}

// OpenCSV opens a delimited text file. Each call to Rows reads the file
// again from disk, so iterations are independent.
//
// Text is decoded as follows: a UTF-8 BOM is dropped; UTF-16 (LE or BE,
// with a BOM, or without one when the first character is ASCII) is
// converted to UTF-8; otherwise the bytes are taken as UTF-8, and any field
// that is not valid UTF-8 is decoded as Windows-1252 (what Excel writes for
// "CSV" on UK Windows), so one stray '£' byte in a UTF-8 file still reads.
//
// Records follow RFC 4180 as Excel reads it: a field starting with a quote
// is quoted, may hold delimiters and line breaks, and a doubled quote
// stands for one; after its closing quote any further text up to the next
// delimiter is kept as is. A quote inside an unquoted field is an ordinary
// character. Lines end with LF, CRLF or a lone CR. Cells keep their text
// exactly (no trimming); line breaks inside quoted fields are kept as
// written. A quoted field never closed is an [*Error] wrapping [ErrQuote].
func OpenCSV(path string, opts CSVOptions) (File, error) {
	if err := opts.check(); err != nil {
		return nil, &Error{File: path, Err: err}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	if fi.IsDir() {
		return nil, &Error{File: path, Err: errors.New("is a directory, not a file")}
	}
	return &csvFile{name: path, opts: opts, open: func() (io.ReadCloser, error) { return os.Open(path) }}, nil
}

// NewCSV reads delimited text from r (size bytes), as [OpenCSV] does; name
// is used in errors. Iterations read r independently through ReadAt, so
// they may run concurrently. Close does not close r.
func NewCSV(r io.ReaderAt, size int64, name string, opts CSVOptions) (File, error) {
	if err := opts.check(); err != nil {
		return nil, &Error{File: name, Err: err}
	}
	return &csvFile{name: name, opts: opts, open: func() (io.ReadCloser, error) {
		return io.NopCloser(io.NewSectionReader(r, 0, size)), nil
	}}, nil
}

type csvFile struct {
	name   string
	opts   CSVOptions
	open   func() (io.ReadCloser, error)
	closed atomic.Bool
}

func (f *csvFile) Sheets() []Sheet { return []Sheet{{Name: ""}} }
func (f *csvFile) Format() string  { return "csv" }
func (f *csvFile) Date1904() bool  { return false }
func (f *csvFile) Close() error    { f.closed.Store(true); return nil }

func (f *csvFile) Rows(ctx context.Context, sheet string) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		fail := func(line, col int, err error) {
			yield(Row{}, &Error{File: f.name, Line: line, Column: col, Err: err})
		}
		switch {
		case sheet != "":
			fail(0, 0, fmt.Errorf("%w %q: a CSV file has one sheet, named \"\"", ErrNoSheet, sheet))
			return
		case f.closed.Load():
			fail(0, 0, errors.New("file is closed"))
			return
		}
		rc, err := f.open()
		if err != nil {
			fail(0, 0, err)
			return
		}
		defer rc.Close()
		r := newCSVReader(rc, f.opts)
		for n := 0; ; n++ {
			if n%ctxCheckEvery == 0 {
				if err := ctx.Err(); err != nil {
					yield(Row{}, err)
					return
				}
			}
			row, err := r.read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var pe *posError
				if errors.As(err, &pe) {
					fail(pe.line, pe.col, pe.err)
				} else {
					fail(r.line, 0, err)
				}
				return
			}
			if len(row.Cells) == 0 {
				continue
			}
			if !yield(row, nil) {
				return
			}
		}
	}
}

// posError is a parse problem at a position, turned into an *Error by Rows.
type posError struct {
	line, col int
	err       error
}

func (e *posError) Error() string { return e.err.Error() }

// Detection reads this much of the decoded text.
const (
	sniffBytes   = 64 << 10
	sniffRecords = 50
)

var bomUTF8 = []byte{0xEF, 0xBB, 0xBF}

// csvReader parses records from decoded text.
type csvReader struct {
	br    *bufio.Reader
	comma byte
	max   int
	line  int    // line number of the next byte
	rec   []byte // the current record's field bytes, concatenated
	ends  []int  // end offset in rec of each field
}

func newCSVReader(src io.Reader, opts CSVOptions) *csvReader {
	br := bufio.NewReaderSize(src, sniffBytes)
	head, _ := br.Peek(2)
	var enc *unicode.Endianness
	bom := unicode.IgnoreBOM
	switch {
	case bytes.HasPrefix(head, bomUTF8[:2]):
		if h, _ := br.Peek(3); bytes.Equal(h, bomUTF8) {
			br.Discard(3)
		}
	case bytes.Equal(head, []byte{0xFF, 0xFE}):
		enc, bom = ptr(unicode.LittleEndian), unicode.ExpectBOM
	case bytes.Equal(head, []byte{0xFE, 0xFF}):
		enc, bom = ptr(unicode.BigEndian), unicode.ExpectBOM
	case len(head) == 2 && head[0] != 0 && head[0] < utf8.RuneSelf && head[1] == 0:
		enc = ptr(unicode.LittleEndian) // UTF-16 without a BOM: "a\x00"
	case len(head) == 2 && head[0] == 0 && head[1] != 0 && head[1] < utf8.RuneSelf:
		enc = ptr(unicode.BigEndian)
	}
	if enc != nil {
		dec := unicode.UTF16(*enc, bom).NewDecoder()
		br = bufio.NewReaderSize(transform.NewReader(br, dec), sniffBytes)
	}
	r := &csvReader{br: br, comma: byte(opts.Comma), max: opts.MaxRecordBytes, line: 1}
	if r.max == 0 {
		r.max = DefaultMaxRecordBytes
	}
	if r.comma == 0 {
		sample, err := br.Peek(sniffBytes)
		r.comma = sniffComma(sample, err != nil)
	}
	return r
}

func ptr[T any](v T) *T { return &v }

// read returns the next record, io.EOF at the end, or a *posError.
func (r *csvReader) read() (Row, error) {
	r.rec, r.ends = r.rec[:0], r.ends[:0]
	start := r.line
	fieldStart := true // at the first byte of a field
	inQuotes := false
	quoteLine := 0
	started := false // read any byte of this record
	for {
		c, err := r.br.ReadByte()
		if err != nil {
			if err != io.EOF {
				return Row{}, &posError{line: r.line, err: err}
			}
			if inQuotes {
				return Row{}, &posError{line: quoteLine, col: len(r.ends) + 1, err: ErrQuote}
			}
			if !started {
				return Row{}, io.EOF
			}
			r.ends = append(r.ends, len(r.rec))
			return r.row(start), nil
		}
		started = true
		if len(r.rec) >= r.max {
			return Row{}, &posError{line: start, col: len(r.ends) + 1,
				err: fmt.Errorf("%w: over %d bytes from here; look for a stray \" before it", ErrRecordTooLong, r.max)}
		}
		switch {
		case inQuotes:
			switch c {
			case '"':
				if next, _ := r.br.Peek(1); len(next) == 1 && next[0] == '"' {
					r.br.Discard(1)
					r.rec = append(r.rec, '"')
				} else {
					inQuotes = false // the rest of the field, if any, is plain text
				}
			case '\n':
				r.line++
				r.rec = append(r.rec, c)
			case '\r':
				if next, _ := r.br.Peek(1); len(next) == 0 || next[0] != '\n' {
					r.line++ // a lone CR is a line break; CRLF counts at the LF
				}
				r.rec = append(r.rec, c)
			default:
				r.rec = append(r.rec, c)
			}
		case c == r.comma:
			r.ends = append(r.ends, len(r.rec))
			fieldStart = true
			continue
		case c == '\n' || c == '\r':
			if c == '\r' {
				if next, _ := r.br.Peek(1); len(next) == 1 && next[0] == '\n' {
					r.br.Discard(1)
				}
			}
			r.line++
			r.ends = append(r.ends, len(r.rec))
			return r.row(start), nil
		case c == '"' && fieldStart:
			inQuotes, quoteLine = true, r.line
		default:
			r.rec = append(r.rec, c)
		}
		fieldStart = false
	}
}

// row converts the current record to a Row, decoding each field.
func (r *csvReader) row(line int) Row {
	n := len(r.ends)
	for n > 0 && r.ends[n-1] == fieldStartOf(r.ends, n-1) {
		n--
	}
	cells := make([]string, n)
	rec := r.rec[:fieldEnd(r.ends, n)]
	// Validate field by field: bytes of two fields can join into a valid
	// sequence across the boundary.
	valid := true
	for i := 0; i < n && valid; i++ {
		valid = utf8.Valid(rec[fieldStartOf(r.ends, i):r.ends[i]])
	}
	if valid {
		s := string(rec)
		for i := range cells {
			cells[i] = s[fieldStartOf(r.ends, i):r.ends[i]]
		}
		return Row{Line: line, Cells: cells}
	}
	for i := range cells {
		cells[i] = decodeField(rec[fieldStartOf(r.ends, i):r.ends[i]])
	}
	return Row{Line: line, Cells: cells}
}

func fieldStartOf(ends []int, i int) int {
	if i == 0 {
		return 0
	}
	return ends[i-1]
}

func fieldEnd(ends []int, n int) int {
	if n == 0 {
		return 0
	}
	return ends[n-1]
}

// decodeField returns b as text: as is when it is valid UTF-8, otherwise
// decoded as Windows-1252.
func decodeField(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil { // not reachable: every byte maps to a character
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(s)
}

// sniffComma picks the delimiter that splits the sample's records most
// consistently: for each candidate, the number of records with more than
// one field that share the most common field count. Ties go to the earlier
// candidate; with no multi-field records at all, comma.
func sniffComma(sample []byte, atEOF bool) byte {
	best, bestScore := byte(','), 0
	for _, c := range []byte{',', ';', '\t', '|'} {
		freq := map[int]int{}
		score := 0
		for _, n := range fieldCounts(sample, c, atEOF) {
			if n > 1 {
				freq[n]++
				score = max(score, freq[n])
			}
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

// fieldCounts returns the number of fields of each complete record at the
// start of sample, up to sniffRecords, with the quoting rules of read.
func fieldCounts(sample []byte, comma byte, atEOF bool) []int {
	var counts []int
	fields, inQuotes, fieldStart := 1, false, true
	for i := 0; i < len(sample) && len(counts) < sniffRecords; i++ {
		c := sample[i]
		switch {
		case inQuotes:
			if c == '"' {
				if i+1 < len(sample) && sample[i+1] == '"' {
					i++
				} else {
					inQuotes = false
				}
			}
		case c == comma:
			fields++
			fieldStart = true
			continue
		case c == '\n' || c == '\r':
			if c == '\r' && i+1 < len(sample) && sample[i+1] == '\n' {
				i++
			}
			counts = append(counts, fields)
			fields = 1
		case c == '"' && fieldStart:
			inQuotes = true
		}
		fieldStart = c == '\n' || c == '\r'
	}
	if atEOF && !inQuotes && len(counts) < sniffRecords && len(sample) > 0 {
		last := sample[len(sample)-1]
		if last != '\n' && last != '\r' {
			counts = append(counts, fields)
		}
	}
	return counts
}
