package export

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// column is one column a data table of rows of type T may have.
type column[T any] struct {
	header string
	keep   func(vs []T) bool // nil: always kept
	cell   func(v T) cell
}

// columns keeps the columns that have something to show and renders rows.
func columns[T any](cols []column[T], vs []T) (headers []string, rows [][]cell, kept []column[T]) {
	for _, c := range cols {
		if c.keep == nil || c.keep(vs) {
			kept = append(kept, c)
			headers = append(headers, c.header)
		}
	}
	for _, v := range vs {
		r := make([]cell, len(kept))
		for i, c := range kept {
			r[i] = c.cell(v)
		}
		rows = append(rows, r)
	}
	return headers, rows, kept
}

func anyValid[T any](get func(v T) bool) func(vs []T) bool {
	return func(vs []T) bool { return slices.ContainsFunc(vs, get) }
}

func distinct[T any](get func(v T) string) func(vs []T) bool {
	return func(vs []T) bool {
		return slices.ContainsFunc(vs, func(v T) bool { return get(v) != get(vs[0]) })
	}
}

func measureLabel(m string) string {
	if m == "value" {
		return "headline"
	}
	return strings.ReplaceAll(m, "_", " ")
}

func periodTypeLabel(t string) string {
	return strings.ReplaceAll(t, "_", " ")
}

// valueHeader names the value column with its unit when the table has one.
func valueHeader(vs []*Value) string {
	u := vs[0].Unit
	for _, v := range vs {
		if v.Unit != u {
			return "Value"
		}
	}
	return fmt.Sprintf("Value (%s)", unitLabel(u))
}

// figureColumns are the value columns shared by the time series and the
// breakdown tables.
func (wb *workbook) figureColumns(vs []*Value, previous bool) []column[*Value] {
	hidden := func(v *Value) bool { return v.Suppressed != NotSuppressed }
	cols := []column[*Value]{
		{header: valueHeader(vs), cell: func(v *Value) cell {
			return wb.figure(v.Value, hidden(v), unitFormat(v.Unit), v.Unit)
		}},
		{header: "Numerator", keep: anyValid(func(v *Value) bool { return v.Numerator.Valid }),
			cell: func(v *Value) cell { return wb.countCell(v.Numerator, hidden(v), v.Unit) }},
		{header: "Denominator", keep: anyValid(func(v *Value) bool { return v.Denominator.Valid }),
			cell: func(v *Value) cell { return wb.countCell(v.Denominator, hidden(v), v.Unit) }},
		{header: "Lower 95% CI", keep: anyValid(func(v *Value) bool { return v.CILower.Valid }),
			cell: func(v *Value) cell { return wb.figure(v.CILower, hidden(v), unitFormat(v.Unit), v.Unit) }},
		{header: "Upper 95% CI", keep: anyValid(func(v *Value) bool { return v.CIUpper.Valid }),
			cell: func(v *Value) cell { return wb.figure(v.CIUpper, hidden(v), unitFormat(v.Unit), v.Unit) }},
		{header: "Target", keep: anyValid(func(v *Value) bool { return v.Target.Valid }),
			cell: func(v *Value) cell { return wb.figure(v.Target, v.HideTarget(), unitFormat(v.Unit), v.Unit) }},
		{header: "Status", cell: func(v *Value) cell {
			c := textCell(statusLabel(v.Status))
			c.style = wb.statusStyle(v.Status)
			return c
		}},
	}
	if previous {
		cols = append(cols, column[*Value]{header: "Previous period value",
			keep: anyValid(func(v *Value) bool { return v.PreviousValue.Valid }),
			cell: func(v *Value) cell { return wb.figure(v.PreviousValue, v.HidePrevious(), unitFormat(v.Unit), v.Unit) }})
	}
	cols = append(cols,
		column[*Value]{header: "Change on previous period", keep: anyValid(func(v *Value) bool { return v.Change.Valid }),
			cell: func(v *Value) cell { return wb.figure(v.Change, v.HidePrevious(), changeFormat(v.Unit), v.Unit) }},
		column[*Value]{header: "Flag", keep: anyValid(func(v *Value) bool { return v.Flag != "" }),
			cell: func(v *Value) cell { return textCell(strings.ReplaceAll(v.Flag, "_", " ")) }},
	)
	return cols
}

func isTotal(v *Value) bool {
	return v.GeographyLevel == "borough" && v.Phase == all && v.Breakdown == all && v.BreakdownValue == all
}

