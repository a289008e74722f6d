package ingest

import (
	"fmt"
	"sort"
	"strings"

	"planmetrics/internal/spec"
	"planmetrics/internal/value"
	"planmetrics/internal/warehouse"
)

// The SQL of validation and typing is generated from the return spec, so a
// new return or column needs only a YAML change. Identifiers go through
// warehouse.QuoteIdent and literals through warehouse.QuoteLiteral; no cell
// value is ever part of the SQL text.

var (
	q   = warehouse.QuoteIdent
	lit = warehouse.QuoteLiteral
)

// sqlType is the DuckDB type a spec type is stored as in raw.
func sqlType(t string) string {
	switch t {
	case spec.TypeInt:
		return "BIGINT"
	case spec.TypeDecimal:
		return "DOUBLE"
	case spec.TypeDate:
		return "DATE"
	case spec.TypeBool:
		return "BOOLEAN"
	default:
		return "VARCHAR"
	}
}

// kind maps a spec type to the value parser that types it (0: none).
func kind(t string) value.Kind {
	switch t {
	case spec.TypeInt:
		return value.Int
	case spec.TypeDecimal:
		return value.Decimal
	case spec.TypeDate:
		return value.Date
	case spec.TypeBool:
		return value.Bool
	case spec.TypeAcademicYear:
		return value.AcademicYear
	case spec.TypeFinancialYear:
		return value.FinancialYear
	}
	return 0
}

// convert is the SQL expression typing the text expression x for column c.
func convert(c spec.Column, x string) string {
	switch c.Type {
	case spec.TypeInt:
		return "pm_int(" + x + ")"
	case spec.TypeDecimal:
		return "pm_decimal(" + x + ")"
	case spec.TypeDate:
		return "pm_date(" + x + ")"
	case spec.TypeBool:
		return "pm_bool(" + x + ")"
	case spec.TypeAcademicYear:
		return "pm_parse_academic_year(" + x + ")"
	case spec.TypeFinancialYear:
		return "pm_parse_financial_year(" + x + ")"
	case spec.TypeUPN:
		return x // pseudonymised in Go before landing
	case spec.TypeCode:
		return codeExpr(c, x)
	default:
		return "CASE WHEN pm_is_missing(" + x + ") THEN NULL ELSE trim(" + x + ") END"
	}
}

