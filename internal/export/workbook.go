package export

import (
	"bytes"
	"cmp"
	"database/sql"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Fixed sheet names.
const (
	sheetSummary     = "Summary"
	sheetNotes       = "Notes"
	sheetDefinitions = "Definitions"
	sheetAbout       = "About"
)

// fontFamily is used for every cell.
const fontFamily = "Arial"

// Chart size in pixels and the rows it covers: rows under a chart are
// defaultRowPoints high (15 points = 20 pixels).
const (
	chartWidth       = 720
	chartHeight      = 300
	defaultRowPoints = 15
	chartRows        = (chartHeight+19)/20 + 1
)

// WriteWorkbook writes p as one workbook at path: a Summary sheet, a Notes
// sheet, one sheet per metric, a Definitions and an About sheet. Call
// [Priority.Suppress] first (or not, for an internal copy: the About sheet
// then says no suppression was applied). The file is written to a temporary
// file and renamed into place, owner-only.
func WriteWorkbook(path string, p *Priority, opts Options) error {
	f := excelize.NewFile()
	defer f.Close()
	wb := &workbook{f: f, p: p, opts: opts, now: opts.now(), styles: map[string]int{}}
	wb.build()
	if wb.err != nil {
		return fmt.Errorf("build workbook %s: %w", path, wb.err)
	}
	return writeAtomic(path, func(out *os.File) error { return f.Write(out) })
}

// workbook builds one priority's workbook. Errors are sticky (the first one
// is kept and later calls do nothing), which keeps the layout code readable.
type workbook struct {
	f      *excelize.File
	p      *Priority
	opts   Options
	now    time.Time
	styles map[string]int
	tables int
	charts int // charts added so far: chart n is xl/charts/chart<n>.xml
	err    error

	bench map[string][]*Benchmark // published comparisons by metric id
}

func (wb *workbook) fail(err error) {
	if err != nil && wb.err == nil {
		wb.err = err
	}
}

// metricSheet is what the Summary needs from a metric's sheet.
type metricSheet struct {
	metric    Metric
	sheet     string
	headlines []headline // one per group of the headline breakdown; none without data
	ranked    *Benchmark // the latest published rank of the headline total; nil for none
}

// headline is one Summary row: a metric (and group) in its latest period.
type headline struct {
	group   string // breakdown value, "all" for the total
	v       *Value // nil when there is none
	trend   string // range of the charted values, "" when no trend is drawn
	cats    string // range of their periods
	first   string // first period charted
	noTrend string // why there is no trend
}

func (wb *workbook) build() {
	f, p := wb.f, wb.p
	title := fmt.Sprintf("Priority %d: %s", p.Number, p.Title)
	// Arial: the sans-serif font the Analysis Function recommends.
	wb.fail(f.SetDefaultFont(fontFamily))
	wb.fail(f.SetSheetName("Sheet1", sheetSummary))
	wb.fail(f.SetDocProps(&excelize.DocProperties{
		Title:          title + " - Education Strategic Plan 2026-29 metrics",
		Subject:        fmt.Sprintf("Hackney Education Strategic Plan 2026-29, priority %d (%s): metrics, targets, trends and breakdowns", p.Number, p.Title),
		Creator:        Creator,
		LastModifiedBy: Creator,
		Keywords:       "Hackney; education; strategic plan; metrics; priority " + fmt.Sprint(p.Number),
		Description:    wb.suppressionText(),
		Category:       wb.classification(),
		Language:       "en-GB",
		Created:        wb.now.UTC().Format(time.RFC3339),
		Modified:       wb.now.UTC().Format(time.RFC3339),
	}))
	wb.fail(f.SetAppProps(&excelize.AppProperties{Application: "Microsoft Excel", Company: "Hackney Education"}))

	wb.bench = map[string][]*Benchmark{}
	for i := range p.Benchmarks {
		b := &p.Benchmarks[i]
		wb.bench[b.MetricID] = append(wb.bench[b.MetricID], b)
	}
	metrics := wb.metrics()
	byMetric := map[string][]*Value{}
	for i := range p.Values {
		v := &p.Values[i]
		byMetric[v.MetricID] = append(byMetric[v.MetricID], v)
	}
	names := map[string]bool{
		strings.ToLower(sheetSummary): true, strings.ToLower(sheetNotes): true,
		strings.ToLower(sheetDefinitions): true, strings.ToLower(sheetAbout): true,
	}
	wb.notesSheet()
	var sheets []metricSheet
	for _, m := range metrics {
		name := sheetName(m.ID, names)
		if _, err := f.NewSheet(name); err != nil {
			wb.fail(err)
			return
		}
		sheets = append(sheets, wb.metricSheet(name, m, byMetric[m.ID]))
	}
	wb.definitionsSheet(metrics)
	wb.aboutSheet()
	wb.summarySheet(title, sheets)
	f.SetActiveSheet(0)
}

// metrics returns the catalogue entries, plus any metric that has values or
// published comparisons but no catalogue entry (so nothing is left out).
func (wb *workbook) metrics() []Metric {
	out := slices.Clone(wb.p.Metrics)
	seen := map[string]bool{}
	for _, m := range out {
		seen[m.ID] = true
	}
	for _, v := range wb.p.Values {
		if !seen[v.MetricID] {
			seen[v.MetricID] = true
			out = append(out, Metric{ID: v.MetricID, Name: v.MetricID, Priority: v.Priority, Unit: v.Unit,
				Definition: "Not in the metric catalogue."})
		}
	}
	for _, b := range wb.p.Benchmarks {
		if !seen[b.MetricID] {
			seen[b.MetricID] = true
			out = append(out, Metric{ID: b.MetricID, Name: b.MetricID, Priority: int(b.Priority.V),
				Definition: "Not in the metric catalogue."})
		}
	}
	return out
}

// sheetName makes a valid, unique sheet name (at most 31 characters, none of
// : \ / ? * [ ]) from a metric id.
func sheetName(id string, used map[string]bool) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]'`, r) {
			return '_'
		}
		return r
	}, id)
	if clean == "" {
		clean = "metric"
	}
	name := truncate(clean, 31)
	for n := 2; used[strings.ToLower(name)]; n++ {
		suffix := fmt.Sprintf("~%d", n)
		name = truncate(clean, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// ref is an absolute reference to a cell range on a sheet.
func ref(sheet string, col1, row1, col2, row2 int) string {
	a, _ := excelize.CoordinatesToCellName(col1, row1, true)
	b, _ := excelize.CoordinatesToCellName(col2, row2, true)
	return fmt.Sprintf("'%s'!%s:%s", strings.ReplaceAll(sheet, "'", "''"), a, b)
}

// cellRef is an absolute reference to one cell on a sheet.
func cellRef(sheet string, col, row int) string {
	a, _ := excelize.CoordinatesToCellName(col, row, true)
	return fmt.Sprintf("'%s'!%s", strings.ReplaceAll(sheet, "'", "''"), a)
}

func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// ---- styles ----

// style returns a cached style id; key must identify the style.
func (wb *workbook) style(key string, s *excelize.Style) int {
	if id, ok := wb.styles[key]; ok {
		return id
	}
	id, err := wb.f.NewStyle(s)
	wb.fail(err)
	wb.styles[key] = id
	return id
}

func (wb *workbook) numStyle(format string) int {
	return wb.style("num:"+format, &excelize.Style{
		CustomNumFmt: &format,
		Alignment:    &excelize.Alignment{Vertical: "center"},
	})
}

// plainStyle is for cells with no other style: text centred vertically, so
// it lines up with wrapped and coloured cells in the same row.
func (wb *workbook) plainStyle() int {
	return wb.style("plain", &excelize.Style{Alignment: &excelize.Alignment{Vertical: "center"}})
}

func (wb *workbook) textStyle(wrap bool) int {
	return wb.style(fmt.Sprint("text:", wrap), &excelize.Style{
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: wrap},
	})
}

func (wb *workbook) symbolStyle() int {
	return wb.style("symbol", &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
}

func (wb *workbook) titleStyle() int {
	return wb.style("title", &excelize.Style{Font: &excelize.Font{Family: fontFamily, Bold: true, Size: 16}})
}

func (wb *workbook) headingStyle() int {
	return wb.style("heading", &excelize.Style{Font: &excelize.Font{Family: fontFamily, Bold: true, Size: 13}})
}

func (wb *workbook) warningStyle() int {
	return wb.style("warning", &excelize.Style{
		Font:      &excelize.Font{Family: fontFamily, Size: 11, Bold: true, Color: "9C0006"},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}},
	})
}

