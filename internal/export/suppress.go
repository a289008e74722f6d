package export

import (
	"cmp"
	"slices"
)

// Suppression says whether and why a value is hidden.
type Suppression uint8

// The suppression states.
const (
	NotSuppressed Suppression = iota
	// Primary: the value's own numerator or denominator is below the
	// threshold.
	Primary
	// Secondary: hidden so that a primary-suppressed sibling cannot be worked
	// out from a total and the other siblings.
	Secondary
)

// String returns "", "primary" or "secondary".
func (s Suppression) String() string {
	switch s {
	case Primary:
		return "primary"
	case Secondary:
		return "secondary"
	}
	return ""
}

// Symbol is what every export shows in place of a suppressed figure (the
// GSS and EES symbol for confidential data).
const Symbol = "c"

// SuppressionStats counts what [Suppress] hid.
type SuppressionStats struct {
	Primary   int
	Secondary int
}

// Suppress marks small numbers in values, in place, and returns the counts.
// threshold 0 (or less) suppresses nothing.
//
// Primary: a value is suppressed when its numerator or its denominator is
// below threshold (zero included). A count with no numerator (unit count)
// is tested on the value itself. Negative figures are money (a school's
// deficit as the numerator of its balance), never counts, and are not
// suppressed.
//
// Secondary: rows that add up to a total form sibling groups:
//   - breakdown: the breakdown values of one breakdown (ethnicity_group,
//     sen_provision, ...) for one metric, measure, period, geography and
//     phase add up to the row with breakdown "all" (not focus_group, which
//     covers only some pupils);
//   - phase: the phases of one metric, measure, period, geography and
//     breakdown value add up to phase "all";
//   - geography: the schools (or neighbourhoods) of one metric, measure,
//     period, phase and breakdown value add up to the borough row;
//   - nested totals: the ethnicity codes of one ethnicity group, or of one
//     focus group, add up to that group's row, and the schools of one
//     neighbourhood to the neighbourhood's row (of their phase, else of
//     phase "all"), as the rows' EthnicityGroup, FocusGroup and
//     Neighbourhood say.
//
// In the first three, a total that is not among the values still counts as
// shown: it is published elsewhere (a risk ratio has no row "all", but the
// sum of its numerators is another metric's total).
//
// When the total is shown and exactly one sibling of its group is suppressed,
// that sibling's numerator and denominator could be recovered by subtraction,
// so the shown sibling with the smallest numerator (then denominator) is
// suppressed too. Percentages and rates do not add
// up, but their numerators and denominators do, so groups are judged on those;
// rows without either (medians, spreads) form no group.
//
// A figure hidden in one place is hidden wherever it is repeated: rows of
// the same period, geography, phase and breakdown value with the same
// numerator and the same denominator (or, within one metric, no
// denominator: a count beside its rate) are the same figure in another
// measure or metric. Pass every priority's values, so that the exports of
// different priorities hide the same cells.
//
// The rules are applied again until nothing changes, because a secondary
// suppression in one group can leave a single suppressed cell in another.
//
// Finally a row whose previous period is suppressed is marked
// PreviousSuppressed, so its PreviousValue and Change, which would reveal the
// suppressed figure, are hidden too.
func Suppress(values []Value, threshold int) SuppressionStats {
	var st SuppressionStats
	for i := range values {
		values[i].Suppressed = NotSuppressed
		values[i].PreviousSuppressed = false
	}
	if threshold <= 0 {
		return st
	}
	t := float64(threshold)
	// A negative figure (a deficit in £) is not a count of children.
	small := func(n float64, ok bool) bool { return ok && n >= 0 && n < t }
	for i := range values {
		v := &values[i]
		if small(v.Numerator.V, v.Numerator.Valid) || small(v.Denominator.V, v.Denominator.Valid) ||
			(v.Unit == "count" && !v.Numerator.Valid && small(v.Value.V, v.Value.Valid)) {
			v.Suppressed = Primary
			st.Primary++
		}
	}
	groups := siblingGroups(values)
	repeats := repeatedFigures(values)
	for changed := true; changed; {
		changed = false
		for _, g := range groups {
			if g.total >= 0 && values[g.total].Suppressed != NotSuppressed {
				continue // nothing to subtract from
			}
			var hidden, shown []int
			for _, i := range g.members {
				if values[i].Suppressed != NotSuppressed {
					hidden = append(hidden, i)
				} else {
					shown = append(shown, i)
				}
			}
			// A lone sibling cannot be recovered: if it made up the whole
			// total, the total is small and already suppressed.
			if len(hidden) != 1 || len(shown) == 0 {
				continue
			}
			pick := slices.MinFunc(shown, func(a, b int) int { return compareSize(&values[a], &values[b]) })
			values[pick].Suppressed = Secondary
			st.Secondary++
			changed = true
		}
		for _, r := range repeats {
			for _, h := range r {
				if values[h].Suppressed == NotSuppressed {
					continue
				}
				for _, s := range r {
					if values[s].Suppressed == NotSuppressed && sameFigure(&values[h], &values[s]) {
						values[s].Suppressed = Secondary
						st.Secondary++
						changed = true
					}
				}
			}
		}
	}
	markPreviousSuppressed(values)
	return st
}