// noData reports whether a metric has nothing to show: no rows, or only the
// engine's no_data placeholder.
func noData(vals []*Value) bool {
	return !slices.ContainsFunc(vals, func(v *Value) bool { return v.Value.Valid || v.Suppressed != NotSuppressed })
}

// metricSheet writes one metric's sheet: title, the borough time series as
// a table with a line chart, the comparison with published data when there
// is one, then the breakdowns of the latest period.
//
// The time series holds the borough rows of all phases of the metric's
// headline breakdown: the total, or for a metric such as a risk ratio one
// series per group (catalogue headline_breakdown).
func (wb *workbook) metricSheet(name string, m Metric, vals []*Value) metricSheet {
	ms := metricSheet{metric: m, sheet: name}
	s := wb.sheet(name)
	s.line(1, fmt.Sprintf("%s (%s)", m.Name, m.ID), wb.titleStyle())
	unit := m.Unit
	if len(vals) > 0 {
		unit = cmp.Or(unit, vals[0].Unit)
	}
	info := fmt.Sprintf("Unit: %s; %s.", unitLabel(unit), directionLabel(m.Direction))
	if m.Sources != "" {
		info += " Source returns: " + m.Sources + "."
	}
	s.line(2, info+" Definition and plan wording: Definitions sheet. c = suppressed (see Notes).", 0)
	// A measure's unit, for the comparison with published data.
	unitOf := func(measure string) string {
		if i := slices.IndexFunc(vals, func(v *Value) bool { return v.Measure == measure && v.Unit != "" }); i >= 0 {
			return vals[i].Unit
		}
		return unit
	}
	if noData(vals) {
		s.line(4, "No data: the return this metric needs has not been loaded, or the metric has not been computed yet.", 0)
		ms.headlines = []headline{{noTrend: "no data"}}
		if len(vals) > 0 {
			ms.headlines[0].v = vals[0]
		}
		// Published figures are worth showing without our own.
		_, ms.ranked = wb.comparison(s, 6, false, m, wb.bench[m.ID], unitOf)
		s.finish(0, nil)
		return ms
	}

	hb := m.headlineBreakdown()
	inSeries := func(v *Value) bool {
		return v.GeographyLevel == "borough" && v.Phase == all && v.Breakdown == hb && (hb != all || v.BreakdownValue == all)
	}
	series := filter(vals, inSeries)
	if len(series) == 0 && hb != all { // the catalogue names a breakdown the metric lacks
		hb = all
		series = filter(vals, isTotal)
	}
	// Hackney's own rows when there are several areas at borough level.
	if slices.ContainsFunc(series, func(v *Value) bool { return v.GeographyCode == HackneyCode }) {
		series = filter(series, func(v *Value) bool { return v.GeographyCode == HackneyCode })
	}
	hm := m.headlineMeasure()
	if !slices.ContainsFunc(series, func(v *Value) bool { return v.Measure == hm }) && len(series) > 0 {
		hm = series[0].Measure
	}
	// One headline per group (just the total when hb is all), in its
	// latest period.
	groups := map[string][]*Value{}
	var order []string
	for _, v := range series {
		if v.Measure != hm {
			continue
		}
		if _, ok := groups[v.BreakdownValue]; !ok {
			order = append(order, v.BreakdownValue)
		}
		groups[v.BreakdownValue] = append(groups[v.BreakdownValue], v)
	}
	slices.Sort(order)
	var latestHeadline *Value
	for _, g := range order {
		h := latest(groups[g])
		ms.headlines = append(ms.headlines, headline{group: g, v: h})
		if latestHeadline == nil || compareLatest(h, latestHeadline) > 0 {
			latestHeadline = h
		}
	}

	row := 4
	if len(series) > 0 {
		// Headline measure first, then the headline's period type, group, time.
		slices.SortStableFunc(series, func(a, b *Value) int {
			return cmp.Or(
				cmp.Compare(boolInt(a.Measure != hm), boolInt(b.Measure != hm)),
				cmp.Compare(a.Measure, b.Measure),
				cmp.Compare(boolInt(a.PeriodType != latestHeadline.PeriodType), boolInt(b.PeriodType != latestHeadline.PeriodType)),
				cmp.Compare(a.PeriodType, b.PeriodType),
				cmp.Compare(a.BreakdownValue, b.BreakdownValue),
				comparePeriod(a, b))
		})
		heading := "Time series, " + cmp.Or(series[0].GeographyName, "Hackney")
		if hb != all {
			heading += ", by " + lowerFirst(breakdownLabel(hb))
		}
		s.line(row, heading, wb.headingStyle())
		cols := []column[*Value]{
			{header: "Period", cell: func(v *Value) cell { return textCell(v.Period) }},
			{header: "Period type", keep: distinct(func(v *Value) string { return v.PeriodType }),
				cell: func(v *Value) cell { return textCell(periodTypeLabel(v.PeriodType)) }},
		}
		if hb != all {
			cols = append(cols, column[*Value]{header: breakdownLabel(hb), cell: func(v *Value) cell { return textCell(v.BreakdownValue) }})
		}
		cols = append(cols, column[*Value]{header: "Measure", keep: distinct(func(v *Value) string { return v.Measure }),
			cell: func(v *Value) cell { return textCell(measureLabel(v.Measure)) }})
		cols = append(cols, wb.figureColumns(series, false)...)
		headers, rows, kept := columns(cols, series)
		header := row + 1
		last := s.table(header, name+"_time_series", headers, rows)
		row = last + 2
		if wb.chart(&ms, s, header, kept, series, hm, latestHeadline) {
			// Printing: a long series pushes the chart to its own page
			// rather than cutting it in two.
			if len(series) > longSeries {
				wb.fail(wb.f.InsertPageBreak(name, cellName(1, row)))
			}
			row += chartRows + 1
		}
	}
	// Printing: after a time series the comparison starts a page.
	row, ms.ranked = wb.comparison(s, row, row > 4, m, wb.bench[m.ID], unitOf)
	wb.breakdowns(s, row, filter(vals, func(v *Value) bool { return !inSeries(v) }), latestHeadline)
	s.finish(2, nil)
	return ms
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func filter(vs []*Value, keep func(v *Value) bool) []*Value {
	var out []*Value
	for _, v := range vs {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}

// compareLatest orders values by how recent their period is: by end date,
// then academic before financial before census before calendar years (as the
// metric engine's headlines do), then by start and label.
func compareLatest(a, b *Value) int {
	if a.PeriodEnd.Valid != b.PeriodEnd.Valid {
		return cmp.Compare(boolInt(a.PeriodEnd.Valid), boolInt(b.PeriodEnd.Valid))
	}
	if a.PeriodEnd.Valid {
		if c := a.PeriodEnd.V.Compare(b.PeriodEnd.V); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(periodTypeRank(b.PeriodType), periodTypeRank(a.PeriodType)); c != 0 {
		return c
	}
	return comparePeriod(a, b)
}

func periodTypeRank(t string) int {
	switch t {
	case "academic_year":
		return 1
	case "financial_year":
		return 2
	case "census":
		return 3
	}
	return 4
}

// latest is the value of the latest period (nil for none).
func latest(vs []*Value) *Value {
	if len(vs) == 0 {
		return nil
	}
	return slices.MaxFunc(vs, compareLatest)
}

// longSeries is the most time series rows printed on one page with the
// chart below them.
const longSeries = 10

// maxChartSeries caps the lines on one chart (one per group).
const maxChartSeries = 8

// chart draws the headline measure's series in the headline period type
// (one line per group, plus the target for a single series) below the time
// series table, and records each group's range for the Summary sparklines.
// Excel draws a suppressed point ("c") as zero, so a series with any
// suppressed point is left out. It reports whether a chart was added.
func (wb *workbook) chart(ms *metricSheet, s *sheetWriter, header int, kept []column[*Value], series []*Value, hm string, latestHeadline *Value) bool {
	valueCol := slices.IndexFunc(kept, func(c column[*Value]) bool { return strings.HasPrefix(c.header, "Value") }) + 1
	targetCol := slices.IndexFunc(kept, func(c column[*Value]) bool { return c.header == "Target" }) + 1
	type span struct{ first, last int }
	spans := map[string]*span{}
	for i, v := range series {
		if v.Measure != hm || v.PeriodType != latestHeadline.PeriodType {
			continue
		}
		if sp, ok := spans[v.BreakdownValue]; ok {
			sp.last = i
		} else {
			spans[v.BreakdownValue] = &span{i, i}
		}
	}
	sheet := s.name
	unit := latestHeadline.Unit
	chart := &excelize.Chart{
		Type: excelize.Line,
		Format: excelize.GraphicOptions{
			OffsetX: 4, OffsetY: 4,
			AltText: fmt.Sprintf("Line chart of %s for %s by %s. The figures are in the table above.",
				ms.metric.Name, cmp.Or(latestHeadline.GeographyName, "Hackney"), periodTypeLabel(latestHeadline.PeriodType)),
		},
		Dimension: excelize.ChartDimension{Width: chartWidth, Height: chartHeight},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: truncate(ms.metric.Name, 90), Font: &excelize.Font{Family: fontFamily, Bold: true, Size: 12, Color: "262626"}}}},
		XAxis:     excelize.ChartAxis{Font: excelize.Font{Family: fontFamily, Color: "404040", Size: 9}},
		YAxis: excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: unitFormat(unit)},
			Font: excelize.Font{Family: fontFamily, Color: "404040", Size: 9}},
		ShowBlanksAs: "gap",
	}
	for i := range ms.headlines {
		h := &ms.headlines[i]
		sp, ok := spans[h.group]
		if !ok {
			h.noTrend = "no series in the headline period type"
			continue
		}
		pts := series[sp.first : sp.last+1]
		r1, r2 := header+1+sp.first, header+1+sp.last
		switch {
		case slices.ContainsFunc(pts, func(v *Value) bool { return v.Suppressed != NotSuppressed }):
			h.noTrend = "not drawn: some values are suppressed"
			continue
		case !slices.ContainsFunc(pts, func(v *Value) bool { return v.Value.Valid }):
			h.noTrend = "no values yet"
			continue
		case len(pts) < 2:
			h.noTrend = "one period only"
		default:
			h.trend, h.cats, h.first = ref(sheet, valueCol, r1, valueCol, r2), ref(sheet, 1, r1, 1, r2), pts[0].Period
		}
		if len(chart.Series) >= maxChartSeries {
			continue
		}
		// Series names are formulas in excelize: they point at a cell, the
		// group's label in the table or the value column's header.
		name := cellRef(sheet, valueCol, header)
		if h.group != all {
			groupCol := 1 + slices.IndexFunc(kept, func(c column[*Value]) bool { return c.header == breakdownLabel(latestHeadline.Breakdown) })
			name = cellRef(sheet, groupCol, r1)
		}
		chart.Series = append(chart.Series, excelize.ChartSeries{
			Name:       name,
			Categories: ref(sheet, 1, r1, 1, r2),
			Values:     ref(sheet, valueCol, r1, valueCol, r2),
			Line:       excelize.LineOptions{Width: 2.25},
			Marker:     excelize.ChartMarker{Symbol: "circle", Size: 7},
		})
		if len(ms.headlines) == 1 && targetCol > 0 &&
			slices.ContainsFunc(pts, func(v *Value) bool { return v.Target.Valid }) &&
			!slices.ContainsFunc(pts, func(v *Value) bool { return v.HideTarget() }) {
			chart.Series = append(chart.Series, excelize.ChartSeries{
				Name:       cellRef(sheet, targetCol, header),
				Categories: ref(sheet, 1, r1, 1, r2),
				Values:     ref(sheet, targetCol, r1, targetCol, r2),
				Line:       excelize.LineOptions{Width: 1.5, Dash: excelize.LineDashDash},
				Marker:     excelize.ChartMarker{Symbol: "none"},
			})
		}
	}
	if len(chart.Series) == 0 {
		return false
	}
	// The rows under the chart get an explicit height, so the chart covers
	// the same rows in Excel and LibreOffice (which otherwise sizes rows to
	// their font).
	top := header + len(series) + 2
	for r := top; r < top+chartRows; r++ {
		s.heights[r] = defaultRowPoints
	}
	s.drawings = append(s.drawings, func() {
		if wb.err == nil {
			wb.fail(wb.f.AddChart(sheet, cellName(1, top), chart))
			wb.charts++
		}
	})
	return true
}

