package value

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// openDB opens a DuckDB file in a temporary directory and registers the
// functions on one of its connections.
func openDB(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open("duckdb", filepath.Join(tb.TempDir(), "test.duckdb"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	if err := Register(ctx, conn); err != nil {
		tb.Fatal(err)
	}
	return db
}

// udfInputs exercises every parser: valid, invalid and missing values.
var udfInputs = []string{
	"2025-01-16", "16/01/2025", "16/1/2025", "16-Jan-2025", "16 January 2025", "45673", "45673.0",
	"2025-01-16T00:00:00", "31/02/2025", "01/16/2025", "16/01/25", "60",
	"1", "0", "0123", "1,234", "123.0", "12.5", "-5", "9223372036854775808",
	"£1,234.50", "(1,234)", "-£1,234", "£-1,234", "12%", "1.5E3", "12abc", "NaN", "Inf",
	"Y", "n", "Yes", "FALSE", "t", "maybe",
	"2024/25", "2024-2025", "202425", "2024 to 2025", "2024/26", "2025-26", "FY2025-26", "2025-2027",
	"", " ", "c", "x", "z", ":", "low", "u", "..", "-", "LOW",
}

// TestFunctionsAgreeWithParsers checks that each SQL function returns what
// its Go parser returns, and NULL wherever the parser fails.
func TestFunctionsAgreeWithParsers(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const q = `select pm_is_missing($1), pm_date($1), pm_int($1), pm_decimal($1), pm_bool($1),
		pm_parse_academic_year($1), pm_parse_financial_year($1)`
	for _, in := range udfInputs {
		t.Run(in, func(t *testing.T) {
			var (
				missing   bool
				d         sql.NullTime
				i         sql.NullInt64
				f         sql.NullFloat64
				b         sql.NullBool
				ay, fy    sql.NullString
				wantD, dE = ParseDate(in)
				wantI, iE = ParseInt(in)
				wantF, fE = ParseDecimal(in)
				wantB, bE = ParseBool(in)
				wantA, aE = ParseAcademicYear(in)
				wantY, yE = ParseFinancialYear(in)
			)
			if err := db.QueryRowContext(ctx, q, in).Scan(&missing, &d, &i, &f, &b, &ay, &fy); err != nil {
				t.Fatal(err)
			}
			if missing != IsMissing(in) {
				t.Errorf("pm_is_missing = %v, want %v", missing, IsMissing(in))
			}
			if d.Valid != (dE == nil) || (d.Valid && !d.Time.Equal(wantD)) {
				t.Errorf("pm_date = %v, want %v (err %v)", d, wantD, dE)
			}
			if i.Valid != (iE == nil) || i.Int64 != wantI {
				t.Errorf("pm_int = %v, want %v (err %v)", i, wantI, iE)
			}
			if f.Valid != (fE == nil) || f.Float64 != wantF {
				t.Errorf("pm_decimal = %v, want %v (err %v)", f, wantF, fE)
			}
			if b.Valid != (bE == nil) || b.Bool != wantB {
				t.Errorf("pm_bool = %v, want %v (err %v)", b, wantB, bE)
			}
			if ay.Valid != (aE == nil) || ay.String != wantA {
				t.Errorf("pm_parse_academic_year = %v, want %q (err %v)", ay, wantA, aE)
			}
			if fy.Valid != (yE == nil) || fy.String != wantY {
				t.Errorf("pm_parse_financial_year = %v, want %q (err %v)", fy, wantY, yE)
			}
		})
	}
}

func TestFunctionsInSQL(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	tests := []struct {
		query string
		want  any
	}{
		{`select pm_date('16/01/2025') = DATE '2025-01-16'`, true},
		{`select pm_date('45673') = DATE '2025-01-16'`, true},
		{`select typeof(pm_date('16/01/2025'))`, "DATE"},
		{`select typeof(pm_int('1'))`, "BIGINT"},
		{`select typeof(pm_decimal('1'))`, "DOUBLE"},
		{`select typeof(pm_bool('Y'))`, "BOOLEAN"},
		{`select typeof(pm_is_missing('x'))`, "BOOLEAN"},
		{`select typeof(pm_parse_academic_year('2024/25'))`, "VARCHAR"},
		{`select pm_date('31/02/2025') is null`, true},
		{`select pm_date(NULL) is null`, true},
		{`select pm_int(NULL::VARCHAR) is null`, true},
		{`select pm_is_missing(NULL)`, true},
		{`select pm_is_missing('low')`, true},
		{`select pm_is_missing('0')`, false},
		{`select pm_int('1,234') + 1`, int64(1235)},
		{`select pm_decimal('(1,234)')`, float64(-1234)},
		{`select pm_bool('Yes')`, true},
		{`select pm_parse_academic_year('2024 to 2025')`, "2024/25"},
		{`select pm_parse_financial_year('FY2025-26')`, "2025-26"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var got any
			if err := db.QueryRowContext(ctx, tt.query).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

// TestRegisterIsPerDatabase documents DuckDB's behaviour: functions
// registered on one connection are visible on every connection to the same
// database, even after that connection is closed, and registering again is
// harmless.
func TestRegisterIsPerDatabase(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("duckdb", filepath.Join(t.TempDir(), "test.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxIdleConns(0) // a closed *sql.Conn really closes
	first, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := Register(ctx, first); err != nil {
		t.Fatal(err)
	}
	// first is still open, so other is a different DuckDB connection.
	other, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	const q = `select pm_date('16/01/2025') = DATE '2025-01-16'`
	var ok bool
	if err := other.QueryRowContext(ctx, q).Scan(&ok); err != nil || !ok {
		t.Fatalf("function not visible on another connection: %v, %v", ok, err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if err := other.QueryRowContext(ctx, q).Scan(&ok); err != nil || !ok {
		t.Fatalf("function gone after the registering connection closed: %v, %v", ok, err)
	}
	// Registering again (e.g. a second command in one process) is harmless.
	if err := Register(ctx, other); err != nil {
		t.Fatalf("second Register on one database: %v", err)
	}
	if err := other.QueryRowContext(ctx, q).Scan(&ok); err != nil || !ok {
		t.Fatalf("after registering twice: %v, %v", ok, err)
	}

	// A separate database does not see them.
	db2, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if _, err := db2.ExecContext(ctx, q); err == nil {
		t.Error("pm_date visible in another database")
	}
}

func TestRegisterCancelled(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Register(ctx, conn); !errors.Is(err, context.Canceled) {
		t.Errorf("Register with a cancelled context = %v, want context.Canceled", err)
	}
}

// TestFunctionsOverTable types a 100k-row text table the way the validator
// does, and checks the counts and values against SQL's own date arithmetic.
func TestFunctionsOverTable(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const rows = 100_000
	// Four kinds of row, a quarter each: UK dates, ISO dates, a missing
	// symbol, and an impossible date.
	if _, err := db.ExecContext(ctx, `create table t as
		select i, DATE '2020-01-01' + (i % 1500)::INTEGER as d,
			case i % 4
				when 0 then strftime(DATE '2020-01-01' + (i % 1500)::INTEGER, '%d/%m/%Y')
				when 1 then strftime(DATE '2020-01-01' + (i % 1500)::INTEGER, '%Y-%m-%d')
				when 2 then 'x'
				else '31/02/2025'
			end as x
		from range($1) r(i)`, rows); err != nil {
		t.Fatal(err)
	}
	var parsed, right, bad, missing int
	err := db.QueryRowContext(ctx, `select
			count(pm_date(x)),
			count(*) filter (where pm_date(x) = d),
			count(*) filter (where not pm_is_missing(x) and pm_date(x) is null),
			count(*) filter (where pm_is_missing(x))
		from t`).Scan(&parsed, &right, &bad, &missing)
	if err != nil {
		t.Fatal(err)
	}
	if parsed != rows/2 || right != rows/2 || bad != rows/4 || missing != rows/4 {
		t.Errorf("parsed %d, right %d, bad %d, missing %d; want %d, %d, %d, %d",
			parsed, right, bad, missing, rows/2, rows/2, rows/4, rows/4)
	}
}

// BenchmarkUDFDate compares pm_date with DuckDB's own try_strptime over
// the same 1M text dates (two formats, as in real returns, 3,650 distinct
// days). DuckDB runs a function once per distinct value of a
// dictionary-compressed column, so each is measured twice: on a table
// stored uncompressed (the worst case: Go is called for every row) and on
// one stored with DuckDB's default compression.
func BenchmarkUDFDate(b *testing.B) {
	db := openDB(b)
	ctx := context.Background()
	const rows = 1_000_000
	for _, table := range []struct{ name, compression string }{
		{"plain", "uncompressed"},
		{"compressed", "auto"},
	} {
		if _, err := db.ExecContext(ctx, "SET force_compression = '"+table.compression+"'"); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `create table `+table.name+` as
			select case when i % 2 = 0
				then strftime(DATE '2015-01-01' + (i % 3650)::INTEGER, '%d/%m/%Y')
				else strftime(DATE '2015-01-01' + (i % 3650)::INTEGER, '%Y-%m-%d') end as x
			from range($1) r(i)`, rows); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `checkpoint`); err != nil {
			b.Fatal(err)
		}
	}
	for _, table := range []string{"plain", "compressed"} {
		for _, bm := range []struct{ name, query string }{
			{"pm_date", `select count(pm_date(x)) from ` + table},
			{"try_strptime", `select count(coalesce(try_strptime(x, '%d/%m/%Y'), try_strptime(x, '%Y-%m-%d'))::DATE) from ` + table},
		} {
			b.Run(table+"/"+bm.name, func(b *testing.B) {
				for b.Loop() {
					var n int
					if err := db.QueryRowContext(ctx, bm.query).Scan(&n); err != nil {
						b.Fatal(err)
					}
					if n != rows {
						b.Fatalf("%s parsed %d rows, want %d", bm.name, n, rows)
					}
				}
				b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

// BenchmarkParseDate measures the Go parser alone.
func BenchmarkParseDate(b *testing.B) {
	in := []string{"16/01/2025", "2025-01-16", "45673", "16-Jan-2025"}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range in {
			if _, err := ParseDate(s); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(in))*float64(b.N)/b.Elapsed().Seconds(), "values/s")
}
