package export

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func num(x float64) sql.Null[float64] { return sql.Null[float64]{V: x, Valid: true} }

// cellOf is a hand-made value: "level/code phase breakdown=value" with a
// numerator and denominator (negative = null).
func cellOf(level, code, phase, breakdown, bvalue string, n, d float64) Value {
	v := Value{
		MetricID: "m", Priority: 1, Measure: "value", Period: "2024/25", PeriodType: "academic_year",
		GeographyLevel: level, GeographyCode: code, Phase: phase, Breakdown: breakdown, BreakdownValue: bvalue,
		Unit: "percent", Status: "no_target",
	}
	if n >= 0 {
		v.Numerator = num(n)
	}
	if d >= 0 {
		v.Denominator = num(d)
	}
	if n >= 0 && d > 0 {
		v.Value = num(100 * n / d)
	}
	return v
}

func borough(phase, breakdown, bvalue string, n, d float64) Value {
	return cellOf("borough", HackneyCode, phase, breakdown, bvalue, n, d)
}

func school(urn string, n, d float64) Value {
	return cellOf("school", urn, all, all, all, n, d)
}

// label names a value for readable diffs.
func label(v Value) string {
	return fmt.Sprintf("%s/%s %s %s=%s", v.GeographyLevel, v.GeographyCode, v.Phase, v.Breakdown, v.BreakdownValue)
}

func suppressed(values []Value) map[string]string {
	out := map[string]string{}
	for _, v := range values {
		if v.Suppressed != NotSuppressed {
			out[label(v)] = v.Suppressed.String()
		}
	}
	return out
}

