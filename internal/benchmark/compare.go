package benchmark

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

var (
	//go:embed sql/compare_areas.sql
	compareAreasSQL string
	//go:embed sql/compare_benchmarks.sql
	compareBenchmarksSQL string
)

// MapFile is the seed mapping plan metrics to published indicators.
const MapFile = "benchmark_map.csv"

// Mapping is one row of the seed benchmark_map.csv: a plan metric (and
// measure and phase) and the published indicator that benchmarks it.
type Mapping struct {
	MetricID   string
	Measure    string            // the metric's measure: value (headline), or another it reports
	Phase      string            // all, primary, secondary ...
	Source     string            // ees | lait | scorecard
	Indicator  string            // EES indicator column, LAIT Short Desc, scorecard column
	Filters    map[string]string // EES filter column -> value; all of the file's filters
	PeriodType string            // academic_year | financial_year | calendar_year; "" = as published
	Better     string            // up | down | none
	RankOrder  string            // highest | lowest: which value is rank 1
	Scale      float64           // published value x Scale = the plan's unit (1 unless a file gives 0-1)
	Notes      string
}

// SeedError is a problem in the mapping seed, with its line and column.
type SeedError struct {
	Line   int
	Column string
	Value  string
	Msg    string
}

func (e *SeedError) Error() string {
	return fmt.Sprintf("%s:%d:%s: %q: %s", MapFile, e.Line, e.Column, e.Value, e.Msg)
}

var mapColumns = []string{"metric_id", "measure", "phase", "source", "indicator", "filters", "period_type", "better", "rank_order", "scale", "notes"}