func (wb *workbook) linkStyle() int {
	return wb.style("link", &excelize.Style{
		Font:      &excelize.Font{Family: fontFamily, Size: 11, Color: "0563C1", Underline: "single"},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
}

// statusStyle is a static RAG fill; the status is always written in words
// in the same cell, so colour is never the only signal.
func (wb *workbook) statusStyle(status string) int {
	fill, font := "EDEDED", "3A3A3A" // no data
	switch status {
	case "on_track":
		fill, font = "C6EFCE", "006100"
	case "off_track":
		fill, font = "FFC7CE", "9C0006"
	case "no_target":
		fill, font = "DDEBF7", "1F3864"
	}
	return wb.style("status:"+status, &excelize.Style{
		Font:      &excelize.Font{Family: fontFamily, Size: 11, Bold: true, Color: font},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
}

func (wb *workbook) movementStyle(text string) int {
	color := "3A3A3A"
	switch {
	case strings.HasSuffix(text, "better"):
		color = "006100"
	case strings.HasSuffix(text, "worse"):
		color = "9C0006"
	}
	return wb.style("move:"+color, &excelize.Style{
		Font:      &excelize.Font{Family: fontFamily, Size: 11, Bold: true, Color: color},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
}

// ---- cells and tables ----

// cell is one value to write: text, a number, or empty.
type cell struct {
	text  string
	num   float64
	isNum bool
	empty bool
	style int
	width int    // display width in characters
	link  string // internal hyperlink target ("'Sheet'!A1")
	wrap  bool   // the style wraps text: the row grows to fit
	right bool   // text aligned right, like the figures beside it
}

func textCell(s string) cell { return cell{text: s, width: utf8.RuneCountInString(s)} }

// rightText is text that reads as a figure ("23 of 153"): aligned right,
// with a right-aligned header, so it does not run into the figure beside it.
func (wb *workbook) rightText(s string) cell {
	if s == "" {
		return cell{empty: true, right: true}
	}
	c := textCell(s)
	c.style, c.right = wb.symbolStyle(), true
	return c
}

func (wb *workbook) numCell(v float64, format, unit string) cell {
	if !finite(v) {
		return cell{empty: true}
	}
	return cell{num: v, isNum: true, style: wb.numStyle(format), width: len(display(unit, v)) + 1}
}

// figure is a value cell: c when suppressed, empty when null.
func (wb *workbook) figure(n sql.Null[float64], hidden bool, format, unit string) cell {
	if hidden {
		return cell{text: Symbol, style: wb.symbolStyle(), width: 1}
	}
	if !n.Valid {
		return cell{empty: true}
	}
	return wb.numCell(n.V, format, unit)
}

// countCell formats a numerator or denominator: whole numbers with
// thousands separators, fractions (money, weighted counts) with two places.
func (wb *workbook) countCell(n sql.Null[float64], hidden bool, unit string) cell {
	format, u := "#,##0", "count"
	if n.Valid && n.V != math.Trunc(n.V) {
		format, u = "#,##0.00", "per_100"
	}
	if unit == "gbp" {
		format, u = `"£"#,##0;-"£"#,##0`, "gbp"
	}
	return wb.figure(n, hidden, format, u)
}

// sheetWriter writes cells on one sheet and tracks column widths.
type sheetWriter struct {
	wb      *workbook
	name    string
	widths  map[int]int
	maxCol  int
	wrapped map[int][]wrappedCell // row -> cells whose text wraps
	heights map[int]float64       // row -> minimum height in points
	// drawings run at the end of finish: excelize anchors a chart by the
	// column widths and row heights in force when it is added.
	drawings []func()
}

// wrappedCell is a cell whose row must be tall enough for its text.
type wrappedCell struct {
	col  int
	text string
}

func (wb *workbook) sheet(name string) *sheetWriter {
	return &sheetWriter{wb: wb, name: name, widths: map[int]int{}, wrapped: map[int][]wrappedCell{}, heights: map[int]float64{}}
}

func (s *sheetWriter) put(col, row int, c cell) {
	wb := s.wb
	if wb.err != nil {
		return
	}
	name := cellName(col, row)
	switch {
	case c.empty:
	case c.isNum:
		wb.fail(wb.f.SetCellFloat(s.name, name, c.num, -1, 64))
	default:
		// SetCellStr stores a typed string: text such as =HYPERLINK(...)
		// from a school name is never a formula.
		wb.fail(wb.f.SetCellStr(s.name, name, c.text))
	}
	style := c.style
	if style == 0 && !c.empty {
		style = wb.plainStyle()
	}
	if style != 0 {
		wb.fail(wb.f.SetCellStyle(s.name, name, name, style))
	}
	if c.link != "" {
		wb.fail(wb.f.SetCellHyperLink(s.name, name, c.link, "Location"))
	}
	if c.wrap {
		s.wrapped[row] = append(s.wrapped[row], wrappedCell{col, c.text})
	}
	if c.width > s.widths[col] {
		s.widths[col] = c.width
	}
	if col > s.maxCol {
		s.maxCol = col
	}
}

// line writes a line of text in column A that is not part of a table (titles,
// notes); it does not widen the column.
func (s *sheetWriter) line(row int, text string, style int) {
	if s.wb.err != nil {
		return
	}
	name := cellName(1, row)
	s.wb.fail(s.wb.f.SetCellStr(s.name, name, text))
	if style != 0 {
		s.wb.fail(s.wb.f.SetCellStyle(s.name, name, name, style))
	}
}

// table writes headers at row and rows below, as an Excel Table (banded,
// with filter buttons), and returns the last row used. With no rows it writes
// nothing and returns row-1.
func (s *sheetWriter) table(row int, name string, headers []string, rows [][]cell) int {
	wb := s.wb
	if len(rows) == 0 || wb.err != nil {
		return row - 1
	}
	headers = uniqueHeaders(headers)
	for i, h := range headers {
		// Headers wrap, so they need only be as wide as their longest word;
		// numeric columns have right-aligned headers, like their figures.
		numeric := slices.ContainsFunc(rows, func(r []cell) bool { return r[i].isNum || r[i].right })
		c := textCell(h)
		c.style, c.width, c.wrap = wb.headerStyle(numeric), max(longestWord(h), min(c.width, 12)), true
		s.put(i+1, row, c)
	}
	for r, cells := range rows {
		for i, c := range cells {
			s.put(i+1, row+1+r, c)
		}
	}
	wb.tables++
	last := row + len(rows)
	rangeRef := cellName(1, row) + ":" + cellName(len(headers), last)
	wb.fail(wb.f.AddTable(s.name, &excelize.Table{
		Range:          rangeRef,
		Name:           tableName(name, wb.tables),
		StyleName:      "TableStyleLight9",
		ShowRowStripes: boolPtr(true),
	}))
	return last
}

func (wb *workbook) headerStyle(right bool) int {
	h := "left"
	if right {
		h = "right"
	}
	return wb.style("header:"+h, &excelize.Style{
		Font:      &excelize.Font{Family: fontFamily, Size: 11, Bold: true},
		Alignment: &excelize.Alignment{Horizontal: h, Vertical: "bottom", WrapText: true},
	})
}

// uniqueHeaders suffixes repeated headers: an Excel table's column names
// must be unique, or Excel repairs the file.
func uniqueHeaders(headers []string) []string {
	out := make([]string, len(headers))
	seen := map[string]int{}
	for i, h := range headers {
		key := strings.ToLower(h)
		seen[key]++
		out[i] = h
		if seen[key] > 1 {
			out[i] = fmt.Sprintf("%s (%d)", h, seen[key])
		}
	}
	return out
}

func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, utf8.RuneCountInString(w))
	}
	return n
}

func boolPtr(b bool) *bool { return &b }
func intPtr(i int) *int    { return &i }

// tableName makes a workbook-unique Excel table name: letters, digits and
// underscores, starting with a letter.
func tableName(base string, n int) string {
	clean := strings.Map(func(r rune) rune {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, base)
	return truncate(fmt.Sprintf("T%d_%s", n, clean), 250)
}

// finish sets column widths to fit (within limits), A4 landscape printing
// one page wide, and freezes the rows above freezeRow (0 = none).
func (s *sheetWriter) finish(freezeRow int, minWidths map[int]int) {
	wb := s.wb
	widths := map[int]int{}
	for col := 1; col <= s.maxCol; col++ {
		w := min(max(s.widths[col], 6)+2, 60)
		w = max(w, minWidths[col]) // an explicit width may exceed the cap
		widths[col] = w
		c, _ := excelize.ColumnNumberToName(col)
		wb.fail(wb.f.SetColWidth(s.name, c, c, float64(w)))
	}
	// Rows with wrapped text get the height it needs at these widths:
	// Excel does not grow rows to fit when it opens a file.
	for row, cells := range s.wrapped {
		lines := 1
		for _, c := range cells {
			lines = max(lines, wrappedLines(c.text, widths[c.col]))
		}
		if lines > 1 {
			s.heights[row] = max(s.heights[row], lineHeight(lines))
		}
	}
	for row, ht := range s.heights {
		wb.fail(wb.f.SetRowHeight(s.name, row, ht))
	}
	wb.fail(wb.f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: boolPtr(true)}))
	wb.fail(wb.f.SetPageLayout(s.name, &excelize.PageLayoutOptions{
		Size:        intPtr(9), // A4
		Orientation: strPtr("landscape"),
		FitToWidth:  intPtr(1),
		FitToHeight: intPtr(0),
	}))
	wb.fail(wb.f.SetPageMargins(s.name, &excelize.PageLayoutMarginsOptions{
		Left: floatPtr(0.4), Right: floatPtr(0.4), Top: floatPtr(0.5), Bottom: floatPtr(0.5),
	}))
	wb.fail(wb.f.SetHeaderFooter(s.name, &excelize.HeaderFooterOptions{
		OddFooter: "&L&8" + escapeHF(s.name) + "&R&8Page &P of &N",
	}))
	if freezeRow > 1 {
		wb.fail(wb.f.SetPanes(s.name, &excelize.Panes{
			Freeze: true, YSplit: freezeRow - 1, TopLeftCell: cellName(1, freezeRow), ActivePane: "bottomLeft",
		}))
	}
	for _, draw := range s.drawings {
		draw()
	}
}

func strPtr(s string) *string     { return &s }
func floatPtr(f float64) *float64 { return &f }
func escapeHF(s string) string    { return strings.ReplaceAll(s, "&", "&&") }

func (wb *workbook) unsuppressed() bool { return wb.p.Threshold <= 0 }

// ---- Summary ----

func (wb *workbook) summarySheet(title string, sheets []metricSheet) {
	s := wb.sheet(sheetSummary)
	s.line(1, title, wb.titleStyle())
	s.line(2, fmt.Sprintf("Lead: %s. Hackney Education Strategic Plan 2026-29. Each metric at borough level in its latest period; select a metric id to open its sheet.", wb.p.Lead), 0)
	s.line(3, "Status is written in words; the colour repeats it. c = suppressed to protect children's privacy. Definitions, notes and sources are on the last sheets.", 0)
	row := 5
	if wb.unsuppressed() {
		s.line(4, "INTERNAL USE ONLY: small numbers are NOT suppressed in this workbook. Do not share or publish it.", wb.warningStyle())
		row = 6
	}
	headers := []string{"Metric", "Metric id", "Group", "Latest period", "Value", "Unit", "Target", "Status",
		"Change on previous period", "Movement"}
	// The latest published rank and quartile, when any metric has them.
	ranks := slices.ContainsFunc(sheets, func(ms metricSheet) bool { return ms.ranked != nil })
	if ranks {
		headers = append(headers, "Rank of LAs (published)", "Quartile band")
		s.line(row-1, "Rank of LAs: Hackney's latest published rank among all local authorities, with its year: 1 and quartile band A are the best, or the highest where the DfE gives no better direction. See Notes and each metric's sheet.", 0)
		row++
	}
	headers = append(headers, "Trend", "Trend note")
	trendCol := len(headers) - 1
	rankCells := func(ms metricSheet, group string) []cell {
		if !ranks {
			return nil
		}
		b := ms.ranked
		if b == nil || (group != all && group != "") {
			return []cell{{empty: true}, {empty: true}}
		}
		q := b.Quartile
		if q != "" && b.Better != "up" && b.Better != "down" {
			q += " (A = highest)" // no better direction: A is the highest quarter, not the best
		}
		return []cell{wb.rightText(fmt.Sprintf("%s (%s)", rankText(b.Rank, b.RankOf), b.Period)), wb.rightText(q)}
	}
	var rows [][]cell
	var loc, alts []string
	var trends []headline
	for _, ms := range sheets {
		m := ms.metric
		hs := ms.headlines
		if len(hs) == 0 {
			hs = []headline{{group: all, noTrend: "no data"}}
		}
		for _, hl := range hs {
			h := hl.v
			// The id links to the metric's sheet (LibreOffice will not wrap
			// a link, so the long name stays plain, wrapped text).
			name := textCell(m.Name)
			name.style, name.width, name.wrap = wb.textStyle(true), min(name.width, 40), true
			id := textCell(m.ID)
			id.style, id.link = wb.linkStyle(), fmt.Sprintf("'%s'!A1", ms.sheet)
			group := "All"
			if hl.group != all && hl.group != "" {
				group = hl.group
			}
			gc := textCell(group)
			gc.style, gc.width, gc.wrap = wb.textStyle(true), min(gc.width, 24), true
			r := []cell{name, id, gc}
			unit := m.Unit
			if h != nil {
				unit = cmp.Or(h.Unit, unit)
			}
			if h == nil || noData([]*Value{h}) {
				st := textCell(statusLabel("no_data"))
				st.style = wb.statusStyle("no_data")
				r = append(r, cell{empty: true}, cell{empty: true}, textCell(unitLabel(unit)), cell{empty: true}, st,
					cell{empty: true}, cell{empty: true})
				r = append(r, rankCells(ms, hl.group)...)
				r = append(r, cell{empty: true}, textCell(cmp.Or(hl.noTrend, "no data")))
				rows = append(rows, r)
				continue
			}
			st := textCell(statusLabel(h.Status))
			st.style = wb.statusStyle(h.Status)
			move := cell{empty: true}
			if !h.HidePrevious() && h.Value.Valid && h.PreviousValue.Valid {
				move = textCell(movement(m.Direction, h.Value.V, h.PreviousValue.V))
				move.style = wb.movementStyle(move.text)
			}
			r = append(r,
				textCell(h.Period),
				wb.figure(h.Value, h.Suppressed != NotSuppressed, unitFormat(unit), unit),
				textCell(unitLabel(unit)),
				wb.figure(h.Target, h.HideTarget(), unitFormat(unit), unit),
				st,
				wb.figure(h.Change, h.HidePrevious(), changeFormat(unit), unit),
				move)
			r = append(r, rankCells(ms, hl.group)...)
			r = append(r, cell{empty: true}, textCell(hl.noTrend))
			rows = append(rows, r)
			if hl.trend != "" {
				loc = append(loc, cellName(trendCol, row+len(rows)))
				trends = append(trends, hl)
				alts = append(alts, fmt.Sprintf("Trend of %s%s, %s to %s", m.Name, groupSuffix(hl.group), hl.first, h.Period))
			}
		}
	}
	if len(rows) == 0 {
		s.line(row, "No metrics of this priority are in the catalogue yet: run 'planmetrics build'.", 0)
		s.finish(0, nil)
		return
	}
	last := s.table(row, "Summary", headers, rows)
	// A small line chart in each headline's Trend cell. (Excel sparklines
	// would be lighter, but LibreOffice draws them as scattered dots.)
	for i := range loc {
		s.drawings = append(s.drawings, func() {
			wb.miniChart(loc[i], cellRef(sheetSummary, 1, rowOf(loc[i])), trends[i], alts[i])
		})
	}
	for r := row + 1; r <= last; r++ {
		s.heights[r] = miniChartRowHeight
	}
	s.finish(row+1, map[int]int{trendCol: miniChartWidth/7 + 2})
}

func groupSuffix(g string) string {
	if g == all || g == "" {
		return ""
	}
	return " (" + g + ")"
}

func rowOf(cell string) int {
	_, r, _ := excelize.CellNameToCoordinates(cell)
	return r
}

// Mini chart size: it sits in one Summary cell.
const (
	miniChartWidth     = 150
	miniChartHeight    = 34
	miniChartRowHeight = 28 // points; 34 px is about 26 points
)

// miniChart draws a small line chart with no axes, legend or title at
// cell: the Summary's trend. name is a cell reference for the series name.
func (wb *workbook) miniChart(cell, name string, h headline, alt string) {
	if wb.err != nil {
		return
	}
	wb.fail(wb.f.AddChart(sheetSummary, cell, &excelize.Chart{
		Type: excelize.Line,
		Series: []excelize.ChartSeries{{
			Name: name, Categories: h.cats, Values: h.trend,
			Line:   excelize.LineOptions{Width: 1.75},
			Marker: excelize.ChartMarker{Symbol: "none"},
		}},
		Format:       excelize.GraphicOptions{OffsetX: 3, OffsetY: 2, AltText: alt},
		Dimension:    excelize.ChartDimension{Width: miniChartWidth, Height: miniChartHeight},
		Legend:       excelize.ChartLegend{Position: "none"},
		XAxis:        excelize.ChartAxis{None: true},
		YAxis:        excelize.ChartAxis{None: true},
		Border:       excelize.LineOptions{Type: excelize.LineNone},
		ShowBlanksAs: "gap",
	}))
	wb.charts++
	wb.noAutoTitle(wb.charts)
}

// noAutoTitle stops Excel showing a single series' name as the title of
// chart n (excelize has no option for autoTitleDeleted): the element goes
// first in <chart>, where the schema puts it when there is no <title>.
func (wb *workbook) noAutoTitle(n int) {
	part := fmt.Sprintf("xl/charts/chart%d.xml", n)
	v, ok := wb.f.Pkg.Load(part)
	if !ok {
		return
	}
	b, ok := v.([]byte)
	if !ok || bytes.Contains(b, []byte("autoTitleDeleted")) {
		return
	}
	b = bytes.Replace(b, []byte("<chart><view3D>"), []byte(`<chart><autoTitleDeleted val="1"></autoTitleDeleted><view3D>`), 1)
	wb.f.Pkg.Store(part, b)
}

// ---- Notes ----

func (wb *workbook) notesSheet() {
	_, err := wb.f.NewSheet(sheetNotes)
	wb.fail(err)
	s := wb.sheet(sheetNotes)
	s.line(1, "Notes", wb.titleStyle())
	s.line(2, "These notes apply to every sheet of this workbook.", 0)
	threshold := wb.p.Threshold
	supp := fmt.Sprintf("c means the figure is suppressed to protect children's privacy: its numerator or denominator is below %d, "+
		"or it was also hidden so that a suppressed figure cannot be worked out from a total and the other figures (secondary suppression).", threshold)
	if threshold <= 0 {
		supp = "No figures are suppressed in this workbook: it is for internal use only and must not be shared or published."
	}
	notes := []string{
		supp,
		"An empty cell means the figure does not apply or is not available (for example no target, or no previous period).",
		"Status: On track (meets its target or improves on the previous period in the metric's better direction), Off track, No target, or No data (the return it needs has not been loaded). " +
			"Colour repeats the status written in the cell and is never the only signal.",
		"Movement compares the latest value with the previous period: the arrow gives the direction, and better or worse says whether that is an improvement for this metric.",
		"Percentages are shown 0 to 100 with a % sign; a change in a percentage is in percentage points (pp). Rates per 100 or per 10,000 are per pupil on roll at the January census.",
		"Periods: 2024/25 is an academic year, 2024-25 a financial year, 2024 a calendar year, and a date such as 2025-01-16 a census day.",
		"Each metric sheet shows the borough's time series with a chart, the comparison with published data where there is one, then breakdowns (phase, neighbourhood, school, ethnicity group, SEN provision, free school meals, gender) for the latest period. " +
			"Earlier periods of the breakdowns are in the analyst exports (planmetrics export --format csv or parquet).",
		"Breakdown codes are those of the DfE returns: ethnicity codes such as BCRB (Black Caribbean), SEN provision K (SEN support), E (EHC plan), N (no SEN).",
	}
	if len(wb.p.Benchmarks) > 0 {
		notes = append(notes,
			"Compared with published data: where the Department for Education publishes the same measure, a metric's sheet shows Hackney's published figure beside its statistical neighbours, London, Inner London and England, "+
				"with a chart of Hackney, the SN average and England over time. Sources: LAIT (the DfE's Local Authority Interactive Tool), Explore Education Statistics (EES) and the school places scorecards. "+
				"Published figures are public aggregates and are not suppressed; a symbol such as c or x in Hackney (published) is the publisher's own.",
			"Hackney (planmetrics) is our own figure for the same period, computed from the returns, so the two can be checked; it is suppressed like every other figure we compute. "+
				"A difference usually means a different definition, date or cohort (a January census counts in its academic year).",
			"Rank of LAs: Hackney's position among the local authorities with a value in that period, as LAIT ranks them: 1 is the best value for the indicator's direction (the highest when higher is better, the lowest when lower is better); "+
				"an indicator without a direction ranks from the highest value. Ties share a rank (1, 2, 2, 4). 23 of 153 means 23rd of 153 authorities with a value. "+
				"Rank among neighbours ranks Hackney with its statistical neighbours that have a value.",
			"Quartile band: the local authorities with a value split into four groups by their value, with LAIT's cut points; band A is the best quarter and D the worst (for an indicator without a direction, A is the highest quarter).",
			"SN average: the unweighted mean of Hackney's statistical neighbours (the DfE's 10 local authorities most like Hackney) that have a value in the period; 9 of 10 says how many had one. "+
				"It is not weighted by pupil numbers.",
			"When two sources publish the same figures for a period (LAIT repeats many EES figures), they are shown once: from LAIT, then EES, then the scorecards. When they differ, both are shown.",
		)
	}
	notes = append(notes,
		"Figures are computed from the returns loaded into the planmetrics warehouse; the About sheet says when each return was last loaded and which run computed the figures.",
		"Produced by Hackney Education planmetrics. Questions: the Hackney Education data team.",
	)
	rows := make([][]cell, len(notes))
	for i, n := range notes {
		t := textCell(n)
		t.style, t.width, t.wrap = wb.textStyle(true), 90, true
		rows[i] = []cell{{num: float64(i + 1), isNum: true, width: 4}, t}
	}
	s.table(4, "Notes", []string{"Note number", "Note"}, rows)
	s.finish(5, map[int]int{2: 100})
}

// wrappedLines estimates how many lines text takes in a column width
// characters wide, wrapping at spaces. It errs on the side of more lines:
// Excel does not grow rows to fit when it opens a file.
func wrappedLines(text string, width int) int {
	perLine := max(int(float64(width)*0.95), 1)
	lines, n := 1, 0
	for _, word := range strings.Fields(text) {
		l := utf8.RuneCountInString(word)
		switch {
		case n == 0:
			n = l
		case n+1+l <= perLine:
			n += 1 + l
		default:
			lines++
			n = l
		}
		for n > perLine { // a word longer than the line
			lines++
			n -= perLine
		}
	}
	return lines
}

// lineHeight is the row height in points for lines of 11pt text.
func lineHeight(lines int) float64 { return float64(max(lines, 1))*14.5 + 3 }

// ---- Definitions ----

func (wb *workbook) definitionsSheet(metrics []Metric) {
	_, err := wb.f.NewSheet(sheetDefinitions)
	wb.fail(err)
	s := wb.sheet(sheetDefinitions)
	s.line(1, "Definitions", wb.titleStyle())
	s.line(2, "What each metric measures, how it is calculated, where the data comes from, and the plan's wording it answers.", 0)
	headers := []string{"Metric id", "Metric", "Definition", "Numerator", "Denominator", "Unit",
		"Better when", "Source returns", "Compared with (published)", "Plan wording", "Notes"}
	wrap := wb.textStyle(true)
	limits := []int{28, 30, 50, 26, 26, 12, 18, 16, 26, 40, 30}
	var texts [][]string
	for _, m := range metrics {
		notes := m.Notes
		if m.SameAs != "" {
			notes = strings.TrimSpace(fmt.Sprintf("Same figure as %s. %s", m.SameAs, notes))
		}
		texts = append(texts, []string{m.ID, m.Name, m.Definition, m.Numerator, m.Denominator, unitLabel(m.Unit),
			directionLabel(m.Direction), m.Sources, comparedWith(m, wb.bench[m.ID]), m.PlanWording, notes})
	}
	// Leave out columns that are empty for every metric of the priority.
	var keep []int
	for i := range headers {
		if slices.ContainsFunc(texts, func(t []string) bool { return t[i] != "" }) {
			keep = append(keep, i)
		}
	}
	var kept []string
	for _, i := range keep {
		kept = append(kept, headers[i])
	}
	headers = kept
	var rows [][]cell
	for _, t := range texts {
		r := make([]cell, 0, len(keep))
		for _, i := range keep {
			c := textCell(t[i])
			c.style, c.width, c.wrap = wrap, min(c.width, limits[i]), true
			if t[i] == "" {
				c = cell{empty: true}
			}
			r = append(r, c)
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		s.line(4, "No metrics of this priority are in the catalogue yet.", 0)
		s.finish(0, nil)
		return
	}
	s.table(4, "Definitions", headers, rows)
	s.finish(5, nil)
}

// ---- About ----

func (wb *workbook) suppressionText() string {
	if wb.p.Threshold <= 0 {
		return "NOT APPLIED: exported with --no-suppress for internal use only. Do not share or publish."
	}
	return fmt.Sprintf("Applied: a figure whose numerator or denominator is below %d is shown as c (primary); "+
		"where one suppressed figure could be worked out from a total and its siblings, the next smallest sibling is shown as c too (secondary).",
		wb.p.Threshold)
}

func (wb *workbook) classification() string {
	if wb.p.Threshold <= 0 {
		return "Internal - not suppressed"
	}
	return "Suppressed for sharing"
}

func (wb *workbook) aboutSheet() {
	_, err := wb.f.NewSheet(sheetAbout)
	wb.fail(err)
	s := wb.sheet(sheetAbout)
	p := wb.p
	s.line(1, "About this workbook", wb.titleStyle())
	s.line(2, "Where the figures come from and how they were protected.", 0)
	stamp := func(t time.Time) string { return t.Local().Format("2 January 2006 15:04 MST") }
	items := [][2]string{
		{"Workbook", fmt.Sprintf("Priority %d: %s", p.Number, p.Title)},
		{"Priority lead", p.Lead},
		{"Produced", stamp(wb.now)},
		{"Produced by", Creator},
	}
	if p.Run.Valid {
		r := p.Run.V
		items = append(items,
			[2]string{"Run id", fmt.Sprint(r.ID)},
			[2]string{"Run command", r.Command},
			[2]string{"Run status", r.Status},
			[2]string{"Program version", r.ProgramVersion})
		if r.FinishedAt.Valid {
			items = append(items, [2]string{"Run finished", stamp(r.FinishedAt.V)})
		} else if r.StartedAt.Valid {
			items = append(items, [2]string{"Run started", stamp(r.StartedAt.V)})
		}
	} else {
		items = append(items, [2]string{"Run id", "no run recorded"})
	}
	items = append(items,
		[2]string{"Suppression rule", wb.suppressionText()},
		[2]string{"Figures suppressed", fmt.Sprintf("%d primary, %d secondary", p.Stats.Primary, p.Stats.Secondary)})
	wrap := wb.textStyle(true)
	rows := make([][]cell, len(items))
	for i, it := range items {
		v := textCell(it[1])
		v.style, v.width, v.wrap = wrap, min(v.width, 90), true
		if it[0] == "Suppression rule" && p.Threshold <= 0 {
			v.style = wb.warningStyle()
		}
		rows[i] = []cell{textCell(it[0]), v}
	}
	last := s.table(4, "About", []string{"Item", "Detail"}, rows)
	row := last + 2
	s.line(row, "When the data was last loaded, per return", wb.headingStyle())
	var lrows [][]cell
	for _, l := range p.Loads {
		when := cell{empty: true}
		if l.LoadedAt.Valid {
			when = textCell(stamp(l.LoadedAt.V))
		}
		lrows = append(lrows, []cell{textCell(l.ReturnType), when, textCell(l.FileName),
			wb.numCell(float64(l.RowsAccepted), "#,##0", "count"), wb.numCell(float64(l.RowsRejected), "#,##0", "count"),
			wb.numCell(float64(l.FilesLoaded), "#,##0", "count")})
	}
	if len(lrows) == 0 {
		s.line(row+1, "No return has been loaded yet.", 0)
	} else {
		s.table(row+1, "Loads", []string{"Return", "Last loaded", "File", "Rows accepted", "Rows rejected", "Files loaded"}, lrows)
	}
	s.finish(5, nil)
}
