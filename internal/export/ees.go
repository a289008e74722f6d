package export

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// EES symbols (GSS harmonised symbols as used by Explore Education
// Statistics): c confidential (suppressed), x not available, z not
// applicable.
const (
	eesNotAvailable  = "x"
	eesNotApplicable = "z"
)

// Geography of England, London and Hackney for the EES geography columns.
const (
	englandCode = "E92000001"
	londonCode  = "E12000007"
	hackneyOld  = "204"
)

// eesColumns is the data file header: time, geography, filters, indicators.
var eesColumns = []string{
	"time_period", "time_identifier", "geographic_level",
	"country_code", "country_name", "region_code", "region_name",
	"new_la_code", "la_name", "old_la_code", "school_urn", "school_name",
	"metric", "measure", "education_phase", "breakdown_topic", "breakdown",
	"value", "numerator", "denominator", "ci_lower", "ci_upper", "target", "change",
}

// eesMeta is the metadata file: one row per filter and indicator.
var eesMeta = [][]string{
	{"col_name", "col_type", "label", "indicator_grouping", "indicator_unit", "indicator_dp", "filter_hint", "filter_grouping_column"},
	{"metric", "Filter", "Metric", "", "", "", "Hackney Education Strategic Plan 2026-29 metric, with its unit", ""},
	{"measure", "Filter", "Measure", "", "", "", "Headline figure or another measure of the metric", ""},
	{"education_phase", "Filter", "Education phase", "", "", "", "", ""},
	{"breakdown", "Filter", "Pupil characteristic", "", "", "", "Total, or a group of pupils", "breakdown_topic"},
	{"value", "Indicator", "Value", "", "", "2", "", ""},
	{"numerator", "Indicator", "Numerator", "", "", "0", "", ""},
	{"denominator", "Indicator", "Denominator", "", "", "0", "", ""},
	{"ci_lower", "Indicator", "Lower 95% confidence limit", "", "", "2", "", ""},
	{"ci_upper", "Indicator", "Upper 95% confidence limit", "", "", "2", "", ""},
	{"target", "Indicator", "Target", "", "", "2", "", ""},
	{"change", "Indicator", "Change on previous period", "", "", "2", "", ""},
}

