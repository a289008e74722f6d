package export

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"time"
)

//go:embed sql/benchmarks.sql
var benchmarksSQL string

// Short names for the nullable figures of a [Benchmark].
type (
	optFloat = sql.Null[float64]
	optInt   = sql.Null[int64]
)

// Benchmark is one row of indicators.benchmarks: a plan metric (measure and
// phase) in one period as one source publishes it, for Hackney beside its
// statistical neighbours (SN), London, Inner London and England, with
// Hackney's rank and quartile band among all local authorities, and
// Hackney's own computed figure for the same period.
//
// The published figures are public aggregates and are never suppressed;
// HackneyComputed (and Difference, which would reveal it) is our own figure
// and follows the suppression of the metric value it was taken from (see
// [Priority.Suppress]).
type Benchmark struct {
	MetricID         string
	Priority         sql.Null[int64]
	Measure          string // the metric's measure: value = the headline
	Phase            string
	Period           string // the plan's label: 2024/25, 2024-25, 2024
	PeriodType       string
	Source           string // lait | ees | scorecard
	Indicator        string // the published indicator (EES column, LAIT Short Desc)
	IndicatorLabel   string
	Filters          string // EES filters as JSON
	TimePeriod       string // the period as published
	Better           string // up | down | none
	RankOrder        string // highest | lowest: which value ranks 1
	HackneyPublished sql.Null[float64]
	HackneySymbol    string // the publisher's symbol (c, x, z ...) when there is no value
	HackneyComputed  sql.Null[float64]
	Difference       sql.Null[float64] // computed minus published
	England          sql.Null[float64]
	London           sql.Null[float64]
	InnerLondon      sql.Null[float64]
	SNAverage        sql.Null[float64] // unweighted mean of the neighbours with a value
	SNWithValue      sql.Null[int64]
	SNCount          sql.Null[int64]
	Rank             sql.Null[int64] // 1 = rank_order's end
	RankOf           sql.Null[int64] // LAs with a value
	LAsWithoutValue  sql.Null[int64]
	Quartile         string // A (best) to D
	QuartileQ1       sql.Null[float64]
	QuartileMedian   sql.Null[float64]
	QuartileQ3       sql.Null[float64]
	SNRank           sql.Null[int64] // among Hackney and its neighbours with a value
	SNRankOf         sql.Null[int64]
	PreviousPeriod   string
	PreviousValue    sql.Null[float64]
	Change           sql.Null[float64] // published, on the previous period
	ComputedAt       sql.Null[time.Time]

	// ComputedSuppressed is set by [Priority.Suppress]: HackneyComputed and
	// Difference are shown as "c".
	ComputedSuppressed bool
}

// loadBenchmarks reads indicators.benchmarks for priority n (0 = every
// priority). A warehouse built before benchmarks existed has no such table:
// that is no comparison, not an error.
func loadBenchmarks(ctx context.Context, db *sql.DB, n int) ([]Benchmark, error) {
	var tables int
	if err := db.QueryRowContext(ctx, `select count(*) from information_schema.tables
		where table_catalog = current_database() and table_schema = 'indicators' and table_name = 'benchmarks'`).Scan(&tables); err != nil {
		return nil, fmt.Errorf("look for indicators.benchmarks: %w", err)
	}
	if tables == 0 {
		return nil, nil
	}
	rows, err := db.QueryContext(ctx, benchmarksSQL, n)
	if err != nil {
		return nil, fmt.Errorf("read indicators.benchmarks: %w (run 'planmetrics build' to rebuild it)", err)
	}
	defer rows.Close()
	var out []Benchmark
	for rows.Next() {
		var b Benchmark
		if err := rows.Scan(&b.MetricID, &b.Priority, &b.Measure, &b.Phase, &b.Period, &b.PeriodType,
			&b.Source, &b.Indicator, &b.IndicatorLabel, &b.Filters, &b.TimePeriod, &b.Better, &b.RankOrder,
			&b.HackneyPublished, &b.HackneySymbol, &b.HackneyComputed, &b.Difference,
			&b.England, &b.London, &b.InnerLondon, &b.SNAverage, &b.SNWithValue, &b.SNCount,
			&b.Rank, &b.RankOf, &b.LAsWithoutValue, &b.Quartile, &b.QuartileQ1, &b.QuartileMedian, &b.QuartileQ3,
			&b.SNRank, &b.SNRankOf, &b.PreviousPeriod, &b.PreviousValue, &b.Change, &b.ComputedAt); err != nil {
			return nil, fmt.Errorf("read indicators.benchmarks row %d: %w", len(out)+1, err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read indicators.benchmarks: %w", err)
	}
	return out, nil
}

// suppressBenchmarks hides Hackney's computed figure where the metric value
// it was taken from is suppressed: the decision is [Suppress]'s, made on
// values, not a second rule. The value is the borough total of the same
// metric, measure and phase whose period is the benchmark's (a census counts
// in its academic year, as the benchmark package matches them); if any such
// value is hidden, so is the computed figure. A computed figure with no
// value to check it against is hidden too when suppression is on.
func suppressBenchmarks(bs []Benchmark, values []Value, threshold int) {
	type key struct{ metric, measure, phase, period string }
	hidden := map[key]bool{}
	for i := range values {
		v := &values[i]
		if v.GeographyLevel != "borough" || v.Breakdown != all || v.BreakdownValue != all {
			continue
		}
		k := key{v.MetricID, v.Measure, v.Phase, benchPeriod(v)}
		hidden[k] = hidden[k] || v.Suppressed != NotSuppressed
	}
	for i := range bs {
		b := &bs[i]
		b.ComputedSuppressed = false
		if threshold <= 0 || !b.HackneyComputed.Valid {
			continue
		}
		h, found := hidden[key{b.MetricID, b.Measure, b.Phase, b.Period}]
		b.ComputedSuppressed = h || !found
	}
}

// benchPeriod is the published period a value is compared in: its own, or
// for a census day the academic year it falls in.
func benchPeriod(v *Value) string {
	if v.PeriodType != "census" {
		return v.Period
	}
	d := v.PeriodStart.V
	if !v.PeriodStart.Valid {
		var err error
		if d, err = time.Parse(time.DateOnly, v.Period); err != nil {
			return v.Period
		}
	}
	return academicYear(d)
}

// academicYear labels the academic year (September to August) d falls in:
// 2025-01-16 is in 2024/25.
func academicYear(d time.Time) string {
	y := d.Year()
	if d.Month() < time.September {
		y--
	}
	return fmt.Sprintf("%d/%02d", y, (y+1)%100)
}