// breakdowns writes one table per geography level and breakdown for the
// headline's period: by phase, neighbourhood, school, then ethnicity group,
// SEN provision, FSM, gender...
func (wb *workbook) breakdowns(s *sheetWriter, row int, vals []*Value, headline *Value) {
	period, ptype := "", ""
	if headline != nil {
		period, ptype = headline.Period, headline.PeriodType
	} else if l := latest(vals); l != nil {
		period, ptype = l.Period, l.PeriodType
	}
	type key struct{ level, breakdown string }
	groups := map[key][]*Value{}
	for _, v := range vals {
		if v.Period != period || v.PeriodType != ptype || isTotal(v) {
			continue
		}
		k := key{v.GeographyLevel, v.Breakdown}
		groups[k] = append(groups[k], v)
	}
	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	// Phase, neighbourhood, school, then ethnicity group, SEN, FSM... for
	// the borough, then for schools.
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(boolInt(a.breakdown != all), boolInt(b.breakdown != all)),
			cmp.Compare(levelOrder(a.level), levelOrder(b.level)), cmp.Compare(a.level, b.level),
			cmp.Compare(breakdownOrder(a.breakdown), breakdownOrder(b.breakdown)), cmp.Compare(a.breakdown, b.breakdown))
	})
	if len(keys) > 0 {
		if row > 4 { // printing: breakdowns start a page
			wb.fail(wb.f.InsertPageBreak(s.name, cellName(1, row)))
		}
		s.line(row, "Breakdowns, "+period, wb.headingStyle())
		s.line(row+1, "The latest period only; earlier periods are in the analyst exports (CSV, Parquet).", 0)
		row += 3
	}
	for _, k := range keys {
		vs := groups[k]
		slices.SortStableFunc(vs, func(a, b *Value) int {
			return cmp.Or(
				cmp.Compare(phaseOrder(a.Phase), phaseOrder(b.Phase)), cmp.Compare(a.Phase, b.Phase),
				cmp.Compare(a.GeographyName, b.GeographyName), cmp.Compare(a.GeographyCode, b.GeographyCode),
				cmp.Compare(a.BreakdownValue, b.BreakdownValue),
				cmp.Compare(measureOrder(a.Measure), measureOrder(b.Measure)), cmp.Compare(a.Measure, b.Measure))
		})
		title, codeHeader, nameHeader := breakdownTitle(k.level, k.breakdown)
		s.line(row, fmt.Sprintf("%s, %s", title, period), wb.headingStyle())
		cols := []column[*Value]{
			{header: "Phase", keep: anyValid(func(v *Value) bool { return v.Phase != all }),
				cell: func(v *Value) cell { return textCell(v.Phase) }},
		}
		if k.level != "borough" {
			cols = append(cols,
				column[*Value]{header: codeHeader, cell: func(v *Value) cell { return textCell(v.GeographyCode) }},
				column[*Value]{header: nameHeader, cell: func(v *Value) cell { return textCell(v.GeographyName) }})
		}
		if k.breakdown != all {
			cols = append(cols, column[*Value]{header: breakdownLabel(k.breakdown),
				cell: func(v *Value) cell { return textCell(groupLabel(v.Breakdown, v.BreakdownValue)) }})
		}
		cols = append(cols, column[*Value]{header: "Measure", keep: distinct(func(v *Value) string { return v.Measure }),
			cell: func(v *Value) cell { return textCell(measureLabel(v.Measure)) }})
		cols = append(cols, wb.figureColumns(vs, true)...)
		headers, rows, _ := columns(cols, vs)
		last := s.table(row+1, fmt.Sprintf("%s_%s_%s", s.name, k.level, k.breakdown), headers, rows)
		row = last + 2
	}
}

