package value

import (
	"strconv"
	"strings"
)

// ParseAcademicYear parses an academic year (1 September to 31 August) and
// returns it in the plan's label form, "2024/25". Accepted, after trimming:
// "2024/25", "2024-25", "2024/2025", "2024-2025", "202425" and
// "2024 to 2025" (spaces around the separator are fine, an en dash works as
// a hyphen). The second year must be the year after the first; otherwise,
// or for anything else, it returns an [*Error] matching
// [ErrNotAnAcademicYear].
func ParseAcademicYear(s string) (string, error) {
	t := strings.TrimSpace(s)
	if IsMissing(t) {
		return "", missingError(AcademicYear, s)
	}
	y, reason := parseYearPair(t)
	if reason != "" {
		return "", newError(AcademicYear, s, reason)
	}
	return yearLabel(y, '/'), nil
}

// ParseFinancialYear parses a financial year (1 April to 31 March) and
// returns it in the plan's label form, "2025-26". It accepts the forms
// [ParseAcademicYear] does ("2025-26", "2025/26", "2025-2026", "202526",
// "2025 to 2026"), optionally prefixed with FY ("FY2025-26", "FY 2025/26").
// Errors match [ErrNotAFinancialYear].
func ParseFinancialYear(s string) (string, error) {
	t := strings.TrimSpace(s)
	if IsMissing(t) {
		return "", missingError(FinancialYear, s)
	}
	if len(t) > 2 && strings.EqualFold(t[:2], "FY") {
		t = strings.TrimLeft(t[2:], " ")
	}
	y, reason := parseYearPair(t)
	if reason != "" {
		return "", newError(FinancialYear, s, reason)
	}
	return yearLabel(y, '-'), nil
}

// yearLabel formats the period starting in year y as "2024/25" or "2024-25".
func yearLabel(y int, sep byte) string {
	b := make([]byte, 0, 7)
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, sep, byte('0'+(y+1)%100/10), byte('0'+(y+1)%10))
	return string(b)
}

// parseYearPair reads "YYYY?YY" or "YYYY?YYYY" (? one of / - – "to") or
// "YYYYYY" and returns the first year, or a reason it is not a period.
func parseYearPair(t string) (int, string) {
	n := countDigits(t)
	var y1, y2 int
	short := false
	switch {
	case n == 6 && len(t) == 6:
		y1, y2, short = atoi(t[:4]), atoi(t[4:]), true
	case n == 4:
		y1 = atoi(t[:4])
		rest := strings.TrimLeft(t[4:], " ")
		switch {
		case strings.HasPrefix(rest, "/"), strings.HasPrefix(rest, "-"):
			rest = rest[1:]
		case strings.HasPrefix(rest, "\u2013"): // en dash
			rest = rest[len("\u2013"):]
		case len(rest) >= 2 && strings.EqualFold(rest[:2], "to") && rest != t[4:]:
			rest = rest[2:]
		default:
			return 0, noReason
		}
		rest = strings.TrimLeft(rest, " ")
		switch k := countDigits(rest); {
		case k != len(rest):
			return 0, noReason
		case k == 2:
			y2, short = atoi(rest), true
		case k == 4:
			y2 = atoi(rest)
		default:
			return 0, noReason
		}
	default:
		return 0, noReason
	}
	if y1 < minYear || y1 >= maxYear {
		return 0, "year " + strconv.Itoa(y1) + " is outside 1900-2098"
	}
	if (short && y2 != (y1+1)%100) || (!short && y2 != y1+1) {
		return 0, "the second year must be the year after the first"
	}
	return y1, ""
}
