package export

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// sourceOrder is the order a figure several sources publish is shown from:
// LAIT first (the tool leads know), then EES, then the scorecards.
func sourceOrder(s string) int {
	switch s {
	case "lait":
		return 0
	case "ees":
		return 1
	case "scorecard":
		return 2
	}
	return 3
}

// sourceLabel names a benchmark source for readers.
func sourceLabel(s string) string {
	switch s {
	case "lait":
		return "LAIT"
	case "ees":
		return "EES"
	case "scorecard":
		return "Scorecard"
	}
	return s
}

// repeat records that a source published the same figures as a preferred
// one for some periods, which are shown once.
type repeat struct {
	source, kept string
	periods      int
}

// comparisonRows orders a metric's benchmarks for its sheet (headline
// measure first, then phase all, then source by [sourceOrder], then period)
// and leaves out a row whose figures a preferred source already shows for
// the same measure, phase and period. Rows of one series (measure, phase,
// source, indicator) stay together, so a chart can point at them.
func comparisonRows(hm string, bs []*Benchmark) ([]*Benchmark, []repeat) {
	sorted := sortBenchmarks(hm, bs)
	type key struct{ measure, phase, periodType, period string }
	shown := map[key][]*Benchmark{}
	var out []*Benchmark
	var repeats []repeat
	for _, b := range sorted {
		k := key{b.Measure, b.Phase, b.PeriodType, b.Period}
		i := slices.IndexFunc(shown[k], func(o *Benchmark) bool { return o.Source != b.Source && sameFigures(o, b) })
		if i < 0 {
			shown[k] = append(shown[k], b)
			out = append(out, b)
			continue
		}
		kept := sourceLabel(shown[k][i].Source)
		j := slices.IndexFunc(repeats, func(r repeat) bool { return r.source == sourceLabel(b.Source) && r.kept == kept })
		if j < 0 {
			repeats = append(repeats, repeat{source: sourceLabel(b.Source), kept: kept})
			j = len(repeats) - 1
		}
		repeats[j].periods++
	}
	return out, repeats
}

// sortBenchmarks returns bs in the order a sheet shows them: headline
// measure hm first, phase all first, sources by [sourceOrder], then period.
func sortBenchmarks(hm string, bs []*Benchmark) []*Benchmark {
	sorted := slices.Clone(bs)
	slices.SortStableFunc(sorted, func(a, b *Benchmark) int {
		return cmp.Or(
			cmp.Compare(boolInt(a.Measure != hm), boolInt(b.Measure != hm)), cmp.Compare(a.Measure, b.Measure),
			cmp.Compare(phaseOrder(a.Phase), phaseOrder(b.Phase)), cmp.Compare(a.Phase, b.Phase),
			cmp.Compare(sourceOrder(a.Source), sourceOrder(b.Source)), cmp.Compare(a.Source, b.Source),
			cmp.Compare(a.Indicator, b.Indicator), cmp.Compare(a.Filters, b.Filters),
			cmp.Compare(a.PeriodType, b.PeriodType), cmp.Compare(a.Period, b.Period))
	})
	return sorted
}

// sameFigures reports whether two sources publish the same figures for a
// period: everything the comparison table shows of them.
func sameFigures(a, b *Benchmark) bool {
	num := func(x, y optFloat) bool {
		return x.Valid == y.Valid && (!x.Valid || math.Abs(x.V-y.V) < 1e-9)
	}
	count := func(x, y optInt) bool { return x.Valid == y.Valid && x.V == y.V }
	return num(a.HackneyPublished, b.HackneyPublished) && a.HackneySymbol == b.HackneySymbol &&
		num(a.England, b.England) && num(a.London, b.London) && num(a.InnerLondon, b.InnerLondon) &&
		num(a.SNAverage, b.SNAverage) && count(a.SNWithValue, b.SNWithValue) &&
		count(a.Rank, b.Rank) && count(a.RankOf, b.RankOf) && a.Quartile == b.Quartile &&
		count(a.SNRank, b.SNRank) && count(a.SNRankOf, b.SNRankOf) && num(a.Change, b.Change)
}

// sameSeries reports whether two rows belong to one published series.
func sameSeries(a, b *Benchmark) bool {
	return a.Measure == b.Measure && a.Phase == b.Phase && a.Source == b.Source &&
		a.Indicator == b.Indicator && a.Filters == b.Filters && a.PeriodType == b.PeriodType
}

