package value

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func TestIsMissing(t *testing.T) {
	missing := []string{"", " ", "\t\n", "\u00a0", "c", "C", "x", "X", " z ", "Z", ":", "low", "LOW", "Low", "u", "U", "..", "-", " - "}
	present := []string{"0", "0.0", "a", "xx", "...", ".", "--", "lower", "n/a", "£0", "c1", "N"}
	for _, s := range missing {
		if !IsMissing(s) {
			t.Errorf("IsMissing(%q) = false, want true", s)
		}
	}
	for _, s := range present {
		if IsMissing(s) {
			t.Errorf("IsMissing(%q) = true, want false", s)
		}
	}
}

func TestParseDate(t *testing.T) {
	jan16 := date(2025, time.January, 16)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2025-01-16", jan16},
		{" 2025-01-16 ", jan16},
		{"2025/01/16", jan16},
		{"2025-1-16", jan16},
		{"20250116", jan16},
		{"2025-01-16 00:00:00", jan16},
		{"2025-01-16T00:00:00", jan16},
		{"2025-01-16T23:59:59.999Z", jan16},
		{"2025-01-16T09:30:00+01:00", jan16},
		{"2025-01-16 09:30", jan16},
		{"16/01/2025", jan16},
		{"16/1/2025", jan16},
		{"16-01-2025", jan16},
		{"16.01.2025", jan16},
		{"16/01/2025 00:00", jan16},
		{"16/01/2025 00:00:00", jan16},
		{"16/01/2025 9:05 AM", jan16},
		{"16-Jan-2025", jan16},
		{"16-jan-2025", jan16},
		{"16 Jan 2025", jan16},
		{"16 JAN 2025", jan16},
		{"16 January 2025", jan16},
		{"16th January 2025", jan16},
		{"16 Jan. 2025", jan16},
		{"16 January, 2025", jan16},
		{"6/9/2025", date(2025, time.September, 6)},  // UK: 6 September, never 9 June
		{"01/02/2025", date(2025, time.February, 1)}, // UK: 1 February
		{"1 Sept 2024", date(2024, time.September, 1)},
		{"29/02/2024", date(2024, time.February, 29)},
		{"45673", jan16},
		{"45673.0", jan16},
		{"45673.75", jan16}, // a date-time serial: the time is dropped
		{"61", date(1900, time.March, 1)},
		{"73050", date(2099, time.December, 31)},
		{"1900-01-01", date(1900, time.January, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		in      string
		missing bool
		reason  string // substring of the message, when it says more
	}{
		{in: "", missing: true},
		{in: "x", missing: true},
		{in: " .. ", missing: true},
		{in: "31/02/2025", reason: "February 2025 has no day 31"},
		{in: "29/02/2025", reason: "has no day 29"},
		{in: "2025-02-30", reason: "has no day 30"},
		{in: "00/01/2025", reason: "no day 0"},
		{in: "16/01/25", reason: "two-digit year"},
		{in: "16-Jan-25", reason: "two-digit year"},
		{in: "01/16/2025", reason: "day first"}, // US month first
		{in: "16/13/2025", reason: "no month 13"},
		{in: "2025-13-01", reason: "no month 13"},
		{in: "60", reason: "29 February 1900"},
		{in: "59", reason: "outside 61-73050"},
		{in: "73051", reason: "outside 61-73050"},
		{in: "0", reason: "outside"},
		// A year alone is not Excel serial 2015 (7 July 1905).
		{in: "2015", reason: "a year alone"},
		{in: " 2025 ", reason: "a year alone"},
		{in: "1900", reason: "a year alone"},
		{in: "2099.0", reason: "a year alone"},
		{in: "16/01/1850", reason: "year 1850"},
		{in: "2100-01-01", reason: "year 2100"},
		{in: "16/01/2025 25:00"},
		{in: "2025-01-16X"},
		{in: "2025-01"},
		{in: "16/01"},
		{in: "16/01-2025"},
		{in: "Jan 2025"},
		{in: "January 16, 2025"},
		{in: "16 Foo 2025"},
		{in: "45673.5.5"},
		{in: "123456"},
		{in: "2025-01-16 00:00:00 extra"},
		{in: "16/01/2025 00:00:60"},
		{in: "today"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if err == nil {
				t.Fatalf("ParseDate(%q) = %v, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrNotADate) {
				t.Errorf("error %v does not match ErrNotADate", err)
			}
			if errors.Is(err, ErrMissing) != tt.missing {
				t.Errorf("errors.Is(%v, ErrMissing) = %v, want %v", err, !tt.missing, tt.missing)
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != Date || e.Value != tt.in {
				t.Fatalf("error %#v is not an *Error{Kind: Date, Value: %q}", err, tt.in)
			}
			msg := err.Error()
			if !strings.Contains(msg, "expected a date like 16/01/2025 or 2025-01-16") {
				t.Errorf("message %q does not say what was expected", msg)
			}
			if !strings.Contains(msg, tt.reason) {
				t.Errorf("message %q does not contain %q", msg, tt.reason)
			}
		})
	}
}

// TestFromSerialMatchesExcel checks serials against dates Excel shows for
// them, across the leap-year rules.
func TestFromSerialMatchesExcel(t *testing.T) {
	tests := []struct {
		serial int
		want   time.Time
	}{
		{61, date(1900, time.March, 1)},
		{366, date(1900, time.December, 31)},
		{367, date(1901, time.January, 1)},
		{36526, date(2000, time.January, 1)},
		{36585, date(2000, time.February, 29)},
		{45658, date(2025, time.January, 1)},
		{45673, date(2025, time.January, 16)},
	}
	for _, tt := range tests {
		got, ok := FromSerial(tt.serial)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("FromSerial(%d) = %v, %v; want %v", tt.serial, got, ok, tt.want)
		}
	}
	for _, s := range []int{-1, 0, 1, 60, 73051} {
		if d, ok := FromSerial(s); ok {
			t.Errorf("FromSerial(%d) = %v, want not ok", s, d)
		}
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"0", 0},
		{"123", 123},
		{" 12 ", 12},
		{"0123", 123},
		{"1,234", 1234},
		{"12,345,678", 12345678},
		{"-1,234", -1234},
		{"+5", 5},
		{"\u22125", -5},
		{"123.0", 123},
		{"123.000", 123},
		{"9223372036854775807", math.MaxInt64},
		{"-9223372036854775808", math.MinInt64},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseInt(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParseInt(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
	bad := []struct {
		in     string
		reason string
	}{
		{"12.5", "fractional"},
		{"123.", ""},
		{"1,23", "thousands separator"},
		{"1234,567", "thousands separator"},
		{"1,2345", "thousands separator"},
		{"1e3", ""},
		{"£5", ""},
		{"12%", ""},
		{"abc", ""},
		{"1 234", ""},
		{"9223372036854775808", "out of range"},
		{"--5", ""},
		{"-", "missing"},
		{"c", "missing"},
		{"", "missing"},
	}
	for _, tt := range bad {
		t.Run("bad "+tt.in, func(t *testing.T) {
			got, err := ParseInt(tt.in)
			if err == nil {
				t.Fatalf("ParseInt(%q) = %d, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrNotAnInt) {
				t.Errorf("error %v does not match ErrNotAnInt", err)
			}
			if tt.reason == "missing" != errors.Is(err, ErrMissing) {
				t.Errorf("errors.Is(%v, ErrMissing) wrong", err)
			}
			if tt.reason != "missing" && !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("message %q does not contain %q", err, tt.reason)
			}
		})
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"£1,234.50", 1234.5},
		{"1234.5", 1234.5},
		{" 12 ", 12},
		{"(1,234)", -1234},
		{"( 1,234.5 )", -1234.5},
		{"(£1,234)", -1234},
		{"-£1,234", -1234},
		{"£-1,234", -1234},
		{"- £1,234", -1234},
		{"£ 1,234", 1234},
		{"$5", 5},
		{"€5.5", 5.5},
		{"+7", 7},
		{"\u22127", -7},
		{"12%", 12},
		{"12.5 %", 12.5},
		{"1.5E3", 1500},
		{"1.5e-3", 0.0015},
		{"1,234.5e2", 123450},
		{".5", 0.5},
		{"5.", 5},
		{"0", 0},
		{"-0", 0},
		{"(0)", 0},
		{"40.299999999999997", 40.3},
		{"007", 7},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDecimal(tt.in)
			if err != nil || got != tt.want || math.Signbit(got) != math.Signbit(tt.want) {
				t.Errorf("ParseDecimal(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
	bad := []string{
		"12abc", "abc", "NaN", "nan", "Inf", "+Inf", "-Infinity", "1e999", "1,23", "1.234,5",
		"1234,5", "£", "()", "(-5)", "--5", "£-£5", "5-", "1e", "1e+", ".", "1..2", "0x10", "1_000",
		"12%%", "%12", "(12", "1 234",
	}
	for _, in := range bad {
		t.Run("bad "+in, func(t *testing.T) {
			got, err := ParseDecimal(in)
			if err == nil {
				t.Fatalf("ParseDecimal(%q) = %v, want an error", in, got)
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != Decimal || !errors.Is(err, ErrNotADecimal) || errors.Is(err, ErrMissing) {
				t.Errorf("error %#v is not a non-missing *Error of kind Decimal", err)
			}
		})
	}
	for _, in := range []string{"", "  ", "z", "low", ":"} {
		if _, err := ParseDecimal(in); !errors.Is(err, ErrMissing) || !errors.Is(err, ErrNotADecimal) {
			t.Errorf("ParseDecimal(%q) error %v, want one matching ErrMissing and ErrNotADecimal", in, err)
		}
	}
}

func TestParseBool(t *testing.T) {
	trues := []string{"Y", "y", "Yes", "YES", "True", "true", "T", "t", "1", " Y "}
	falses := []string{"N", "n", "No", "NO", "False", "false", "F", "f", "0", "\tN\t"}
	for _, s := range trues {
		if got, err := ParseBool(s); err != nil || !got {
			t.Errorf("ParseBool(%q) = %v, %v; want true", s, got, err)
		}
	}
	for _, s := range falses {
		if got, err := ParseBool(s); err != nil || got {
			t.Errorf("ParseBool(%q) = %v, %v; want false", s, got, err)
		}
	}
	for _, s := range []string{"yess", "2", "-1", "on", "off", "1.0", "ye", "", "x"} {
		_, err := ParseBool(s)
		if !errors.Is(err, ErrNotABool) {
			t.Errorf("ParseBool(%q) error %v, want one matching ErrNotABool", s, err)
		}
		if errors.Is(err, ErrMissing) != IsMissing(s) {
			t.Errorf("ParseBool(%q): errors.Is(ErrMissing) = %v, want %v", s, !IsMissing(s), IsMissing(s))
		}
	}
}

func TestParseAcademicYear(t *testing.T) {
	for _, in := range []string{"2024/25", "2024-25", "2024/2025", "2024-2025", "202425", "2024 to 2025", " 2024 / 25 ", "2024 TO 2025", "2024\u201325", "2024 to 25"} {
		got, err := ParseAcademicYear(in)
		if err != nil || got != "2024/25" {
			t.Errorf("ParseAcademicYear(%q) = %q, %v; want 2024/25", in, got, err)
		}
	}
	if got, err := ParseAcademicYear("1999/00"); err != nil || got != "1999/00" {
		t.Errorf("ParseAcademicYear(1999/00) = %q, %v; want 1999/00 (century roll-over)", got, err)
	}
	bad := map[string]string{
		"2024/26":   "year after the first",
		"2024/2026": "year after the first",
		"2024/24":   "year after the first",
		"202426":    "year after the first",
		"24/25":     "",
		"2024":      "",
		"2024/5":    "",
		"2024/025":  "",
		"2024to25":  "",
		"FY2024-25": "",
		"2024/25/":  "",
		"1899/00":   "outside",
		"x":         "blank or a missing-value symbol",
	}
	for in, reason := range bad {
		got, err := ParseAcademicYear(in)
		if !errors.Is(err, ErrNotAnAcademicYear) || !strings.Contains(fmt2(err), reason) || !strings.Contains(fmt2(err), "like 2024/25") {
			t.Errorf("ParseAcademicYear(%q) = %q, %v; want an ErrNotAnAcademicYear saying %q", in, got, err, reason)
		}
	}
}

func TestParseFinancialYear(t *testing.T) {
	for _, in := range []string{"2025-26", "2025/26", "2025-2026", "2025/2026", "202526", "FY2025-26", "fy 2025/26", "FY2025-2026", "2025 to 2026"} {
		got, err := ParseFinancialYear(in)
		if err != nil || got != "2025-26" {
			t.Errorf("ParseFinancialYear(%q) = %q, %v; want 2025-26", in, got, err)
		}
	}
	for _, in := range []string{"2025-27", "FY25-26", "FY", "2025", "25-26", "", "c", "FY2025-26x"} {
		got, err := ParseFinancialYear(in)
		if !errors.Is(err, ErrNotAFinancialYear) || !strings.Contains(fmt2(err), "like 2025-26") {
			t.Errorf("ParseFinancialYear(%q) = %q, %v; want an ErrNotAFinancialYear", in, got, err)
		}
	}
}

func fmt2(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestErrorMessage(t *testing.T) {
	_, err := ParseDate("31/02/2025")
	want := `not a date: "31/02/2025" (February 2025 has no day 31); expected a date like 16/01/2025 or 2025-01-16`
	if err == nil || err.Error() != want {
		t.Errorf("message = %v\nwant      %s", err, want)
	}
	_, err = ParseDecimal("c")
	want = `not a number: "c" (blank or a missing-value symbol); expected a number like 1234.50, £1,234.50 or (1,234)`
	if err == nil || err.Error() != want {
		t.Errorf("message = %v\nwant      %s", err, want)
	}
}