// ReadMappings reads benchmark_map.csv from seeds. Filters are written
// "column=value; column=value"; better is up, down or none (blank: none);
// rank_order defaults from better (down: lowest, otherwise highest).
func ReadMappings(seeds fs.FS) ([]Mapping, error) {
	b, err := fs.ReadFile(seeds, MapFile)
	if err != nil {
		return nil, fmt.Errorf("read seed %s: %w", MapFile, err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff")))
	r.Comment = '#'
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read seed %s: %w", MapFile, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("seed %s is empty: it needs the header %s", MapFile, strings.Join(mapColumns, ","))
	}
	idx := map[string]int{}
	for i, h := range recs[0] {
		idx[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range []string{"metric_id", "source", "indicator"} {
		if _, ok := idx[c]; !ok {
			return nil, &SeedError{Line: 1, Column: c, Msg: "required column missing; the header is " + strings.Join(mapColumns, ",")}
		}
	}
	var out []Mapping
	seen := map[string]int{}
	for n, rec := range recs[1:] {
		line := n + 2
		get := func(c string) string {
			if i, ok := idx[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		m := Mapping{MetricID: get("metric_id"), Measure: get("measure"), Phase: get("phase"), Source: strings.ToLower(get("source")),
			Indicator: get("indicator"), PeriodType: get("period_type"), Better: strings.ToLower(get("better")),
			RankOrder: strings.ToLower(get("rank_order")), Notes: get("notes"), Scale: 1}
		if m.MetricID == "" && m.Indicator == "" {
			continue // a blank line
		}
		bad := func(col, msg string) error { return &SeedError{Line: line, Column: col, Value: get(col), Msg: msg} }
		if m.MetricID == "" {
			return nil, bad("metric_id", "a metric id from metrics.md is required")
		}
		if m.Indicator == "" {
			return nil, bad("indicator", "the published indicator is required")
		}
		if m.Source != TypeEES && m.Source != TypeLAIT && m.Source != TypeScorecard {
			return nil, bad("source", "use ees, lait or scorecard")
		}
		if m.Measure == "" {
			m.Measure = "value"
		}
		if m.Phase == "" {
			m.Phase = "all"
		}
		switch m.PeriodType {
		case "", "academic_year", "financial_year", "calendar_year":
		default:
			return nil, bad("period_type", "use academic_year, financial_year or calendar_year (or leave blank)")
		}
		switch m.Better {
		case "":
			m.Better = "none"
		case "up", "down", "none":
		default:
			return nil, bad("better", "use up, down or none")
		}
		switch m.RankOrder {
		case "":
			m.RankOrder = "highest"
			if m.Better == "down" {
				m.RankOrder = "lowest"
			}
		case "highest", "lowest":
		default:
			return nil, bad("rank_order", "use highest or lowest (which value ranks 1)")
		}
		if s := get("scale"); s != "" {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || f == 0 {
				return nil, bad("scale", "a non-zero number that turns the published value into the plan's unit")
			}
			m.Scale = f
		}
		m.Filters, err = parseFilters(get("filters"))
		if err != nil {
			return nil, bad("filters", err.Error())
		}
		key := strings.Join([]string{m.MetricID, m.Measure, m.Phase, m.Source, m.Indicator, filterString(m.Filters)}, "\x00")
		if prev, dup := seen[key]; dup {
			return nil, bad("indicator", fmt.Sprintf("the same mapping is on line %d", prev))
		}
		seen[key] = line
		out = append(out, m)
	}
	return out, nil
}

// parseFilters reads "column=value; column=value".
func parseFilters(s string) (map[string]string, error) {
	f := map[string]string{}
	for _, part := range strings.Split(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" {
			return nil, fmt.Errorf("write filters as column=value; column=value (got %q)", strings.TrimSpace(part))
		}
		if _, dup := f[k]; dup {
			return nil, fmt.Errorf("filter %s is given twice", k)
		}
		f[k] = strings.TrimSpace(v)
	}
	return f, nil
}

func filterString(f map[string]string) string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + f[k] + ";")
	}
	return b.String()
}

// CompareResult says what [Compare] built.
type CompareResult struct {
	Rows     int64    // rows of indicators.benchmarks
	Mappings int      // rows of the seed
	NoData   []string // mappings no loaded value matched ("metric_id measure phase <- source indicator")
}

// Compare rebuilds indicators.benchmarks (one row per mapped metric and
// period) and indicators.benchmark_areas (every area's value, rank and
// quartile behind it) from the benchmark tables, the seed benchmark_map.csv
// in seeds and indicators.metric_values, in one transaction. It needs no
// benchmark file loaded: the tables are then empty.
func Compare(ctx context.Context, db *sql.DB, seeds fs.FS) (res CompareResult, err error) {
	maps, err := ReadMappings(seeds)
	if err != nil {
		return res, err
	}
	res.Mappings = len(maps)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("compare benchmarks: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	if err := applySchema(ctx, tx); err != nil {
		return res, err
	}
	if err := writeMap(ctx, tx, maps); err != nil {
		return res, err
	}
	if _, err := tx.ExecContext(ctx, compareAreasSQL, HackneyLANumber); err != nil {
		return res, fmt.Errorf("compare benchmarks: every LA: %w", err)
	}
	if _, err := tx.ExecContext(ctx, compareBenchmarksSQL, HackneyLANumber); err != nil {
		return res, fmt.Errorf("compare benchmarks: Hackney: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `select count(*) from indicators.benchmarks`).Scan(&res.Rows); err != nil {
		return res, fmt.Errorf("compare benchmarks: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `select metric_id || ' ' || measure || ' ' || phase || ' <- ' || source || ' ' || indicator
		from benchmark.map m
		where not exists (select 1 from indicators.benchmark_areas a where a.map_id = m.map_id)
		order by map_id`)
	if err != nil {
		return res, fmt.Errorf("compare benchmarks: %w", err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return res, err
		}
		res.NoData = append(res.NoData, s)
	}
	if err := rows.Close(); err != nil {
		return res, err
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("compare benchmarks: commit: %w", err)
	}
	return res, nil
}

// writeMap replaces benchmark.map with the seed. Filters become the same
// canonical JSON the loader writes (DuckDB's json_object, keys sorted).
func writeMap(ctx context.Context, tx *sql.Tx, maps []Mapping) error {
	if _, err := tx.ExecContext(ctx, `create or replace table benchmark.map (
		map_id integer not null, metric_id varchar not null, measure varchar not null, phase varchar not null,
		source varchar not null, indicator varchar not null, filters varchar not null, period_type varchar,
		better varchar not null, rank_order varchar not null, scale double not null, notes varchar)`); err != nil {
		return fmt.Errorf("write benchmark.map: %w", err)
	}
	for i, m := range maps {
		keys := make([]string, 0, len(m.Filters))
		for k := range m.Filters {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		filters := "'{}'"
		args := []any{i + 1, m.MetricID, m.Measure, m.Phase, m.Source, m.Indicator}
		if len(keys) > 0 {
			ph := make([]string, 0, 2*len(keys))
			for _, k := range keys {
				ph = append(ph, "?", "?")
				args = append(args, k, m.Filters[k])
			}
			filters = "cast(json_object(" + strings.Join(ph, ", ") + ") as varchar)"
		}
		args = append(args, m.PeriodType, m.Better, m.RankOrder, m.Scale, m.Notes)
		// Only placeholders are put into the statement text.
		if _, err := tx.ExecContext(ctx, `insert into benchmark.map values (?, ?, ?, ?, ?, ?, `+filters+
			`, nullif(?, ''), ?, ?, ?, nullif(?, ''))`, args...); err != nil {
			return fmt.Errorf("write benchmark.map line %d: %w", i+2, err)
		}
	}
	return nil
}