// compareSize orders rows smallest first by numerator, then denominator, then
// label, so the choice of secondary cell is deterministic.
func compareSize(a, b *Value) int {
	if c := cmpNull(a.Numerator.V, a.Numerator.Valid, b.Numerator.V, b.Numerator.Valid); c != 0 {
		return c
	}
	if c := cmpNull(a.Denominator.V, a.Denominator.Valid, b.Denominator.V, b.Denominator.Valid); c != 0 {
		return c
	}
	if c := cmp.Compare(a.GeographyCode, b.GeographyCode); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Phase, b.Phase); c != 0 {
		return c
	}
	return cmp.Compare(a.BreakdownValue, b.BreakdownValue)
}

// cmpNull compares with nulls last.
func cmpNull(a float64, aok bool, b float64, bok bool) int {
	switch {
	case aok && bok:
		return cmp.Compare(a, b)
	case aok:
		return -1
	case bok:
		return 1
	}
	return 0
}

type siblingGroup struct {
	total   int // -1: not among the values, published elsewhere
	members []int
}

// cellKey identifies one value: everything but the figures.
type cellKey struct {
	metric, measure, period, periodType   string
	level, code, phase, breakdown, bvalue string
}

const all = "all"

// partial lists breakdowns whose values do not cover every pupil, so they
// do not add up to the total and cannot give a suppressed value away by
// subtraction: focus_group has rows only for the plan's focus groups.
var partial = map[string]bool{"focus_group": true}

// siblingGroups finds, along each dimension, the rows that add up to a total
// row. Rows with neither numerator nor denominator take no part: their
// figures do not add up.
func siblingGroups(values []Value) []siblingGroup {
	index := make(map[cellKey]int, len(values))
	for i := range values {
		index[keyOf(&values[i])] = i
	}
	additive := func(v *Value) bool {
		return v.Numerator.Valid || v.Denominator.Valid || (v.Unit == "count" && v.Value.Valid)
	}
	// A dimension gives a row's total and the key its siblings share, ok
	// false when the row is in no group of the dimension.
	type dim struct {
		parent func(v *Value, k cellKey) (total, group cellKey, ok bool)
		// implicit: a total absent from values counts as shown.
		implicit bool
	}
	nested := func(breakdown, group string, k cellKey) (cellKey, cellKey, bool) {
		if k.breakdown != "ethnicity" || group == "" {
			return k, k, false
		}
		g := k
		g.breakdown, g.bvalue = breakdown+"\x00"+group, ""
		k.breakdown, k.bvalue = breakdown, group
		return k, g, true
	}
	dims := []dim{
		{ // breakdown values of one breakdown
			parent: func(_ *Value, k cellKey) (cellKey, cellKey, bool) {
				g := k
				g.bvalue = ""
				k.breakdown, k.bvalue = all, all
				return k, g, g.breakdown != all && !partial[g.breakdown]
			},
			implicit: true,
		},
		{ // phases
			parent: func(_ *Value, k cellKey) (cellKey, cellKey, bool) {
				g := k
				g.phase = ""
				ok := k.phase != all
				k.phase = all
				return k, g, ok
			},
			implicit: true,
		},
		{ // schools or neighbourhoods of the borough
			parent: func(_ *Value, k cellKey) (cellKey, cellKey, bool) {
				g := k
				g.code = ""
				ok := k.level != "borough"
				k.level, k.code = "borough", HackneyCode
				return k, g, ok
			},
			implicit: true,
		},
		{ // ethnicity codes of an ethnicity group
			parent: func(v *Value, k cellKey) (cellKey, cellKey, bool) {
				return nested("ethnicity_group", v.EthnicityGroup, k)
			},
		},
		{ // ethnicity codes of a focus group
			parent: func(v *Value, k cellKey) (cellKey, cellKey, bool) {
				return nested("focus_group", v.FocusGroup, k)
			},
		},
		{ // schools of a neighbourhood: of their phase, else of phase all
			parent: func(v *Value, k cellKey) (cellKey, cellKey, bool) {
				if k.level != "school" || v.Neighbourhood == "" {
					return k, k, false
				}
				g := k
				g.level, g.code = "school\x00"+v.Neighbourhood, ""
				k.level, k.code = "neighbourhood", v.Neighbourhood
				if _, ok := index[k]; !ok {
					k.phase, g.phase = all, ""
				}
				return k, g, true
			},
		},
	}
	var groups []siblingGroup
	for _, d := range dims {
		at := map[cellKey]int{} // group key -> position in groups
		for i := range values {
			v := &values[i]
			if !additive(v) {
				continue
			}
			tk, gk, ok := d.parent(v, keyOf(v))
			if !ok {
				continue
			}
			t, found := index[tk]
			switch {
			case !found && !d.implicit:
				continue
			case !found:
				t = -1
			case !additive(&values[t]):
				continue
			}
			pos, ok := at[gk]
			if !ok {
				pos = len(groups)
				at[gk] = pos
				groups = append(groups, siblingGroup{total: t})
			}
			groups[pos].members = append(groups[pos].members, i)
		}
	}
	return groups
}