func TestSuppress(t *testing.T) {
	tests := []struct {
		name      string
		threshold int
		values    []Value
		want      map[string]string // label -> primary|secondary
		stats     SuppressionStats
	}{
		{
			name:      "primary on numerator, denominator and zero",
			threshold: 5,
			values: []Value{
				borough(all, all, all, 100, 1000),
				borough("primary", all, all, 4, 900),                  // numerator 4 < 5
				borough("secondary", all, all, 96, 3),                 // denominator 3 < 5 (made up)
				borough("special", all, all, 0, 97),                   // zero is below 5 too
				borough(all, "fsm", "true", 5, 5),                     // 5 is not below 5
				borough(all, "fsm", "false", 95, 995),                 // shown
				cellOf("borough", "E09000001", all, all, all, -1, -1), // no counts: nothing to test
				func() Value { // a deficit of £2,000 on income of £1.2m: money, not children
					v := cellOf("school", "100009", all, all, all, 0, 1.2e6)
					v.Numerator = num(-2000)
					return v
				}(),
			},
			want: map[string]string{
				"borough/E09000012 primary all=all":   "primary",
				"borough/E09000012 secondary all=all": "primary",
				"borough/E09000012 special all=all":   "primary",
			},
			stats: SuppressionStats{Primary: 3},
		},
		{
			name:      "threshold 0 suppresses nothing",
			threshold: 0,
			values:    []Value{borough(all, all, all, 1, 2), borough("primary", all, all, 0, 1)},
			want:      map[string]string{},
		},
		{
			name:      "count without numerator is tested on its value",
			threshold: 5,
			values: func() []Value {
				a := borough(all, all, all, -1, -1)
				a.Unit, a.Value = "count", num(3)
				b := borough(all, "gender", "F", -1, -1)
				b.Unit, b.Value = "gbp", num(2) // money is not a count of children
				return []Value{a, b}
			}(),
			want:  map[string]string{"borough/E09000012 all all=all": "primary"},
			stats: SuppressionStats{Primary: 1},
		},
		{
			name:      "one suppressed sibling: next smallest is suppressed too",
			threshold: 5,
			values: []Value{
				borough(all, all, all, 2003, 16400),
				borough(all, "ethnicity_group", "Black Caribbean", 300, 2000),
				borough(all, "ethnicity_group", "White British", 500, 5000),
				borough(all, "ethnicity_group", "Gypsy/Roma", 2, 30),
				borough(all, "ethnicity_group", "Other", 1201, 9370),
				// another breakdown: a group of its own, untouched
				borough(all, "fsm", "true", 900, 6000),
				borough(all, "fsm", "false", 1103, 10400),
			},
			want: map[string]string{
				"borough/E09000012 all ethnicity_group=Gypsy/Roma":      "primary",
				"borough/E09000012 all ethnicity_group=Black Caribbean": "secondary",
			},
			stats: SuppressionStats{Primary: 1, Secondary: 1},
		},
		{
			name:      "ties on numerator are broken by denominator",
			threshold: 5,
			values: []Value{
				borough(all, all, all, 100, 1000),
				borough(all, "gender", "F", 3, 400),
				borough(all, "gender", "M", 50, 300),
				borough(all, "gender", "X", 50, 200),
				borough(all, "gender", "U", -1, 100), // null numerator sorts last
			},
			want: map[string]string{
				"borough/E09000012 all gender=F": "primary",
				"borough/E09000012 all gender=X": "secondary",
			},
			stats: SuppressionStats{Primary: 1, Secondary: 1},
		},
		{
			name:      "two suppressed siblings protect each other",
			threshold: 5,
			values: []Value{
				borough(all, all, all, 100, 1000),
				borough(all, "fsm", "true", 2, 40),
				borough(all, "fsm", "false", 3, 50),
				borough(all, "fsm", "unknown", 95, 910),
			},
			want: map[string]string{
				"borough/E09000012 all fsm=true":  "primary",
				"borough/E09000012 all fsm=false": "primary",
			},
			stats: SuppressionStats{Primary: 2},
		},
		{
			name:      "suppressed total: nothing to subtract from",
			threshold: 5,
			values: []Value{
				borough(all, all, all, 4, 100),
				borough(all, "fsm", "true", 1, 40),
				borough(all, "fsm", "false", 3, 60),
				borough(all, "gender", "F", 2, 50),
				borough(all, "gender", "M", 2, 50),
			},
			want: map[string]string{
				"borough/E09000012 all all=all":   "primary",
				"borough/E09000012 all fsm=true":  "primary",
				"borough/E09000012 all fsm=false": "primary",
				"borough/E09000012 all gender=F":  "primary",
				"borough/E09000012 all gender=M":  "primary",
			},
			stats: SuppressionStats{Primary: 5},
		},
		{
			name:      "a lone sibling leaves nothing to recover it from",
			threshold: 5,
			values: []Value{
				cellOf("school", "100001", all, all, all, 40, 400),
				cellOf("school", "100001", "special", all, all, 3, 200),
			},
			want:  map[string]string{"school/100001 special all=all": "primary"},
			stats: SuppressionStats{Primary: 1},
		},
		{
			name:      "schools add up to the borough",
			threshold: 5,
			values: []Value{
				borough(all, all, all, 164, 2000),
				school("100001", 100, 900),
				school("100002", 4, 300),
				school("100003", 60, 800),
				// neighbourhoods are a separate group
				cellOf("neighbourhood", "N1", all, all, all, 80, 1000),
				cellOf("neighbourhood", "N2", all, all, all, 84, 1000),
			},
			want: map[string]string{
				"school/100002 all all=all": "primary",
				"school/100003 all all=all": "secondary",
			},
			stats: SuppressionStats{Primary: 1, Secondary: 1},
		},
		{
			name:      "secondary suppression cascades across dimensions",
			threshold: 5,
			values: []Value{
				borough(all, all, all, 163, 1900),
				borough("primary", all, all, 43, 900),
				borough("secondary", all, all, 80, 1000),
				borough(all, "fsm", "true", 23, 400),
				borough(all, "fsm", "false", 100, 1500),
				borough("primary", "fsm", "true", 3, 100), // primary
				borough("primary", "fsm", "false", 40, 800),
				borough("secondary", "fsm", "true", 20, 300),
				borough("secondary", "fsm", "false", 60, 700),
			},
			// primary/fsm=true hidden -> primary/fsm=false (breakdown group of
			// primary) -> secondary/fsm=false (phase group of fsm=false) ->
			// secondary/fsm=true (breakdown group of secondary).
			want: map[string]string{
				"borough/E09000012 primary fsm=true":    "primary",
				"borough/E09000012 primary fsm=false":   "secondary",
				"borough/E09000012 secondary fsm=false": "secondary",
				"borough/E09000012 secondary fsm=true":  "secondary",
			},
			stats: SuppressionStats{Primary: 1, Secondary: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stats := Suppress(tt.values, tt.threshold)
			if diff := cmp.Diff(tt.want, suppressed(tt.values)); diff != "" {
				t.Errorf("suppressed cells (-want +got):\n%s", diff)
			}
			if stats != tt.stats {
				t.Errorf("stats = %+v, want %+v", stats, tt.stats)
			}
			// Idempotent: a second pass reaches the same state.
			again := Suppress(tt.values, tt.threshold)
			if again != stats {
				t.Errorf("second pass stats = %+v, want %+v", again, stats)
			}
		})
	}
}