// codeExpr folds the spellings a code column accepts (case, the spec's map)
// onto its canonical codes; anything else becomes NULL, which the code rule
// then reports. Without a code list, codes are just upper-cased.
func codeExpr(c spec.Column, x string) string {
	key := "upper(trim(" + x + "))"
	if len(c.Codes) == 0 && len(c.Map) == 0 {
		return "CASE WHEN pm_is_missing(" + x + ") THEN NULL ELSE " + key + " END"
	}
	canon := map[string]string{}
	for _, code := range c.Codes {
		canon[strings.ToUpper(code)] = code
	}
	for from, to := range c.Map {
		canon[strings.ToUpper(strings.TrimSpace(from))] = to
	}
	keys := make([]string, 0, len(canon))
	for k := range canon {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("CASE " + key)
	for _, k := range keys {
		fmt.Fprintf(&b, " WHEN %s THEN %s", lit(k), lit(canon[k]))
	}
	b.WriteString(" END")
	return b.String()
}

// landingCol names the landing column of a spec column.
func landingCol(name string) string { return q(name) }

// invalidCol names the landing column holding a masked invalid UPN.
func invalidCol(name string) string { return q(name + "__invalid") }

// typedSelect builds the SELECT that types the landing table: one output
// column per spec column (NULL or the default when the file lacks it),
// then derived columns are added by derivedSelect.
func typedSelect(r *spec.Return, present map[string]bool) string {
	var cols []string
	for _, c := range r.Columns {
		var e string
		if present[c.Name] {
			e = convert(c, "l."+landingCol(c.Name))
		} else {
			e = "CAST(NULL AS " + sqlType(c.Type) + ")"
		}
		if c.Default != nil {
			e = "coalesce(" + e + ", " + convert(c, lit(*c.Default)) + ")"
		}
		cols = append(cols, e+" AS "+q(c.Name))
	}
	return "SELECT l._row, l._sheet, l._extra, " + strings.Join(cols, ", ") + " FROM landing l"
}

// derivedSelect adds default_sql fills and derived columns over typed rows
// (from: a table or a parenthesised SELECT).
func derivedSelect(r *spec.Return, from string) string {
	var repl []string
	for _, c := range r.Columns {
		if c.DefaultSQL != "" {
			repl = append(repl, "coalesce("+q(c.Name)+", "+c.DefaultSQL+") AS "+q(c.Name))
		}
	}
	sel := "SELECT *"
	if len(repl) > 0 {
		sel = "SELECT * REPLACE (" + strings.Join(repl, ", ") + ")"
	}
	for _, d := range r.Derived {
		sel += ", CAST(" + d.SQL + " AS " + sqlType(d.Type) + ") AS " + q(d.Name)
	}
	return sel + " FROM " + from + " typed"
}

// rule is one validation rule as SQL: rows of the join of landing (l) and
// typed (t) for which cond holds are rejected.
type rule struct {
	name, column, cond, valueExpr, message string
	columnExpr                             string // when set, names the column instead of column
	typedOnly                              bool   // a check over typed columns alone (no landing join, so names are unambiguous)
}

// overflowRule rejects a CSV row with values right of the header: an
// unquoted delimiter inside a value has shifted the values after it.
var overflowRule = rule{name: "extra_values", columnExpr: "l._overflow_column", cond: "l._overflow_column IS NOT NULL", valueExpr: "l._overflow",
	message: "the row has more values than the header has columns: a comma (or the delimiter) inside an unquoted value, e.g. 1,234, shifts the values after it; quote that value or remove the stray delimiter"}

// rules lists the column rules of r for the columns present in the file.
func rules(r *spec.Return, present map[string]bool) []rule {
	var out []rule
	for _, c := range r.Columns {
		if !present[c.Name] {
			continue
		}
		l, t := "l."+landingCol(c.Name), "t."+q(c.Name)
		missing := "(" + l + " IS NULL OR pm_is_missing(" + l + "))"
		val := l
		if c.Type == spec.TypeUPN {
			val = "l." + invalidCol(c.Name)
			out = append(out, rule{name: "upn", column: c.Name, cond: val + " IS NOT NULL", valueExpr: val,
				message: "expected a UPN: a letter then 12 letters or digits (value masked)"})
		}
		if !c.Optional && c.Default == nil && c.DefaultSQL == "" {
			cond := missing
			if c.Type == spec.TypeUPN {
				cond += " AND " + val + " IS NULL" // an invalid UPN is reported by the upn rule
			}
			out = append(out, rule{name: "required", column: c.Name, cond: cond, valueExpr: "coalesce(" + l + ", '')",
				message: c.Name + " is required but is blank or a missing-value symbol"})
		}
		switch {
		case c.Type == spec.TypeCode && (len(c.Codes) > 0 || len(c.Map) > 0):
			out = append(out, rule{name: "code", column: c.Name, cond: "NOT " + missing + " AND " + t + " IS NULL", valueExpr: l,
				message: "expected one of: " + strings.Join(c.Codes, ", ")})
		case kind(c.Type) != 0:
			out = append(out, rule{name: "type", column: c.Name, cond: "NOT " + missing + " AND " + t + " IS NULL", valueExpr: l,
				message: kind(c.Type).Expected()})
		}
		if c.Pattern != "" {
			out = append(out, rule{name: "pattern", column: c.Name, valueExpr: l,
				cond:    t + " IS NOT NULL AND NOT regexp_full_match(" + t + ", " + lit(c.Pattern) + ")",
				message: "does not have the expected form " + c.Pattern})
		}
		if c.Min != nil {
			out = append(out, rule{name: "range", column: c.Name, cond: fmt.Sprintf("%s < %v", t, *c.Min), valueExpr: l,
				message: fmt.Sprintf("must be at least %v", *c.Min)})
		}
		if c.Max != nil {
			out = append(out, rule{name: "range", column: c.Name, cond: fmt.Sprintf("%s > %v", t, *c.Max), valueExpr: l,
				message: fmt.Sprintf("must be at most %v", *c.Max)})
		}
	}
	for _, ch := range r.Checks {
		if !present[ch.Column] {
			continue
		}
		out = append(out, rule{name: ch.Name, column: ch.Column, cond: "NOT coalesce((" + ch.SQL + "), true)",
			valueExpr: "CAST(" + q(ch.Column) + " AS VARCHAR)", message: ch.Message, typedOnly: true})
	}
	return out
}

// rejectsInsert builds the statement recording every rule violation of the
// landed rows in meta.rejects (parameters: load id, file name).
func rejectsInsert(rs []rule) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		from := "landing l JOIN typed2 t ON t._row = l._row"
		if r.typedOnly {
			from = "typed2 l"
		}
		column := lit(r.column)
		if r.columnExpr != "" {
			column = r.columnExpr
		}
		parts[i] = fmt.Sprintf("SELECT l._row, l._sheet, %s AS column_name, %s AS value, %s AS rule, %s AS message FROM %s WHERE %s",
			column, maskUPNLike("CAST("+r.valueExpr+" AS VARCHAR)"), lit(r.name), lit(r.message), from, r.cond)
	}
	return "INSERT INTO meta.rejects (load_id, file, sheet, row_number, column_name, value, rule, message) " +
		"SELECT $1, $2, nullif(_sheet, ''), _row, column_name, value, rule, message FROM (" + strings.Join(parts, " UNION ALL ") + ")"
}