// repeatedFigures groups the rows that may show one figure twice: same
// period, geography, phase, breakdown value and numerator, in any metric
// or measure ([sameFigure] decides). Groups of one row are left out.
func repeatedFigures(values []Value) [][]int {
	type key struct {
		period, periodType, level, code, phase, breakdown, bvalue string
		numerator                                                 float64
	}
	by := map[key][]int{}
	var order []key
	for i := range values {
		v := &values[i]
		if !v.Numerator.Valid {
			continue
		}
		k := key{v.Period, v.PeriodType, v.GeographyLevel, v.GeographyCode, v.Phase, v.Breakdown, v.BreakdownValue, v.Numerator.V}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], i)
	}
	var out [][]int
	for _, k := range order {
		if len(by[k]) > 1 {
			out = append(out, by[k])
		}
	}
	return out
}

// sameFigure reports whether two rows with the same numerator (see
// [repeatedFigures]) show the same figure: the same denominator, or within
// one metric no denominator on one of them (a count beside its rate).
func sameFigure(a, b *Value) bool {
	if a.Denominator.Valid && b.Denominator.Valid {
		return a.Denominator.V == b.Denominator.V
	}
	return a.Denominator.Valid == b.Denominator.Valid || a.MetricID == b.MetricID
}

func keyOf(v *Value) cellKey {
	return cellKey{
		metric: v.MetricID, measure: v.Measure, period: v.Period, periodType: v.PeriodType,
		level: v.GeographyLevel, code: v.GeographyCode, phase: v.Phase,
		breakdown: v.Breakdown, bvalue: v.BreakdownValue,
	}
}

// markPreviousSuppressed flags rows whose previous period (same series, the
// period just before by start date) is suppressed.
func markPreviousSuppressed(values []Value) {
	series := map[cellKey][]int{}
	for i := range values {
		k := keyOf(&values[i])
		k.period = ""
		series[k] = append(series[k], i)
	}
	for _, idx := range series {
		slices.SortFunc(idx, func(a, b int) int { return comparePeriod(&values[a], &values[b]) })
		for j := 1; j < len(idx); j++ {
			if values[idx[j-1]].Suppressed != NotSuppressed {
				values[idx[j]].PreviousSuppressed = true
			}
		}
	}
}

// comparePeriod orders by period start (then end, then label); rows without
// dates sort by label.
func comparePeriod(a, b *Value) int {
	if a.PeriodStart.Valid && b.PeriodStart.Valid {
		if c := a.PeriodStart.V.Compare(b.PeriodStart.V); c != 0 {
			return c
		}
	}
	if a.PeriodEnd.Valid && b.PeriodEnd.Valid {
		if c := a.PeriodEnd.V.Compare(b.PeriodEnd.V); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.Period, b.Period)
}
