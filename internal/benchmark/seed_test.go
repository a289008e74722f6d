package benchmark

import (
	"context"
	"database/sql"
	"math"
	"testing"

	"planmetrics/seeds"
)

// balancesEES is a hand-made extract of EES's LA maintained schools revenue
// reserves (the real file's columns, fewer of them): Hackney's total
// balance is 6.6% of its schools' total income in 2020-21.
const balancesEES = eesHeader + `,school_phase,revenue_balance_as_pc_total_income
202021,Financial year,National,E92000001,England,,,,,,All LA maintained schools,9.1
202021,Financial year,Local authority,E92000001,England,E13000001,Inner London,E09000012,204,Hackney,All LA maintained schools,6.6
202021,Financial year,Local authority,E92000001,England,E13000001,Inner London,E09000012,204,Hackney,Primary,6.3
202021,Financial year,Local authority,E92000001,England,E13000001,Inner London,E09000028,210,Southwark,All LA maintained schools,7.2
202021,Financial year,Local authority,E92000001,England,E13000001,Inner London,E09000019,206,Islington,All LA maintained schools,5.0
`

// TestSeedComparesLikeWithLike: the project's seed points each published
// indicator at the measure of the metric that is computed the same way, so
// Hackney's own figure sits beside the published one. EES publishes the
// revenue balance as a percentage of income for all of an LA's maintained
// schools together (total balance over total income): that is the
// metric's measure total, not the median school, and not a school's own
// percentage (measure value, which has no borough row).
func TestSeedComparesLikeWithLike(t *testing.T) {
	db := newWarehouse(t)
	if _, err := load(t, db, 1, writeFile(t, t.TempDir(), "la_maintained_schools_revenue_reserve_final.csv", balancesEES), ""); err != nil {
		t.Fatal(err)
	}
	// The rows pipelines/metrics/p3_balance_pct_income.sql writes: a school,
	// and the borough's median and total.
	for _, r := range []struct {
		measure, level, code string
		num, den             sql.NullFloat64
		value                float64
	}{
		{"value", "school", "100001", f64(1.2e6), f64(10e6), 12},
		{"median", "borough", "E09000012", sql.NullFloat64{}, sql.NullFloat64{}, 5.1},
		{"total", "borough", "E09000012", f64(13.58e6), f64(207.26e6), 13.58e6 * 100 / 207.26e6},
	} {
		if _, err := db.Exec(`insert into indicators.metric_values (metric_id, priority, measure, period, period_type,
			period_start, geography_level, geography_code, phase, breakdown, breakdown_value, numerator, denominator,
			value, unit, status)
			values ('p3_balance_pct_income', 3, ?, '2020-21', 'financial_year', date '2020-04-01', ?, ?, 'all', 'all', 'all',
			?, ?, ?, 'percent', 'no_target')`, r.measure, r.level, r.code, r.num, r.den, r.value); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Compare(context.Background(), db, seeds.FS); err != nil {
		t.Fatal(err)
	}
	var measure string
	var published, computed sql.NullFloat64
	err := db.QueryRow(`select measure, hackney_published, hackney_computed from indicators.benchmarks
		where metric_id = 'p3_balance_pct_income' and period = '2020-21' and phase = 'all'`).Scan(&measure, &published, &computed)
	if err != nil {
		t.Fatal(err)
	}
	want := 13.58e6 * 100 / 207.26e6
	if measure != "total" || published != f64(6.6) || !computed.Valid || math.Abs(computed.Float64-want) > 1e-9 {
		t.Errorf("p3_balance_pct_income 2020-21: measure %q, published %v, computed %v; want total, 6.6, %v",
			measure, published, computed, want)
	}
}