// EES writes the metric values in the Explore Education Statistics open data
// standard: a tidy data CSV and its .meta.csv per time identifier (a data
// file holds one kind of time period). Files are named
// ees_metric_values[_priority_N]_<time_identifier>.csv. It returns the paths
// written.
//
// Borough rows become geographic level "Local authority" and school rows
// "School"; neighbourhood rows are left out, as EES has no such level.
// Totals are labelled "Total"; suppressed figures are "c", missing ones "x"
// and figures that do not apply "z".
func EES(ctx context.Context, db *sql.DB, outDir string, opts Options) ([]string, error) {
	if err := ensureDir(outDir); err != nil {
		return nil, err
	}
	p, suffix, err := loadSelected(ctx, db, opts)
	if err != nil {
		return nil, err
	}
	names := map[string]Metric{}
	for _, m := range p.Metrics {
		names[m.ID] = m
	}
	byTime := map[string][][]string{}
	for i := range p.Values {
		v := &p.Values[i]
		tp, ti, ok := eesTime(v)
		if !ok {
			continue
		}
		geo, ok := eesGeography(v)
		if !ok {
			continue
		}
		m, ok := names[v.MetricID]
		name := cmp.Or(m.Name, v.MetricID)
		if !ok {
			m.Unit = v.Unit
		}
		rec := []string{tp, ti}
		rec = append(rec, geo...)
		topic, group := "Total", "Total"
		if v.Breakdown != all {
			topic, group = breakdownLabel(v.Breakdown), v.BreakdownValue
		}
		hidden := v.Suppressed != NotSuppressed
		rec = append(rec,
			fmt.Sprintf("%s (%s)", name, unitLabel(cmp.Or(v.Unit, m.Unit))),
			eesMeasure(v.Measure), eesTotal(v.Phase), topic, group,
			eesNum(v.Value, hidden, eesNotAvailable),
			eesNum(v.Numerator, hidden, eesNotApplicable),
			eesNum(v.Denominator, hidden, eesNotApplicable),
			eesNum(v.CILower, hidden, eesNotApplicable),
			eesNum(v.CIUpper, hidden, eesNotApplicable),
			eesNum(v.Target, v.HideTarget(), eesNotApplicable),
			eesNum(v.Change, v.HidePrevious(), eesNotApplicable),
		)
		for j := range rec[:len(eesColumns)-7] { // text columns; figures are numbers or symbols
			rec[j] = defuse(rec[j])
		}
		byTime[ti] = append(byTime[ti], rec)
	}
	var paths []string
	ids := make([]string, 0, len(byTime))
	for ti := range byTime {
		ids = append(ids, ti)
	}
	slices.Sort(ids)
	base := "ees_metric_values" + strings.ReplaceAll(suffix, "-", "_")
	for _, ti := range ids {
		name := base + "_" + strings.ReplaceAll(strings.ToLower(ti), " ", "_")
		data := filepath.Join(outDir, name+".csv")
		meta := filepath.Join(outDir, name+".meta.csv")
		rows := byTime[ti]
		if err := writeAtomic(data, func(f *os.File) error { return writeCSV(f, eesColumns, rows) }); err != nil {
			return paths, err
		}
		paths = append(paths, data)
		if err := writeAtomic(meta, func(f *os.File) error { return writeCSV(f, eesMeta[0], eesMeta[1:]) }); err != nil {
			return paths, err
		}
		paths = append(paths, meta)
	}
	return paths, nil
}

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// eesTime maps a period to EES time_period and time_identifier: 2024/25
// (academic) and 2024-25 (financial) become 202425, a calendar year stays
// 2024, and a census day counts in its academic year.
func eesTime(v *Value) (period, identifier string, ok bool) {
	twoYears := func(label string, sep string) (string, bool) {
		a, b, found := strings.Cut(label, sep)
		if !found || len(a) != 4 || len(b) != 2 {
			return "", false
		}
		if _, err := strconv.Atoi(a + b); err != nil {
			return "", false
		}
		return a + b, true
	}
	switch v.PeriodType {
	case "academic_year":
		p, ok := twoYears(v.Period, "/")
		return p, "Academic year", ok
	case "financial_year":
		p, ok := twoYears(v.Period, "-")
		return p, "Financial year", ok
	case "calendar_year":
		if _, err := strconv.Atoi(v.Period); err != nil || len(v.Period) != 4 {
			return "", "", false
		}
		return v.Period, "Calendar year", true
	case "census":
		d, err := time.Parse(time.DateOnly, v.Period)
		if err != nil {
			if !v.PeriodStart.Valid {
				return "", "", false
			}
			d = v.PeriodStart.V
		}
		y := d.Year()
		if d.Month() < time.September {
			y--
		}
		return fmt.Sprintf("%d%02d", y, (y+1)%100), "Academic year", true
	}
	return "", "", false
}

// eesGeography fills geographic_level and the country, region, LA and school
// columns; ok is false for levels EES does not have (neighbourhoods).
func eesGeography(v *Value) ([]string, bool) {
	switch v.GeographyLevel {
	case "borough":
		region, regionName, old := "", "", ""
		if v.GeographyCode == HackneyCode {
			region, regionName, old = londonCode, "London", hackneyOld
		}
		return []string{"Local authority", englandCode, "England", region, regionName,
			v.GeographyCode, cmp.Or(v.GeographyName, "Hackney"), old, "", ""}, true
	case "school":
		return []string{"School", englandCode, "England", londonCode, "London",
			HackneyCode, "Hackney", hackneyOld, v.GeographyCode, v.GeographyName}, true
	}
	return nil, false
}

func eesMeasure(m string) string {
	if m == "value" {
		return "Headline"
	}
	s := strings.ReplaceAll(m, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func eesTotal(s string) string {
	if s == all || s == "" {
		return "Total"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func eesNum(n sql.Null[float64], hidden bool, missing string) string {
	switch {
	case hidden:
		return Symbol
	case !n.Valid || !finite(n.V):
		return missing
	}
	return strconv.FormatFloat(n.V, 'f', -1, 64)
}