// maskUPNLike hides a value shaped like a UPN as pseudonym.Mask does: a
// UPN typed or shifted into another column must not reach meta.rejects.
func maskUPNLike(x string) string {
	t := "trim(" + x + ")"
	return "CASE WHEN regexp_full_match(upper(" + t + "), '[A-Z][A-Z0-9]{12}') THEN left(" + t + ", 1) || repeat('*', 11) || right(" + t + ", 1) ELSE " + x + " END"
}

// duplicatesInsert rejects the second and later rows with the same unique
// key within the file (the first stays), among rows no other rule rejected.
func duplicatesInsert(r *spec.Return) string {
	keys := make([]string, len(r.Unique))
	for i, k := range r.Unique {
		keys[i] = q(k)
	}
	notNull := strings.Join(keys, " IS NOT NULL AND ") + " IS NOT NULL"
	return "INSERT INTO meta.rejects (load_id, file, sheet, row_number, column_name, value, rule, message) " +
		"SELECT $1, $2, nullif(_sheet, ''), _row, " + lit(strings.Join(r.Unique, "+")) + ", NULL, 'duplicate', " +
		lit("the same "+strings.Join(r.Unique, ", ")+" as row ") + " || first_row || ' of this file' FROM (" +
		"SELECT _row, _sheet, first_value(_row) OVER w AS first_row, row_number() OVER w AS n FROM typed2 " +
		"WHERE " + notNull + " AND NOT EXISTS (SELECT 1 FROM meta.rejects r WHERE r.load_id = $1 AND r.row_number = typed2._row) " +
		"WINDOW w AS (PARTITION BY " + strings.Join(keys, ", ") + " ORDER BY _row)) WHERE n > 1"
}

// rawColumns lists the raw table's columns with their SQL types, in order.
func rawColumns(r *spec.Return) [][2]string {
	cols := [][2]string{{"_load_id", "BIGINT"}, {"_source_file", "VARCHAR"}, {"_source_sheet", "VARCHAR"}, {"_source_row", "BIGINT"}}
	for _, c := range r.Columns {
		cols = append(cols, [2]string{c.Name, sqlType(c.Type)})
	}
	for _, d := range r.Derived {
		cols = append(cols, [2]string{d.Name, sqlType(d.Type)})
	}
	return append(cols, [2]string{"_extra", "VARCHAR"})
}

// rawDDL creates raw.<return> and adds any column a newer spec introduced.
func rawDDL(r *spec.Return) []string {
	cols := rawColumns(r)
	defs := make([]string, len(cols))
	stmts := []string{}
	for i, c := range cols {
		defs[i] = q(c[0]) + " " + c[1]
		stmts = append(stmts, "ALTER TABLE raw."+q(r.Name)+" ADD COLUMN IF NOT EXISTS "+q(c[0])+" "+c[1])
	}
	return append([]string{"CREATE TABLE IF NOT EXISTS raw." + q(r.Name) + " (" + strings.Join(defs, ", ") + ")"}, stmts...)
}

// rawInsert moves the rows no rule rejected from typed2 into raw
// (parameters: load id, file name).
func rawInsert(r *spec.Return) string {
	cols := rawColumns(r)
	names := make([]string, len(cols))
	sel := make([]string, len(cols))
	for i, c := range cols {
		names[i] = q(c[0])
		sel[i] = q(c[0])
	}
	sel[0], sel[1], sel[2], sel[3] = "$1", "$2", "nullif(_sheet, '')", "_row"
	return "INSERT INTO raw." + q(r.Name) + " (" + strings.Join(names, ", ") + ") SELECT " + strings.Join(sel, ", ") +
		" FROM typed2 WHERE NOT EXISTS (SELECT 1 FROM meta.rejects r WHERE r.load_id = $1 AND r.row_number = typed2._row)"
}

// coreView makes core.<return> show the current rows: for each supersede
// key, only those of the latest load that sent it.
func coreView(r *spec.Return) string {
	body := "SELECT * FROM raw." + q(r.Name)
	if len(r.Supersede) > 0 {
		keys := make([]string, len(r.Supersede))
		for i, k := range r.Supersede {
			keys[i] = q(k)
		}
		body += " QUALIFY _load_id = max(_load_id) OVER (PARTITION BY " + strings.Join(keys, ", ") + ")"
	}
	return "CREATE OR REPLACE VIEW core." + q(r.Name) + " AS " + body
}

// landingDDL creates the all-text landing table for the present columns,
// after landingFixed columns of its own.
func landingDDL(cols []landingColumn) string {
	defs := []string{"_row BIGINT", "_sheet VARCHAR", "_extra VARCHAR", "_overflow_column VARCHAR", "_overflow VARCHAR"}
	for _, c := range cols {
		defs = append(defs, c.ident+" VARCHAR")
	}
	return "CREATE OR REPLACE TEMP TABLE landing (" + strings.Join(defs, ", ") + ")"
}
