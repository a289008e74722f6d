package value

import (
	"fmt"
	"strings"
	"time"
)

// Dates outside these years are typing mistakes in a return, not dates.
const (
	minYear = 1900
	maxYear = 2099
)

// excelEpoch is day 0 of Excel's 1900 date system for serials from 61 on:
// Excel counts a 29 February 1900 that never existed (serial 60), so serial
// 61 is 1 March 1900 = excelEpoch + 61 days.
var excelEpoch = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)

// Plausible Excel serials: 1900-03-01 to 2099-12-31.
const (
	minSerial = 61
	maxSerial = 73050
)

// ParseDate parses a date as returns write it, and returns midnight UTC of
// that day. Accepted, after trimming:
//
//   - ISO: 2025-01-16, 2025/01/16, 2025-1-6, 20250116, and ISO date-times
//     such as "2025-01-16 00:00:00" or "2025-01-16T09:30:00Z" (the time is
//     dropped, the date is kept as written);
//   - day first (UK, never US): 16/01/2025, 16/1/2025, 16-01-2025,
//     16.01.2025, optionally followed by a time ("16/01/2025 00:00");
//   - day and month name: 16-Jan-2025, 16 Jan 2025, 16 January 2025,
//     16th January 2025, 16-Sept-2025;
//   - Excel serial day numbers in the 1900 date system, e.g. "45673" or
//     "45673.0" (a fraction is a time of day and is dropped), from 61
//     (1900-03-01) to 73050 (2099-12-31). Serial 60 is Excel's non-existent
//     29 February 1900 and is rejected, and so are 1900 to 2099: a bare
//     four-digit number there is a year typed into a date column, not a
//     day in 1905.
//
// Years must have four digits and lie in 1900-2099. Impossible dates
// (31/02/2025), two-digit years (16/01/25) and month-first dates (01/16/2025)
// are rejected with an [*Error] matching [ErrNotADate].
func ParseDate(s string) (time.Time, error) {
	t := strings.TrimSpace(s)
	if IsMissing(t) {
		return time.Time{}, missingError(Date, s)
	}
	d, reason := parseDate(t)
	if reason != "" {
		return time.Time{}, newError(Date, s, reason)
	}
	return d, nil
}

// FromSerial returns the date of an Excel serial day number (1900 date
// system), with ok false outside the plausible range 61..73050.
func FromSerial(serial int) (d time.Time, ok bool) {
	if serial < minSerial || serial > maxSerial {
		return time.Time{}, false
	}
	return excelEpoch.AddDate(0, 0, serial), true
}

// parseDate returns the date, or a non-empty reason when t is not one.
func parseDate(t string) (time.Time, string) {
	n := countDigits(t)
	switch {
	case n == 0:
		return time.Time{}, noReason
	case n == len(t) || (t[n] == '.' && n+1 < len(t) && countDigits(t[n+1:]) == len(t)-n-1):
		return parseNumericDate(t, n)
	case n == 4 && (t[4] == '-' || t[4] == '/' || t[4] == '.'):
		return parseISO(t)
	case n <= 2:
		return parseDayFirst(t, n)
	}
	return time.Time{}, noReason
}

// noReason marks a failure with nothing more to say than what was expected.
const noReason = "unrecognised format"

// parseNumericDate handles a value made only of digits (with an optional
// fraction): YYYYMMDD or an Excel serial.
func parseNumericDate(t string, n int) (time.Time, string) {
	if n == 8 && n == len(t) {
		return makeDate(atoi(t[:4]), atoi(t[4:6]), atoi(t[6:8]), false)
	}
	if n > 5 {
		return time.Time{}, noReason
	}
	serial := atoi(t[:n])
	if n == 4 && serial >= minYear && serial <= maxYear {
		// Serials 1900-2099 are dates in 1905; a number like that in a
		// date column is a year someone typed, not a day.
		return time.Time{}, fmt.Sprintf("a year alone is not a date (as an Excel serial, %d would be a day in 1905): write the full date, e.g. 16/01/%d", serial, serial)
	}
	if serial == 60 {
		return time.Time{}, "Excel serial 60 is 29 February 1900, a day that never existed"
	}
	d, ok := FromSerial(serial)
	if !ok {
		return time.Time{}, fmt.Sprintf("Excel serial %d is outside %d-%d (1900-03-01 to 2099-12-31)", serial, minSerial, maxSerial)
	}
	return d, ""
}

// parseISO handles YYYY-MM-DD (or / or . separators), optionally followed
// by a time after a space or a T.
func parseISO(t string) (time.Time, string) {
	sep := t[4]
	y := atoi(t[:4])
	rest := t[5:]
	m, rest, ok := digits12(rest)
	if !ok || rest == "" || rest[0] != sep {
		return time.Time{}, noReason
	}
	d, rest, ok := digits12(rest[1:])
	if !ok {
		return time.Time{}, noReason
	}
	if rest != "" {
		if (rest[0] != ' ' && rest[0] != 'T') || !validTime(strings.TrimLeft(rest[1:], " ")) {
			return time.Time{}, noReason
		}
	}
	return makeDate(y, m, d, false)
}

