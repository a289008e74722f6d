package tabular

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// utf16Bytes encodes s as UTF-16 with a BOM, little- or big-endian.
func utf16Bytes(s string, bigEndian, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

// readAll reads every row of a CSV held in memory.
func readAll(t testing.TB, data []byte, opts CSVOptions) ([]Row, error) {
	t.Helper()
	f, err := NewCSV(bytes.NewReader(data), int64(len(data)), "test.csv", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []Row
	for row, err := range f.Rows(context.Background(), "") {
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func rows(lineCells ...any) []Row {
	var out []Row
	for i := 0; i < len(lineCells); i += 2 {
		out = append(out, Row{Line: lineCells[i].(int), Cells: lineCells[i+1].([]string)})
	}
	return out
}

type cells = []string

func TestCSV(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		opts CSVOptions
		want []Row
	}{
		{
			name: "LF",
			in:   []byte("urn,name\n100001,Alpha\n100002,Beta\n"),
			want: rows(1, cells{"urn", "name"}, 2, cells{"100001", "Alpha"}, 3, cells{"100002", "Beta"}),
		},
		{
			name: "CRLF and no final newline",
			in:   []byte("urn,name\r\n100001,Alpha\r\n100002,Beta"),
			want: rows(1, cells{"urn", "name"}, 2, cells{"100001", "Alpha"}, 3, cells{"100002", "Beta"}),
		},
		{
			name: "lone CR line ends (old Mac Excel)",
			in:   []byte("a,b\r1,2\r3,4"),
			want: rows(1, cells{"a", "b"}, 2, cells{"1", "2"}, 3, cells{"3", "4"}),
		},
		{
			name: "UTF-8 BOM is dropped",
			in:   []byte("\xEF\xBB\xBFurn,name\n100001,Café\n"),
			want: rows(1, cells{"urn", "name"}, 2, cells{"100001", "Café"}),
		},
		{
			name: "UTF-16 LE with BOM",
			in:   utf16Bytes("urn,amount\r\n100001,£1 é€\r\n", false, true),
			want: rows(1, cells{"urn", "amount"}, 2, cells{"100001", "£1 é€"}),
		},
		{
			name: "UTF-16 BE with BOM",
			in:   utf16Bytes("urn;amount\n100001;£1 é€\n", true, true),
			want: rows(1, cells{"urn", "amount"}, 2, cells{"100001", "£1 é€"}),
		},
		{
			name: "UTF-16 LE without BOM",
			in:   utf16Bytes("urn,amount\n1,£2\n", false, false),
			want: rows(1, cells{"urn", "amount"}, 2, cells{"1", "£2"}),
		},
		{
			name: "Windows-1252 £ é €",
			in:   []byte("name,amount\nCaf\xe9 Ros\xe9,\xa31,234.50\n\x80 rate,\x935%\x94\n"),
			want: rows(1, cells{"name", "amount"}, 2, cells{"Café Rosé", "£1", "234.50"}, 3, cells{"€ rate", "\u201c5%\u201d"}),
		},
		{
			name: "UTF-8 with one stray Windows-1252 byte",
			in:   []byte("name,amount\nCafé,£10\nCaf\xe9,\xa310\n"),
			want: rows(1, cells{"name", "amount"}, 2, cells{"Café", "£10"}, 3, cells{"Café", "£10"}),
		},
		{
			name: "semicolon with decimal commas",
			in:   []byte("urn;rate;name\n100001;1,5;A\n100002;2,25;B, the school\n"),
			want: rows(1, cells{"urn", "rate", "name"}, 2, cells{"100001", "1,5", "A"}, 3, cells{"100002", "2,25", "B, the school"}),
		},
		{
			name: "tab with commas in text",
			in:   []byte("urn\tname\n100001\tSmith, John\n100002\tJones\n"),
			want: rows(1, cells{"urn", "name"}, 2, cells{"100001", "Smith, John"}, 3, cells{"100002", "Jones"}),
		},
		{
			name: "pipe",
			in:   []byte("a|b|c\n1|2|3\n"),
			want: rows(1, cells{"a", "b", "c"}, 2, cells{"1", "2", "3"}),
		},
		{
			name: "explicit delimiter overrides detection",
			in:   []byte("a,b;c\n1,2;3\n"),
			opts: CSVOptions{Comma: ';'},
			want: rows(1, cells{"a,b", "c"}, 2, cells{"1,2", "3"}),
		},
		{
			name: "title and notes above the header",
			in:   []byte("Hackney schools census\nSubmitted 16 January 2025\n\nurn,upn,ncy\n100001,A12345678901,R\n100002,B12345678901,1\n"),
			want: rows(1, cells{"Hackney schools census"}, 2, cells{"Submitted 16 January 2025"},
				4, cells{"urn", "upn", "ncy"}, 5, cells{"100001", "A12345678901", "R"}, 6, cells{"100002", "B12345678901", "1"}),
		},
		{
			name: "quoted newline: the next record's line counts it",
			in:   []byte("id,note\n1,\"first line\nsecond line\nthird\"\n2,plain\n"),
			want: rows(1, cells{"id", "note"}, 2, cells{"1", "first line\nsecond line\nthird"}, 5, cells{"2", "plain"}),
		},
		{
			name: "quoted CRLF is kept as written",
			in:   []byte("id,note\r\n1,\"a\r\nb\"\r\n2,c\r\n"),
			want: rows(1, cells{"id", "note"}, 2, cells{"1", "a\r\nb"}, 4, cells{"2", "c"}),
		},
		{
			name: "doubled quotes and quoted delimiters",
			in:   []byte("a,b\n\"He said \"\"hi\"\"\",\"x,y\"\n\"\",\"\"\"\"\n"),
			want: rows(1, cells{"a", "b"}, 2, cells{`He said "hi"`, "x,y"}, 3, cells{"", `"`}),
		},
		{
			name: "quote inside an unquoted field is text",
			in:   []byte("item,size\nscreen,15\" wide\n"),
			want: rows(1, cells{"item", "size"}, 2, cells{"screen", `15" wide`}),
		},
		{
			name: "text after a closing quote is kept, as Excel does",
			in:   []byte("a,b\n\"ab\"cd,e\n"),
			want: rows(1, cells{"a", "b"}, 2, cells{"abcd", "e"}),
		},
		{
			name: "variable field counts, trailing empties trimmed, blank lines skipped",
			in:   []byte("a,b,c\n1,2,,\n\n1,2,3,4,5\n,,\n,x\n"),
			want: rows(1, cells{"a", "b", "c"}, 2, cells{"1", "2"}, 4, cells{"1", "2", "3", "4", "5"}, 6, cells{"", "x"}),
		},
		{
			name: "text kept exactly: leading zeros, spaces",
			in:   []byte("urn,code, name \n0123, 007 ,  x  \n"),
			want: rows(1, cells{"urn", "code", " name "}, 2, cells{"0123", " 007 ", "  x  "}),
		},
		{
			name: "white space only cells are kept",
			in:   []byte("a,b\n , \n"),
			want: rows(1, cells{"a", "b"}, 2, cells{" ", " "}),
		},
		{
			name: "single column",
			in:   []byte("urn\n100001\n100002\n"),
			want: rows(1, cells{"urn"}, 2, cells{"100001"}, 3, cells{"100002"}),
		},
		{name: "empty file", in: nil},
		{name: "only a BOM", in: []byte("\xEF\xBB\xBF")},
		{name: "only blank lines", in: []byte("\n\r\n\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, tt.in, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCSVErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		opts      CSVOptions
		rowsFirst int // rows read before the error
		line, col int
		sentinel  error
	}{
		{
			name: "unclosed quote", in: "a,b\n1,2\n3,\"oops\n4,5\n6,7\n",
			rowsFirst: 2, line: 3, col: 2, sentinel: ErrQuote,
		},
		{
			name: "record too long", in: "a,b\n1,2\n3,\"" + strings.Repeat("x", 100) + "\"\n",
			opts: CSVOptions{MaxRecordBytes: 50}, rowsFirst: 2, line: 3, col: 2, sentinel: ErrRecordTooLong,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, []byte(tt.in), tt.opts)
			if len(got) != tt.rowsFirst {
				t.Errorf("read %d rows before the error, want %d", len(got), tt.rowsFirst)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if e.File != "test.csv" || e.Line != tt.line || e.Column != tt.col || !errors.Is(err, tt.sentinel) {
				t.Errorf("error %#v, want test.csv line %d column %d wrapping %v", e, tt.line, tt.col, tt.sentinel)
			}
			if want := fmt.Sprintf("test.csv:%d:%d: ", tt.line, tt.col); !strings.HasPrefix(err.Error(), want) {
				t.Errorf("message %q does not start with %q", err, want)
			}
		})
	}
}

func TestCSVSheetAndOptions(t *testing.T) {
	data := []byte("a,b\n1,2\n")
	f, err := NewCSV(bytes.NewReader(data), int64(len(data)), "x.csv", CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Sheets(); !cmp.Equal(got, []Sheet{{Name: ""}}) || f.Format() != "csv" {
		t.Errorf("Sheets() = %v, Format() = %q", got, f.Format())
	}
	for _, err := range f.Rows(context.Background(), "Sheet1") {
		if !errors.Is(err, ErrNoSheet) {
			t.Errorf("Rows(Sheet1) error %v, want ErrNoSheet", err)
		}
	}
	for _, opts := range []CSVOptions{{Comma: '"'}, {Comma: '\n'}, {Comma: '£'}, {MaxRecordBytes: -1}} {
		if _, err := NewCSV(bytes.NewReader(data), int64(len(data)), "x.csv", opts); err == nil {
			t.Errorf("NewCSV with %+v succeeded, want an error", opts)
		}
	}
}

func TestCSVRereadEarlyStopAndCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.csv")
	var b strings.Builder
	b.WriteString("urn,n\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "%06d,%d\n", i, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	count := func() (n, last int) {
		for row, err := range f.Rows(ctx, "") {
			if err != nil {
				t.Fatal(err)
			}
			n, last = n+1, row.Line
		}
		return n, last
	}
	n1, last1 := count()
	// Stop early, then read again from the start.
	for row := range f.Rows(ctx, "") {
		if row.Line != 1 {
			t.Errorf("first row at line %d", row.Line)
		}
		break
	}
	n2, last2 := count()
	if n1 != 1001 || last1 != 1001 || n2 != n1 || last2 != last1 {
		t.Errorf("reads gave %d rows to line %d, then %d to %d; want 1001 to 1001 twice", n1, last1, n2, last2)
	}

	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := 0
	var gotErr error
	for row, err := range f.Rows(cctx, "") {
		if err != nil {
			gotErr = err
			break
		}
		if row.Line == 10 {
			cancel()
		}
		n++
	}
	if !errors.Is(gotErr, context.Canceled) || n >= 1001 {
		t.Errorf("after cancel: %d rows, error %v; want fewer rows and context.Canceled", n, gotErr)
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	xlsx := buildWorkbook(t)
	tests := []struct {
		name   string
		data   []byte
		format string
	}{
		{"a.csv", []byte("a,b\n"), "csv"},
		{"B.CSV", []byte("a,b\n"), "csv"},
		{"c.tsv", []byte("a\tb\n"), "csv"},
		{"d.TXT", []byte("a|b\n"), "csv"},
		{"e.xlsx", xlsx, "xlsx"},
		{"F.XLSM", xlsx, "xlsx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open(write(tt.name, tt.data))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Format() != tt.format {
				t.Errorf("Format() = %q, want %q", f.Format(), tt.format)
			}
		})
	}
	for _, name := range []string{"old.xls", "report.pdf", "noext", "data.json"} {
		t.Run(name, func(t *testing.T) {
			p := write(name, []byte("a,b\n"))
			_, err := Open(p)
			var e *Error
			if !errors.Is(err, ErrUnsupported) || !errors.As(err, &e) || e.File != p {
				t.Fatalf("Open(%s) = %v, want an *Error for the file wrapping ErrUnsupported", name, err)
			}
			for _, ext := range []string{".csv", ".tsv", ".txt", ".xlsx", ".xlsm"} {
				if !strings.Contains(err.Error(), ext) {
					t.Errorf("message %q does not name %s", err, ext)
				}
			}
		})
	}
	for _, name := range []string{"missing.csv", "missing.xlsx"} {
		if _, err := Open(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%s) = %v, want fs.ErrNotExist", name, err)
		}
	}
}

func TestSniffComma(t *testing.T) {
	tests := []struct {
		name   string
		sample string
		atEOF  bool
		want   byte
	}{
		{"comma", "a,b,c\n1,2,3\n", true, ','},
		{"semicolon header wins over decimal commas", "a;b;c\n1,5;2,5;3\n", true, ';'},
		{"tab with commas in text", "a\tb\nx, y\t1\nz\t2\n", true, '\t'},
		{"pipe", "a|b\n1|2\n", true, '|'},
		{"title rows do not count", "Title; with semicolon\nNotes\na,b,c\n1,2,3\n4,5,6\n", true, ','},
		{"quoted delimiters do not count", "a;b\n\"1,2,3\";4\n\"5,6,7\";8\n", true, ';'},
		{"one column defaults to comma", "urn\n1\n2\n", true, ','},
		{"empty", "", true, ','},
		{"last partial record ignored", "a;b\n1;2\n3,4,5,6,7,8", false, ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sniffComma([]byte(tt.sample), tt.atEOF); got != tt.want {
				t.Errorf("sniffComma(%q) = %q, want %q", tt.sample, got, tt.want)
			}
		})
	}
}

// realData returns the folder of real DfE files, or skips the test.
func realData(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data", "real", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real data not available (%s): %v", dir, err)
	}
	return dir
}