// rankText is "23 of 153", or "" when there is no rank.
func rankText(rank, of optInt) string {
	if !rank.Valid {
		return ""
	}
	if !of.Valid || of.V == 0 {
		return fmt.Sprint(rank.V)
	}
	return fmt.Sprintf("%d of %d", rank.V, of.V)
}

// rankWords says which value ranks 1 and is in quartile A.
func rankWords(better, rankOrder string) string {
	end := "highest"
	if rankOrder == "lowest" {
		end = "lowest"
	}
	switch better {
	case "up", "down":
		return fmt.Sprintf("rank 1 and quartile A are the best, the %s values (%s)", end, directionLabel(better))
	}
	return fmt.Sprintf("the published indicator has no better direction: rank 1 and quartile A are the %s values", end)
}

// comparisonColumns are the columns of the comparison table; unit gives a
// row's unit (its measure's).
func (wb *workbook) comparisonColumns(unit func(b *Benchmark) string) []column[*Benchmark] {
	fig := func(get func(b *Benchmark) optFloat) func(b *Benchmark) cell {
		return func(b *Benchmark) cell { u := unit(b); return wb.figure(get(b), false, unitFormat(u), u) }
	}
	has := func(get func(b *Benchmark) optFloat) func(bs []*Benchmark) bool {
		return anyValid(func(b *Benchmark) bool { return get(b).Valid })
	}
	england := func(b *Benchmark) optFloat { return b.England }
	london := func(b *Benchmark) optFloat { return b.London }
	inner := func(b *Benchmark) optFloat { return b.InnerLondon }
	sn := func(b *Benchmark) optFloat { return b.SNAverage }
	return []column[*Benchmark]{
		{header: "Period", cell: func(b *Benchmark) cell { return textCell(b.Period) }},
		{header: "Period type", keep: distinct(func(b *Benchmark) string { return b.PeriodType }),
			cell: func(b *Benchmark) cell { return textCell(periodTypeLabel(b.PeriodType)) }},
		{header: "Measure", keep: distinct(func(b *Benchmark) string { return b.Measure }),
			cell: func(b *Benchmark) cell { return textCell(measureLabel(b.Measure)) }},
		{header: "Phase", keep: anyValid(func(b *Benchmark) bool { return b.Phase != all }),
			cell: func(b *Benchmark) cell { return textCell(b.Phase) }},
		{header: "Published source", cell: func(b *Benchmark) cell {
			c := textCell(sourceLabel(b.Source) + ": " + cmp.Or(b.IndicatorLabel, b.Indicator))
			c.style, c.width, c.wrap = wb.textStyle(true), min(c.width, 32), true
			return c
		}},
		{header: "Hackney (published)", cell: func(b *Benchmark) cell {
			if !b.HackneyPublished.Valid && b.HackneySymbol != "" {
				// The publisher's own symbol (c, x, z ...), as published.
				return wb.rightText(b.HackneySymbol)
			}
			return fig(func(b *Benchmark) optFloat { return b.HackneyPublished })(b)
		}},
		{header: "Hackney (planmetrics)", keep: anyValid(func(b *Benchmark) bool { return b.HackneyComputed.Valid }),
			cell: func(b *Benchmark) cell {
				u := unit(b)
				return wb.figure(b.HackneyComputed, b.ComputedSuppressed, unitFormat(u), u)
			}},
		{header: "Difference from published", keep: anyValid(func(b *Benchmark) bool { return b.Difference.Valid }),
			cell: func(b *Benchmark) cell {
				u := unit(b)
				return wb.figure(b.Difference, b.ComputedSuppressed, changeFormat(u), u)
			}},
		{header: "SN average", keep: has(sn), cell: fig(sn)},
		{header: "Neighbours with a value", keep: anyValid(func(b *Benchmark) bool { return b.SNCount.V > 0 }),
			cell: func(b *Benchmark) cell {
				if b.SNCount.V <= 0 {
					return cell{empty: true}
				}
				return wb.rightText(fmt.Sprintf("%d of %d", b.SNWithValue.V, b.SNCount.V))
			}},
		{header: "London", keep: has(london), cell: fig(london)},
		{header: "Inner London", keep: has(inner), cell: fig(inner)},
		{header: "England", keep: has(england), cell: fig(england)},
		{header: "Rank of LAs", keep: anyValid(func(b *Benchmark) bool { return b.Rank.Valid }),
			cell: func(b *Benchmark) cell { return wb.rightText(rankText(b.Rank, b.RankOf)) }},
		{header: "Quartile band", keep: anyValid(func(b *Benchmark) bool { return b.Quartile != "" }),
			cell: func(b *Benchmark) cell { return wb.rightText(b.Quartile) }},
		{header: "Rank among neighbours", keep: anyValid(func(b *Benchmark) bool { return b.SNRank.Valid }),
			cell: func(b *Benchmark) cell { return wb.rightText(rankText(b.SNRank, b.SNRankOf)) }},
		{header: "Change on previous period", keep: anyValid(func(b *Benchmark) bool { return b.Change.Valid }),
			cell: func(b *Benchmark) cell {
				u := unit(b)
				return wb.figure(b.Change, false, changeFormat(u), u)
			}},
	}
}