// parseDayFirst handles D/M/YYYY, D-M-YYYY, D.M.YYYY and D Mon YYYY forms,
// where t starts with n (1 or 2) digits of the day.
func parseDayFirst(t string, n int) (time.Time, string) {
	d := atoi(t[:n])
	rest := skipOrdinal(t[n:])
	if rest == "" {
		return time.Time{}, noReason
	}
	sep := rest[0]
	var m int
	switch sep {
	case '/', '-', '.':
		rest = rest[1:]
		if rest != "" && isDigit(rest[0]) {
			var ok bool
			if m, rest, ok = digits12(rest); !ok {
				return time.Time{}, noReason
			}
		} else if m, rest = monthName(rest); m == 0 {
			return time.Time{}, noReason
		}
	case ' ':
		rest = strings.TrimLeft(rest, " ")
		if m, rest = monthName(rest); m == 0 {
			return time.Time{}, noReason
		}
	default:
		return time.Time{}, noReason
	}
	// The separator after the month repeats the one before it; after a
	// month name, "16 Jan. 2025" and "16 January, 2025" are also fine.
	if rest == "" {
		return time.Time{}, "no year: write the year in full, e.g. 16/01/2025"
	}
	if sep == ' ' {
		rest = strings.TrimPrefix(rest, ".")
		rest = strings.TrimPrefix(rest, ",")
		if rest == "" || rest[0] != ' ' {
			return time.Time{}, noReason
		}
		rest = strings.TrimLeft(rest, " ")
	} else {
		if rest[0] != sep {
			return time.Time{}, noReason
		}
		rest = rest[1:]
	}
	yn := countDigits(rest)
	y := atoi(rest[:yn])
	rest = rest[yn:]
	if rest != "" && (rest[0] != ' ' || !validTime(strings.TrimLeft(rest, " "))) {
		return time.Time{}, noReason
	}
	switch yn {
	case 4:
	case 2:
		return time.Time{}, "two-digit year: write the year in full, e.g. 16/01/2025"
	default:
		return time.Time{}, noReason
	}
	return makeDate(y, m, d, true)
}

// makeDate checks that y-m-d is a real day in the plausible range.
// dayFirst adds a hint when the input looks like a US month-first date.
func makeDate(y, m, d int, dayFirst bool) (time.Time, string) {
	if y < minYear || y > maxYear {
		return time.Time{}, fmt.Sprintf("year %d is outside %d-%d", y, minYear, maxYear)
	}
	if m < 1 || m > 12 {
		if dayFirst && m > 12 && d >= 1 && d <= 12 {
			return time.Time{}, fmt.Sprintf("there is no month %d: dates are read day first (UK), so write 16 January as 16/01/%d", m, y)
		}
		return time.Time{}, fmt.Sprintf("there is no month %d", m)
	}
	date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || date.Day() != d {
		return time.Time{}, fmt.Sprintf("%s %d has no day %d", time.Month(m), y, d)
	}
	return date, ""
}

// validTime accepts hh:mm, hh:mm:ss and hh:mm:ss.fff, optionally followed
// by Z or a UTC offset (+01:00, +0100) or AM/PM.
func validTime(t string) bool {
	h, rest, ok := digits12(t)
	if !ok || h > 23 || len(rest) < 3 || rest[0] != ':' {
		return false
	}
	if countDigits(rest[1:]) != 2 || atoi(rest[1:3]) > 59 {
		return false
	}
	rest = rest[3:]
	if len(rest) >= 3 && rest[0] == ':' {
		if countDigits(rest[1:]) != 2 || atoi(rest[1:3]) > 59 {
			return false
		}
		rest = rest[3:]
		if len(rest) >= 2 && rest[0] == '.' {
			k := countDigits(rest[1:])
			if k == 0 {
				return false
			}
			rest = rest[1+k:]
		}
	}
	switch {
	case rest == "" || rest == "Z":
		return true
	case rest[0] == '+' || rest[0] == '-':
		off := strings.Replace(rest[1:], ":", "", 1)
		return len(off) == 4 && countDigits(off) == 4
	}
	rest = strings.TrimLeft(rest, " ")
	return h <= 12 && (strings.EqualFold(rest, "AM") || strings.EqualFold(rest, "PM"))
}

// skipOrdinal drops st/nd/rd/th after a day number ("16th January 2025")
// when a space follows.
func skipOrdinal(s string) string {
	if len(s) >= 3 && s[2] == ' ' {
		switch strings.ToLower(s[:2]) {
		case "st", "nd", "rd", "th":
			return s[2:]
		}
	}
	return s
}

var monthNames = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
	"oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// monthName reads an English month name or abbreviation at the start of s
// and returns its number (0 if none) and the rest of s.
func monthName(s string) (int, string) {
	k := 0
	for k < len(s) && (s[k]|0x20) >= 'a' && (s[k]|0x20) <= 'z' {
		k++
	}
	if k < 3 || k > 9 {
		return 0, s
	}
	var lower [9]byte
	for i := range k {
		lower[i] = s[i] | 0x20
	}
	return monthNames[string(lower[:k])], s[k:]
}

// digits12 reads one or two digits at the start of s.
func digits12(s string) (int, string, bool) {
	n := countDigits(s)
	if n < 1 || n > 2 {
		return 0, s, false
	}
	return atoi(s[:n]), s[n:], true
}

func countDigits(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// atoi converts a short run of ASCII digits (callers check them).
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
