package export

import (
	"math"
	"strconv"
	"strings"
)

// Number formats by unit. Percentages are stored 0-100 (DESIGN.md), so they
// get a literal "%" rather than Excel's %, which would multiply by 100.
func unitFormat(unit string) string {
	switch unit {
	case "percent":
		return `0.0"%"`
	case "per_100":
		return `0.00`
	case "per_10000":
		return `0.0`
	case "gbp":
		return `"£"#,##0;-"£"#,##0`
	case "count":
		return `#,##0`
	case "ratio":
		return `0.00`
	}
	return `General`
}

// changeFormat is the signed format of a change on the previous period;
// a change in a percentage is in percentage points.
func changeFormat(unit string) string {
	switch unit {
	case "percent":
		return `+0.0" pp";-0.0" pp";0.0" pp"`
	case "per_100", "ratio":
		return `+0.00;-0.00;0.00`
	case "per_10000":
		return `+0.0;-0.0;0.0`
	case "gbp":
		return `+"£"#,##0;-"£"#,##0;"£"0`
	case "count":
		return `+#,##0;-#,##0;0`
	}
	return `+General;-General;General`
}

// unitLabel is the unit in words, for the Summary and the EES metadata.
func unitLabel(unit string) string {
	switch unit {
	case "percent":
		return "%"
	case "per_100":
		return "per 100 pupils"
	case "per_10000":
		return "per 10,000 pupils"
	case "gbp":
		return "£"
	case "count":
		return "number"
	case "ratio":
		return "ratio"
	}
	return unit
}

// decimals is how many decimal places a unit is shown with.
func decimals(unit string) int {
	switch unit {
	case "percent", "per_10000":
		return 1
	case "per_100", "ratio":
		return 2
	}
	return 0
}

// display renders a number roughly as its cell format would, to size
// columns and for the CSV and EES files.
func display(unit string, v float64) string {
	s := strconv.FormatFloat(v, 'f', decimals(unit), 64)
	switch unit {
	case "percent":
		return s + "%"
	case "gbp":
		return "£" + thousands(s)
	case "count":
		return thousands(s)
	}
	return s
}

func thousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// finite reports whether v can be written to a cell (NaN and infinities
// make Excel repair the file).
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// statusLabel spells the status out: colour is never the only signal.
func statusLabel(status string) string {
	switch status {
	case "on_track":
		return "On track"
	case "off_track":
		return "Off track"
	case "no_target":
		return "No target"
	case "no_data", "":
		return "No data"
	}
	return strings.ReplaceAll(status, "_", " ")
}

// directionLabel says which way is better, in words.
func directionLabel(direction string) string {
	switch direction {
	case "up":
		return "higher is better"
	case "down":
		return "lower is better"
	case "towards_1":
		return "closer to 1.0 is better (parity)"
	case "towards_0":
		return "closer to 0 is better (stable)"
	}
	return direction
}

// movement describes the change from prev to cur: an arrow for its sign and
// whether it is an improvement given the metric's direction.
func movement(direction string, cur, prev float64) string {
	arrow := "▬ no change"
	switch {
	case cur > prev:
		arrow = "▲ up"
	case cur < prev:
		arrow = "▼ down"
	}
	if cur == prev {
		return arrow
	}
	var better bool
	switch direction {
	case "up":
		better = cur > prev
	case "down":
		better = cur < prev
	case "towards_1":
		better = math.Abs(cur-1) < math.Abs(prev-1)
	case "towards_0":
		better = math.Abs(cur) < math.Abs(prev)
	default:
		return arrow
	}
	if better {
		return arrow + ", better"
	}
	return arrow + ", worse"
}

// breakdownLabel names a breakdown for headings and column headers.
func breakdownLabel(b string) string {
	switch b {
	case "ethnicity_group":
		return "Ethnicity group"
	case "ethnicity":
		return "Ethnicity"
	case "sen_provision":
		return "SEN provision"
	case "sen_need":
		return "SEN primary need"
	case "fsm":
		return "Free school meals"
	case "gender":
		return "Gender"
	}
	s := strings.ReplaceAll(b, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// breakdownOrder puts the plan's breakdowns in a fixed order, others after.
func breakdownOrder(b string) int {
	for i, x := range []string{"all", "ethnicity_group", "ethnicity", "sen_provision", "sen_need", "fsm", "gender"} {
		if b == x {
			return i
		}
	}
	return 100
}

func levelOrder(l string) int {
	switch l {
	case "borough":
		return 0
	case "neighbourhood":
		return 1
	case "school":
		return 2
	}
	return 3
}

func phaseOrder(p string) int {
	for i, x := range []string{"all", "nursery", "primary", "secondary", "all-through", "special", "alternative provision"} {
		if p == x {
			return i
		}
	}
	return 100
}

func measureOrder(m string) int {
	if m == "value" {
		return 0
	}
	return 1
}

// defuse makes text safe for a CSV that Excel may open: text starting with
// =, +, -, @ (or a tab or carriage return) would be run as a formula, so it
// gets a leading apostrophe. Workbooks need no such change: their text cells
// are typed strings, never formulas.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
