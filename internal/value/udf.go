package value

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
)

// Register adds the parsers to DuckDB as scalar functions, so that the
// validator can type a whole landing table in SQL with the same rules:
//
//	pm_is_missing(VARCHAR) BOOLEAN          -- IsMissing; NULL is missing (TRUE)
//	pm_date(VARCHAR) DATE                   -- ParseDate
//	pm_int(VARCHAR) BIGINT                  -- ParseInt
//	pm_decimal(VARCHAR) DOUBLE              -- ParseDecimal
//	pm_bool(VARCHAR) BOOLEAN                -- ParseBool
//	pm_parse_academic_year(VARCHAR) VARCHAR -- ParseAcademicYear, "2024/25"
//	pm_parse_financial_year(VARCHAR) VARCHAR -- ParseFinancialYear, "2025-26"
//
// The parsing functions return NULL for NULL, missing and unparseable
// input and never raise an error, so "input not missing but output NULL"
// finds the bad values:
//
//	select * from landing where not pm_is_missing(x) and pm_date(x) is null
//
// Registration is per database, not per connection: DuckDB keeps the
// functions in the database instance's catalogue, so once registered on any
// connection of a database (one *sql.DB or duckdb.Connector) every
// connection to it sees them, even after the registering connection is
// closed, until the database is closed. They are not stored in the file:
// register again after reopening. Registering again on the same open
// database is harmless.
func Register(ctx context.Context, conn *sql.Conn) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, f := range functions() {
		if err := duckdb.RegisterScalarUDF(conn, f.name, f); err != nil {
			return fmt.Errorf("register DuckDB function %s: %w (is it already registered on this database?)", f.name, err)
		}
	}
	return nil
}

// udf is one VARCHAR -> T scalar function.
type udf struct {
	name    string
	result  duckdb.Type
	special bool // called for NULL input too (pm_is_missing)
	row     duckdb.RowExecutorFn
}

func (u *udf) Config() duckdb.ScalarFuncConfig {
	in, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	out, _ := duckdb.NewTypeInfo(u.result)
	return duckdb.ScalarFuncConfig{
		InputTypeInfos:      []duckdb.TypeInfo{in},
		ResultTypeInfo:      out,
		SpecialNullHandling: u.special,
	}
}

func (u *udf) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: u.row}
}

func functions() []*udf {
	return []*udf{
		{name: "pm_is_missing", result: duckdb.TYPE_BOOLEAN, special: true, row: func(v []driver.Value) (any, error) {
			s, ok := v[0].(string)
			return !ok || IsMissing(s), nil
		}},
		{name: "pm_date", result: duckdb.TYPE_DATE, row: parsed(ParseDate)},
		{name: "pm_int", result: duckdb.TYPE_BIGINT, row: parsed(ParseInt)},
		{name: "pm_decimal", result: duckdb.TYPE_DOUBLE, row: parsed(ParseDecimal)},
		{name: "pm_bool", result: duckdb.TYPE_BOOLEAN, row: parsed(ParseBool)},
		{name: "pm_parse_academic_year", result: duckdb.TYPE_VARCHAR, row: parsed(ParseAcademicYear)},
		{name: "pm_parse_financial_year", result: duckdb.TYPE_VARCHAR, row: parsed(ParseFinancialYear)},
	}
}

// parsed adapts a parser to a row executor that maps any failure to NULL.
// DuckDB passes NULL input straight to NULL output (default NULL handling),
// so v[0] is always a string here.
func parsed[T any](parse func(string) (T, error)) duckdb.RowExecutorFn {
	return func(v []driver.Value) (any, error) {
		s, ok := v[0].(string)
		if !ok {
			return nil, nil
		}
		r, err := parse(s)
		if err != nil {
			return nil, nil
		}
		return r, nil
	}
}
