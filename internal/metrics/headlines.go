package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// priorityNames are the plan's five priorities.
var priorityNames = map[int]string{
	1: "SEND and inclusion",
	2: "Alternative learning provision",
	3: "Strength and sustainability",
	4: "Sustainable school improvement",
	5: "Equity for children and families",
}

// PriorityName returns the plan's name for priority n ("SEND and
// inclusion"), or "Priority n" for an unknown number.
func PriorityName(n int) string {
	if s, ok := priorityNames[n]; ok {
		return s
	}
	return "Priority " + strconv.Itoa(n)
}

// Headline is where one metric stands: its borough-wide headline value in
// the latest period. Metrics reported per group (p5_sen_representation per
// focus group) have one Headline per group.
type Headline struct {
	Priority   int      `json:"priority"`
	MetricID   string   `json:"metric_id"`
	Name       string   `json:"name"`
	Group      string   `json:"group,omitempty"` // breakdown value, for per-group headlines
	Period     string   `json:"period,omitempty"`
	PeriodType string   `json:"period_type,omitempty"`
	Value      *float64 `json:"value"`
	Unit       string   `json:"unit"`
	Target     *float64 `json:"target"`
	Previous   *float64 `json:"previous_value"`
	Change     *float64 `json:"change"`
	Status     string   `json:"status"` // on_track | off_track | no_target | no_data; "" when no headline row exists
	Flag       string   `json:"flag,omitempty"`
}

// Headlines reads one headline per catalogue metric from a built warehouse
// (indicators.latest and indicators.metrics), in priority then metric order.
func Headlines(ctx context.Context, db *sql.DB) ([]Headline, error) {
	q, err := engineSQL.ReadFile("sql/headlines.sql")
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, string(q))
	if err != nil {
		return nil, fmt.Errorf("read headlines: %w (has 'planmetrics build' run?)", err)
	}
	defer rows.Close()
	var out []Headline
	for rows.Next() {
		var h Headline
		var value, target, prev, change sql.NullFloat64
		if err := rows.Scan(&h.Priority, &h.MetricID, &h.Name, &h.Unit, &h.Group, &h.Period, &h.PeriodType,
			&value, &target, &prev, &change, &h.Status, &h.Flag); err != nil {
			return nil, fmt.Errorf("read headlines: %w", err)
		}
		h.Value, h.Target, h.Previous, h.Change = ptr(value), ptr(target), ptr(prev), ptr(change)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read headlines: %w", err)
	}
	return out, nil
}

func ptr(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	f := v.Float64
	return &f
}

// WriteHeadlines prints headlines as a plain-text table, one block per
// priority: metric, latest period, value, target, change and status.
func WriteHeadlines(w io.Writer, hs []Headline) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	prio := 0
	for _, h := range hs {
		if h.Priority != prio {
			if prio != 0 {
				fmt.Fprintln(tw)
			}
			prio = h.Priority
			fmt.Fprintf(tw, "Priority %d: %s\n", prio, PriorityName(prio))
			fmt.Fprintln(tw, "  metric\tperiod\tvalue\ttarget\tchange\tstatus")
		}
		name := h.MetricID
		if h.Group != "" {
			name += " [" + h.Group + "]"
		}
		status := strings.ReplaceAll(h.Status, "_", " ")
		if status == "" {
			status = "-"
		}
		if h.Flag != "" {
			status += " (" + strings.ReplaceAll(h.Flag, "_", " ") + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", name, dash(h.Period),
			FormatValue(h.Unit, h.Value), FormatValue(h.Unit, h.Target), formatChange(h.Unit, h.Change), status)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// FormatValue renders a metric value for people: 52.3% (percent), 3.21
// (per_100, ratio), 12.4 (per_10000), 1,234 (count), -£1,234,567 (gbp); "-"
// for no value.
func FormatValue(unit string, v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return "-"
	}
	x := *v
	switch unit {
	case "percent":
		return strconv.FormatFloat(x, 'f', 1, 64) + "%"
	case "per_100", "ratio":
		return strconv.FormatFloat(x, 'f', 2, 64)
	case "per_10000":
		return strconv.FormatFloat(x, 'f', 1, 64)
	case "count":
		if x == math.Trunc(x) {
			return thousands(int64(x))
		}
		return strconv.FormatFloat(x, 'f', 1, 64)
	case "gbp":
		s := "£" + thousands(int64(math.Abs(math.Round(x))))
		if x < 0 {
			return "-" + s
		}
		return s
	default:
		return strconv.FormatFloat(x, 'g', 6, 64)
	}
}

func formatChange(unit string, v *float64) string {
	if v == nil {
		return "-"
	}
	s := FormatValue(unit, v)
	if unit == "percent" {
		s = strings.TrimSuffix(s, "%") + " pts"
	}
	if *v > 0 {
		s = "+" + s
	}
	return s
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
