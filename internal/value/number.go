package value

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// ParseInt parses a whole number. After trimming it accepts an optional
// sign, digits with optional thousands separators in the right places
// ("1,234", "12,345,678" but not "1,23"), and a fractional part of zeros
// only ("123.0"). Leading zeros are ignored ("0123" is 123), so keep codes
// such as URNs with leading zeros as text. "12.5", "1e3", "£5" and values
// out of the int64 range are rejected with an [*Error] matching
// [ErrNotAnInt].
func ParseInt(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if IsMissing(t) {
		return 0, missingError(Int, s)
	}
	var buf [24]byte
	b := buf[:0]
	t, neg := cutSign(t)
	if neg {
		b = append(b, '-')
	}
	b, rest, reason := appendGroupedDigits(b, t)
	if reason != "" {
		return 0, newError(Int, s, reason)
	}
	if rest != "" {
		frac, ok := strings.CutPrefix(rest, ".")
		switch {
		case !ok || frac == "" || countDigits(frac) != len(frac):
			return 0, newError(Int, s, "")
		case strings.Trim(frac, "0") != "":
			return 0, newError(Int, s, "has a fractional part")
		}
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return 0, newError(Int, s, "out of range")
	}
	return n, nil
}

// ParseDecimal parses a number as returns write money, rates and counts.
// After trimming it accepts:
//
//   - an optional sign and an optional currency symbol (£, $ or €) in
//     either order: "-£1,234", "£-1,234", "£ 1,234.50";
//   - brackets for a negative amount: "(1,234)" is -1234;
//   - thousands separators in the right places, a decimal point, and an
//     exponent: "1,234.5", ".5", "1.5E3";
//   - a trailing percent sign, which is dropped: "12%" is 12, not 0.12.
//
// "12abc", "1,23", "1.234,5", "NaN", "Inf", blank and missing-value symbols
// are rejected with an [*Error] matching [ErrNotADecimal].
func ParseDecimal(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if IsMissing(t) {
		return 0, missingError(Decimal, s)
	}
	neg := false
	if len(t) >= 2 && t[0] == '(' && t[len(t)-1] == ')' {
		neg = true
		t = strings.TrimSpace(t[1 : len(t)-1])
	}
	var signed, currency bool
	for range 2 {
		if !signed {
			if rest, minus := cutSign(t); rest != t {
				if neg {
					return 0, newError(Decimal, s, "a sign inside brackets")
				}
				neg, signed, t = minus, true, strings.TrimLeft(rest, " ")
				continue
			}
		}
		if !currency {
			if rest, ok := cutCurrency(t); ok {
				currency, t = true, strings.TrimLeft(rest, " ")
				continue
			}
		}
		break
	}
	if rest, ok := strings.CutSuffix(t, "%"); ok {
		t = strings.TrimRight(rest, " ")
	}

	var buf [64]byte
	b := buf[:0]
	if neg {
		b = append(b, '-')
	}
	intStart := len(b)
	b, rest, reason := appendGroupedDigits(b, t)
	if reason != "" && !(reason == errNoDigits && rest != "" && rest[0] == '.') {
		return 0, newError(Decimal, s, reason)
	}
	hasDigits := len(b) > intStart
	if rest != "" && rest[0] == '.' {
		k := countDigits(rest[1:])
		b = append(b, rest[:1+k]...)
		rest = rest[1+k:]
		hasDigits = hasDigits || k > 0
	}
	if !hasDigits {
		return 0, newError(Decimal, s, "")
	}
	if rest != "" && (rest[0] == 'e' || rest[0] == 'E') {
		e := rest[1:]
		k := 0
		if e != "" && (e[0] == '+' || e[0] == '-') {
			k = 1
		}
		d := countDigits(e[k:])
		if d == 0 {
			return 0, newError(Decimal, s, "")
		}
		b = append(b, 'e')
		b = append(b, e[:k+d]...)
		rest = e[k+d:]
	}
	if rest != "" {
		return 0, newError(Decimal, s, "")
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, newError(Decimal, s, "")
	}
	if math.IsInf(f, 0) {
		return 0, newError(Decimal, s, "out of range")
	}
	if f == 0 {
		f = 0 // no negative zero from "-0" or "(0)"
	}
	return f, nil
}

const errNoDigits = "no digits"

// appendGroupedDigits appends the leading digits of s to b, dropping
// thousands separators, which must group the digits in threes. It returns
// the rest of s, or a reason when the digits are badly grouped or absent.
func appendGroupedDigits(b []byte, s string) ([]byte, string, string) {
	n := countDigits(s)
	if n == 0 {
		return b, s, errNoDigits
	}
	b = append(b, s[:n]...)
	s = s[n:]
	grouped := false
	for len(s) > 0 && s[0] == ',' {
		if n > 3 && !grouped {
			return b, s, "misplaced thousands separator"
		}
		k := countDigits(s[1:])
		if k != 3 {
			return b, s, "misplaced thousands separator"
		}
		b = append(b, s[1:4]...)
		s = s[4:]
		grouped = true
	}
	return b, s, ""
}

// cutSign removes a leading +, - or Unicode minus sign.
func cutSign(s string) (rest string, negative bool) {
	switch {
	case strings.HasPrefix(s, "-"):
		return s[1:], true
	case strings.HasPrefix(s, "+"):
		return s[1:], false
	case strings.HasPrefix(s, "\u2212"):
		return s[len("\u2212"):], true
	}
	return s, false
}

// cutCurrency removes a leading currency symbol.
func cutCurrency(s string) (string, bool) {
	for _, c := range [...]string{"£", "$", "€"} {
		if rest, ok := strings.CutPrefix(s, c); ok {
			return rest, true
		}
	}
	return s, false
}

// ParseBool parses Y/N, Yes/No, True/False, T/F and 1/0, in any case,
// after trimming. Anything else is rejected with an [*Error] matching
// [ErrNotABool].
func ParseBool(s string) (bool, error) {
	t := strings.TrimSpace(s)
	switch {
	case t == "1" || strings.EqualFold(t, "y") || strings.EqualFold(t, "yes") ||
		strings.EqualFold(t, "t") || strings.EqualFold(t, "true"):
		return true, nil
	case t == "0" || strings.EqualFold(t, "n") || strings.EqualFold(t, "no") ||
		strings.EqualFold(t, "f") || strings.EqualFold(t, "false"):
		return false, nil
	case IsMissing(t):
		return false, missingError(Bool, s)
	}
	return false, newError(Bool, s, "")
}