func TestSuppressHidesChangeAfterSuppressedPeriod(t *testing.T) {
	day := func(y int) sql.Null[time.Time] {
		return sql.Null[time.Time]{V: time.Date(y, 9, 1, 0, 0, 0, 0, time.UTC), Valid: true}
	}
	mk := func(period string, y int, n float64) Value {
		v := borough(all, all, all, n, 500)
		v.Period, v.PeriodStart = period, day(y)
		return v
	}
	// Out of order on purpose: the previous period is found by start date.
	values := []Value{mk("2024/25", 2024, 40), mk("2022/23", 2022, 30), mk("2023/24", 2023, 3)}
	Suppress(values, 5)
	got := map[string][2]bool{}
	for _, v := range values {
		got[v.Period] = [2]bool{v.Suppressed != NotSuppressed, v.HidePrevious()}
	}
	want := map[string][2]bool{
		"2022/23": {false, false},
		"2023/24": {true, true},  // itself suppressed
		"2024/25": {false, true}, // its change would reveal 2023/24
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(suppressed, hide previous) by period (-want +got):\n%s", diff)
	}
}

// TestSuppressNestedAndRepeated: a suppressed figure cannot be worked out
// from a total other than the row "all" (an ethnicity group or focus group
// over its ethnicity codes, a neighbourhood over its schools, a total
// published in another metric), nor from the same figure shown in another
// measure or metric.
func TestSuppressNestedAndRepeated(t *testing.T) {
	eth := func(code, group, focus string, n, d float64) Value {
		v := borough(all, "ethnicity", code, n, d)
		v.EthnicityGroup, v.FocusGroup = group, focus
		return v
	}
	inN := func(urn, nbh string, n, d float64) Value {
		v := school(urn, n, d)
		v.Neighbourhood = nbh
		return v
	}
	as := func(metric, measure string, v Value) Value {
		v.MetricID, v.Measure = metric, measure
		return v
	}
	count := func(v Value) Value { // the count measure: the numerator alone
		v.Measure, v.Unit, v.Denominator, v.Value = "count", "count", sql.Null[float64]{}, v.Numerator
		return v
	}
	tests := []struct {
		name   string
		values []Value
		want   map[string]string // metric/measure label -> primary|secondary
	}{
		{
			// BCRB (3) hidden; across all ethnicities the smallest shown is
			// WIRT, which leaves BCRB = Black - BAFR - BOTH, and WIRT =
			// White - WBRI - WOTH.
			name: "ethnicity codes add up to their ethnicity group",
			values: []Value{
				borough(all, all, all, 300, 3000),
				borough(all, "ethnicity_group", "Black", 93, 900),
				borough(all, "ethnicity_group", "White", 207, 2100),
				eth("BCRB", "Black", "", 3, 100),
				eth("BAFR", "Black", "", 50, 500),
				eth("BOTH", "Black", "", 40, 300),
				eth("WBRI", "White", "", 150, 1500),
				eth("WIRT", "White", "", 10, 100),
				eth("WOTH", "White", "", 47, 500),
			},
			want: map[string]string{
				"m/value borough/E09000012 all ethnicity=BCRB": "primary",
				"m/value borough/E09000012 all ethnicity=WIRT": "secondary",
				"m/value borough/E09000012 all ethnicity=BOTH": "secondary",
				"m/value borough/E09000012 all ethnicity=WOTH": "secondary",
			},
		},
		{
			// WTUR (3) hidden, WBRI (10) the smallest shown: the focus
			// group row would give WTUR = TKTC - WKUR - WTUC.
			name: "ethnicity codes add up to their focus group",
			values: []Value{
				borough(all, all, all, 63, 650),
				borough(all, "focus_group", "TKTC", 53, 550),
				eth("WTUR", "White", "TKTC", 3, 50),
				eth("WKUR", "White", "TKTC", 30, 300),
				eth("WTUC", "White", "TKTC", 20, 200),
				eth("WBRI", "White", "", 10, 100),
			},
			want: map[string]string{
				"m/value borough/E09000012 all ethnicity=WTUR": "primary",
				"m/value borough/E09000012 all ethnicity=WBRI": "secondary",
				"m/value borough/E09000012 all ethnicity=WTUC": "secondary",
			},
		},
		{
			// School A (4) hidden, C (10) the smallest school shown: the
			// neighbourhood rows give A = N1 - B and C = N2 - D.
			name: "schools add up to their neighbourhood",
			values: []Value{
				borough(all, all, all, 164, 2000),
				cellOf("neighbourhood", "N1", all, all, all, 54, 600),
				cellOf("neighbourhood", "N2", all, all, all, 110, 1400),
				inN("A", "N1", 4, 100),
				inN("B", "N1", 50, 500),
				inN("C", "N2", 10, 400),
				inN("D", "N2", 100, 1000),
			},
			want: map[string]string{
				"m/value school/A all all=all": "primary",
				"m/value school/C all all=all": "secondary",
				"m/value school/B all all=all": "secondary",
				"m/value school/D all all=all": "secondary",
			},
		},
		{
			// A risk ratio has no row "all", but the total of its
			// numerators is another metric's figure.
			name: "a total published elsewhere",
			values: []Value{
				borough(all, "gender", "F", 3, 100),
				borough(all, "gender", "M", 50, 100),
				borough(all, "gender", "X", 60, 200),
			},
			want: map[string]string{
				"m/value borough/E09000012 all gender=F": "primary",
				"m/value borough/E09000012 all gender=M": "secondary",
			},
		},
		{
			// The rate hides X (47 of 200), the count hides M (47, a tie
			// broken by name): each would show what the other hides.
			name: "the same figure in another measure",
			values: []Value{
				borough(all, all, all, 100, 1000),
				borough(all, "gender", "F", 3, 400),
				borough(all, "gender", "M", 47, 300),
				borough(all, "gender", "X", 47, 200),
				count(borough(all, all, all, 100, 1000)),
				count(borough(all, "gender", "F", 3, 400)),
				count(borough(all, "gender", "M", 47, 300)),
				count(borough(all, "gender", "X", 47, 200)),
			},
			want: map[string]string{
				"m/value borough/E09000012 all gender=F": "primary",
				"m/value borough/E09000012 all gender=X": "secondary",
				"m/value borough/E09000012 all gender=M": "secondary",
				"m/count borough/E09000012 all gender=F": "primary",
				"m/count borough/E09000012 all gender=M": "secondary",
				"m/count borough/E09000012 all gender=X": "secondary",
			},
		},
		{
			// X is hidden to protect F; the risk ratio's row for X repeats
			// its numerator and denominator.
			name: "the same figure in another metric",
			values: []Value{
				borough(all, all, all, 100, 1000),
				borough(all, "gender", "F", 3, 400),
				borough(all, "gender", "M", 50, 300),
				borough(all, "gender", "X", 47, 300),
				as("rr", "suspension", borough(all, "gender", "X", 47, 300)),
				as("rr", "suspension", borough(all, "gender", "M", 50, 400)), // another M: 50 of 400
			},
			want: map[string]string{
				"m/value borough/E09000012 all gender=F":       "primary",
				"m/value borough/E09000012 all gender=X":       "secondary",
				"rr/suspension borough/E09000012 all gender=X": "secondary",
				"rr/suspension borough/E09000012 all gender=M": "secondary", // its sibling, as no total is shown
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Suppress(tt.values, 5)
			got := map[string]string{}
			for _, v := range tt.values {
				if v.Suppressed != NotSuppressed {
					got[v.MetricID+"/"+v.Measure+" "+label(v)] = v.Suppressed.String()
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("suppressed cells (-want +got):\n%s", diff)
			}
		})
	}
}