// TestRealCSV reads the real DfE CSV files. Counts and lines were checked
// against Python's csv module (records with a cell, start line from
// line_num).
func TestRealCSV(t *testing.T) {
	tests := []struct {
		path      string
		rows      int
		firstCell string
		line3     int // line of the third row
	}{
		{"lait/lait_data_dictionary.csv", 449, "Measure_code", 19},
		{"school-balances/la_maintained_schools_revenue_reserve_final.csv", 5172, "time_period", 3},
		{"school-places-scorecards/scorecard_data_2025_2023.csv", 463, "Year", 3},
		{"exclusions-2006-2017/clean_la_data.csv", 7123, "year", 3},
	}
	dir := realData(t, "")
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			f, err := Open(filepath.Join(dir, tt.path))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var got []Row
			for row, err := range f.Rows(context.Background(), "") {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, row)
			}
			if len(got) != tt.rows || got[0].Cells[0] != tt.firstCell || got[2].Line != tt.line3 {
				t.Errorf("%d rows, first cell %q, third row at line %d; want %d, %q, %d",
					len(got), got[0].Cells[0], got[2].Line, tt.rows, tt.firstCell, tt.line3)
			}
		})
	}
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "a;b\r\n\"x\ny\";2", "\xEF\xBB\xBFa\tb\n1\t2", "\"unclosed,\n", "\"a\"\"b\"c,d\r\r\n",
		"caf\xe9,\xa31\n", string(utf16Bytes("a,b\n1,2\n", false, true)), string(utf16Bytes("a|b\n", true, true)),
		"\xFF\xFE\x00", "\xFE\xFF\x00\xD8", "a\x00,b\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := readAll(t, data, CSVOptions{MaxRecordBytes: 1 << 16})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Line < 1 {
				t.Fatalf("error %v is not an *Error with a line", err)
			}
		}
		prev := 0
		for _, row := range got {
			if row.Line <= prev {
				t.Fatalf("line %d after line %d", row.Line, prev)
			}
			prev = row.Line
			if len(row.Cells) == 0 || row.Cells[len(row.Cells)-1] == "" {
				t.Fatalf("row %d has cells %q: empty rows and trailing empty cells must be dropped", row.Line, row.Cells)
			}
			for _, c := range row.Cells {
				if !utf8.ValidString(c) {
					t.Fatalf("row %d cell %q is not valid UTF-8", row.Line, c)
				}
			}
		}
		// No more records than line breaks allow.
		if breaks := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1; len(got) > breaks {
			t.Fatalf("%d rows from %d lines", len(got), breaks)
		}
	})
}

func BenchmarkCSV(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("urn,upn,census_date,ncy,gender,ethnicity,fsm,sen_provision,note\r\n")
	for i := range 100_000 {
		fmt.Fprintf(&buf, "%06d,A%012d,16/01/2025,%d,F,WBRI,Y,N,\"note, with comma\"\r\n", 100000+i%90, i, i%12)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		got, err := readAll(b, data, CSVOptions{})
		if err != nil || len(got) != 100_001 {
			b.Fatalf("%d rows, %v", len(got), err)
		}
	}
	b.ReportMetric(100_001*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