// comparison writes the section "Compared with published data" at row: a
// few lines on how to read it, a chart of Hackney against the statistical
// neighbours' average and England for the first series (the headline
// measure, phase all, preferred source), and the table. newPage starts it
// on a new printed page. It returns the next free row and, for the
// Summary, that series' latest ranked row (nil when the first series is not
// the headline's total).
func (wb *workbook) comparison(s *sheetWriter, row int, newPage bool, m Metric, bs []*Benchmark, unit func(measure string) string) (int, *Benchmark) {
	hm := m.headlineMeasure()
	rows, repeats := comparisonRows(hm, bs)
	if len(rows) == 0 || wb.err != nil {
		return row, nil
	}
	if newPage {
		wb.fail(wb.f.InsertPageBreak(s.name, cellName(1, row)))
	}
	s.line(row, "Compared with published data", wb.headingStyle())
	var sources []string
	var words []string
	for _, b := range rows {
		if l := sourceLabel(b.Source); !slices.Contains(sources, l) {
			sources = append(sources, l)
		}
		if w := rankWords(b.Better, b.RankOrder); !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	lines := []string{
		fmt.Sprintf("Hackney as published by the DfE (%s) beside its statistical neighbours (SN), London and England; Hackney (planmetrics) is our own figure for the same period.",
			strings.Join(sources, ", ")),
		fmt.Sprintf("Rank among all local authorities with a value: %s. Quartile bands A to D split them into four groups. Published figures are public, not suppressed; see Notes.",
			strings.Join(words, "; ")),
	}
	for _, r := range repeats {
		lines = append(lines, fmt.Sprintf("%s publishes the same figures as %s in %d of the rows below; each is shown once, from %s.",
			r.source, r.kept, r.periods, r.kept))
	}
	for i, l := range lines {
		s.line(row+1+i, l, 0)
	}
	// The first series: the headline measure and phase all when published.
	n := 1
	for n < len(rows) && sameSeries(rows[n], rows[0]) {
		n++
	}
	first := rows[:n]
	var ranked *Benchmark
	if first[0].Measure == hm && first[0].Phase == all {
		for _, b := range first {
			if b.Rank.Valid {
				ranked = b
			}
		}
	}
	// The chart comes before the table: a long table then runs on to the
	// next printed page without leaving the chart alone on one.
	top := row + len(lines) + 2
	header := top
	drawn, why := chartable(first)
	switch {
	case drawn:
		header = top + chartRows + 1
	case why != "":
		s.line(top, why, 0)
		header = top + 2
	}
	rowUnit := func(b *Benchmark) string { return unit(b.Measure) }
	headers, cells, kept := columns(wb.comparisonColumns(rowUnit), rows)
	last := s.table(header, s.name+"_compared", headers, cells)
	if drawn {
		wb.comparisonChart(s, m, header, kept, first, unit(first[0].Measure), top)
	}
	return last + 2, ranked
}

// chartable reports whether a series can be drawn, or why not when a
// reader should know. As on the time series chart, Excel would draw a
// symbol as zero, so a series with one is not drawn; a missing figure is a
// gap.
func chartable(series []*Benchmark) (bool, string) {
	switch {
	case len(series) < 2:
		return false, ""
	case slices.ContainsFunc(series, func(b *Benchmark) bool { return !b.HackneyPublished.Valid && b.HackneySymbol != "" }):
		return false, "No chart: some of Hackney's published figures are symbols (such as c or x), which a chart would draw as zero."
	case !slices.ContainsFunc(series, func(b *Benchmark) bool { return b.HackneyPublished.Valid }):
		return false, ""
	}
	return true, ""
}

// comparisonChart draws Hackney (published), the SN average and England over
// time for one series whose rows start at header+1, at row top.
func (wb *workbook) comparisonChart(s *sheetWriter, m Metric, header int, kept []column[*Benchmark], series []*Benchmark, unit string, top int) {
	col := func(h string) int {
		return slices.IndexFunc(kept, func(c column[*Benchmark]) bool { return c.header == h }) + 1
	}
	// The rows of series: the table's first rows, as comparisonRows puts
	// the first series first.
	r1, r2 := header+1, header+len(series)
	sheet := s.name
	cats := ref(sheet, 1, r1, 1, r2)
	type line struct {
		header, alt, color string
		dash               excelize.LineDashType
		marker             string
		has                func(b *Benchmark) bool
	}
	var names []string
	chart := &excelize.Chart{
		Type:      excelize.Line,
		Dimension: excelize.ChartDimension{Width: chartWidth, Height: chartHeight},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{Font: excelize.Font{Family: fontFamily, Color: "404040", Size: 9}},
		YAxis: excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: unitFormat(unit)},
			Font: excelize.Font{Family: fontFamily, Color: "404040", Size: 9}},
		ShowBlanksAs: "gap",
	}
	// Colours from the Analysis Function's accessible palette, and a dash
	// pattern each, so the lines differ in grey too.
	for _, l := range []line{
		{"Hackney (published)", "Hackney's published figure", "12436D", excelize.LineDashSolid, "circle",
			func(b *Benchmark) bool { return b.HackneyPublished.Valid }},
		{"SN average", "the statistical neighbours' average", "28A197", excelize.LineDashDash, "diamond",
			func(b *Benchmark) bool { return b.SNAverage.Valid }},
		{"England", "England", "801650", excelize.LineDashSysDot, "triangle",
			func(b *Benchmark) bool { return b.England.Valid }},
	} {
		c := col(l.header)
		if c == 0 || !slices.ContainsFunc(series, l.has) {
			continue
		}
		names = append(names, l.alt)
		fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{l.color}}
		chart.Series = append(chart.Series, excelize.ChartSeries{
			Name:       cellRef(sheet, c, header),
			Categories: cats,
			Values:     ref(sheet, c, r1, c, r2),
			Fill:       fill,
			Line:       excelize.LineOptions{Width: 2.25, Dash: l.dash},
			Marker:     excelize.ChartMarker{Symbol: l.marker, Size: 7, Fill: fill, Border: excelize.LineOptions{Type: excelize.LineNone}},
		})
	}
	b := series[0]
	what := sourceLabel(b.Source)
	if b.Measure != m.headlineMeasure() {
		what = measureLabel(b.Measure) + ", " + what
	}
	if b.Phase != all {
		what = b.Phase + ", " + what
	}
	chart.Title = excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{
		Text: truncate(fmt.Sprintf("%s: Hackney, SN average and England (%s)", m.Name, what), 100),
		Font: &excelize.Font{Family: fontFamily, Bold: true, Size: 12, Color: "262626"},
	}}}
	chart.Format = excelize.GraphicOptions{
		OffsetX: 4, OffsetY: 4,
		AltText: fmt.Sprintf("Line chart of %s (%s) for %s, %s to %s. The figures are in the table below.",
			m.Name, what, joinAnd(names), b.Period, series[len(series)-1].Period),
	}
	for r := top; r < top+chartRows; r++ {
		s.heights[r] = defaultRowPoints
	}
	s.drawings = append(s.drawings, func() {
		if wb.err == nil {
			wb.fail(wb.f.AddChart(sheet, cellName(1, top), chart))
			wb.charts++
		}
	})
}

// joinAnd joins words as a sentence does: "a, b and c".
func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// comparedWith lists, for the Definitions sheet, the published indicators a
// metric is compared with, by source, headline first: "LAIT: SEN_TotStat;
// EES: ...".
func comparedWith(m Metric, bs []*Benchmark) string {
	bySource := map[string][]string{}
	var order []string
	for _, b := range sortBenchmarks(m.headlineMeasure(), bs) {
		l := sourceLabel(b.Source)
		if _, ok := bySource[l]; !ok {
			order = append(order, l)
		}
		if !slices.Contains(bySource[l], b.Indicator) {
			bySource[l] = append(bySource[l], b.Indicator)
		}
	}
	parts := make([]string, 0, len(order))
	for _, l := range order {
		parts = append(parts, l+": "+strings.Join(bySource[l], ", "))
	}
	return strings.Join(parts, "; ")
}
