package export

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"strings"
)

//go:embed sql/ethnicity_groups.sql
var ethnicityGroupsSQL string

//go:embed sql/school_neighbourhoods.sql
var schoolNeighbourhoodsSQL string

// reference says which totals besides "all" a value adds up to: its
// ethnicity code's groups and its school's neighbourhood. Each part is nil
// when the warehouse lacks its table (one built before the seed or the
// register existed): [Suppress] then knows fewer totals.
type reference struct {
	ethnicity map[string][2]string         // code -> ethnicity group, focus group
	schools   map[string]map[string]string // URN -> academic year -> neighbourhood
}

func loadReference(ctx context.Context, db *sql.DB) (*reference, error) {
	r := &reference{}
	if ok, err := hasTable(ctx, db, "seed", "ethnicity"); err != nil || !ok {
		return r, err
	}
	rows, err := db.QueryContext(ctx, ethnicityGroupsSQL)
	if err != nil {
		return nil, fmt.Errorf("read seed.ethnicity: %w (run 'planmetrics build' to reload the seeds)", err)
	}
	r.ethnicity = map[string][2]string{}
	for rows.Next() {
		var code string
		var group, focus sql.Null[string]
		if err := rows.Scan(&code, &group, &focus); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read seed.ethnicity: %w", err)
		}
		r.ethnicity[code] = [2]string{group.V, focus.V}
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("read seed.ethnicity: %w", err)
	}
	if ok, err := hasTable(ctx, db, "core", "schools"); err != nil || !ok {
		return r, err
	}
	if rows, err = db.QueryContext(ctx, schoolNeighbourhoodsSQL); err != nil {
		return nil, fmt.Errorf("read core.schools: %w (run 'planmetrics build' to rebuild it)", err)
	}
	r.schools = map[string]map[string]string{}
	for rows.Next() {
		var urn, year, nbh string
		if err := rows.Scan(&urn, &year, &nbh); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read core.schools: %w", err)
		}
		years := r.schools[urn]
		if years == nil {
			years = map[string]string{}
			r.schools[urn] = years
		}
		if prev, dup := years[year]; dup && prev != nbh {
			nbh = "" // two neighbourhoods in one year: unknown
		}
		years[year] = nbh
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("read core.schools: %w", err)
	}
	return r, nil
}

// hasTable reports whether schema.name is a table or view of the warehouse.
func hasTable(ctx context.Context, db *sql.DB, schema, name string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `select count(*) from information_schema.tables
		where table_catalog = current_database() and table_schema = ? and table_name = ?`, schema, name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look for %s.%s: %w", schema, name, err)
	}
	return n > 0, nil
}

// annotate sets EthnicityGroup, FocusGroup and Neighbourhood on values.
func (r *reference) annotate(values []Value) {
	for i := range values {
		v := &values[i]
		if v.Breakdown == "ethnicity" && r.ethnicity != nil {
			// As the pipelines map them: a code not in the seed (or
			// 'unknown') is Unclassified, in no focus group.
			g := r.ethnicity[v.BreakdownValue]
			v.EthnicityGroup, v.FocusGroup = g[0], g[1]
			if v.EthnicityGroup == "" {
				v.EthnicityGroup = "Unclassified"
			}
		}
		if v.GeographyLevel == "school" && r.schools != nil {
			v.Neighbourhood = neighbourhoodOf(r.schools[v.GeographyCode], registerYear(v))
		}
	}
}

// registerYear is the academic year of the school register a value's
// schools are placed with: a census day's, an academic year's own, and the
// one a financial year ends in (2024-25 ends in March 2025: 2024/25).
func registerYear(v *Value) string {
	switch v.PeriodType {
	case "census":
		return benchPeriod(v)
	case "academic_year":
		return v.Period
	case "financial_year":
		return strings.Replace(v.Period, "-", "/", 1)
	}
	return ""
}

// neighbourhoodOf is a school's neighbourhood in year, or when the register
// has no such year, the one neighbourhood of all its years ("" when it
// moved, or is not known).
func neighbourhoodOf(years map[string]string, year string) string {
	if n, ok := years[year]; ok {
		return n
	}
	one := ""
	for _, n := range years {
		if n == "" || (one != "" && n != one) {
			return ""
		}
		one = n
	}
	return one
}