// breakdownTitle names a breakdown table and its geography columns.
func breakdownTitle(level, breakdown string) (title, codeHeader, nameHeader string) {
	codeHeader, nameHeader = "Code", "Area"
	var where string
	switch level {
	case "borough":
	case "school":
		where, codeHeader, nameHeader = "school", "URN", "School"
	case "neighbourhood":
		where, codeHeader, nameHeader = "neighbourhood", "Neighbourhood code", "Neighbourhood"
	default:
		where, nameHeader = strings.ReplaceAll(level, "_", " "), breakdownLabel(level)
	}
	switch {
	case where == "" && breakdown == all:
		title = "By phase"
	case where == "":
		title = "By " + lowerFirst(breakdownLabel(breakdown))
	case breakdown == all:
		title = "By " + where
	default:
		title = fmt.Sprintf("By %s and %s", where, lowerFirst(breakdownLabel(breakdown)))
	}
	return title, codeHeader, nameHeader
}

// lowerFirst lower-cases a label's first letter unless it starts an acronym
// ("Ethnicity group" -> "ethnicity group", "SEN provision" stays).
func lowerFirst(s string) string {
	if len(s) > 1 && s[1] >= 'a' && s[1] <= 'z' {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

// groupLabel spells out coded breakdown values for readers of the
// workbook (the analyst exports keep the codes).
func groupLabel(breakdown, value string) string {
	if breakdown == "sen_provision" {
		switch value {
		case "K":
			return "K: SEN support"
		case "E":
			return "E: EHC plan"
		case "N":
			return "N: no SEN"
		}
	}
	return value
}
