package generate

import (
	"strconv"
	"strings"
	"time"
)

// kind is the type of a generated value; writers render it per file style.
type kind uint8

const (
	kNull  kind = iota
	kText       // text or a code
	kInt        // whole number
	kMoney      // decimal amount in pounds
	kDate       // calendar date
	kBool       // true/false
	kRaw        // text written exactly as given (injected faults)
)

// value is one cell of a generated row.
type value struct {
	k kind
	s string
	i int64
	f float64
	t time.Time
	b bool
}

func txt(s string) value {
	if s == "" {
		return value{}
	}
	return value{k: kText, s: s}
}
func num(i int) value        { return value{k: kInt, i: int64(i)} }
func money(f float64) value  { return value{k: kMoney, f: f} }
func date(t time.Time) value { return value{k: kDate, t: t} }
func flag(b bool) value      { return value{k: kBool, b: b} }
func raw(s string) value     { return value{k: kRaw, s: s} }

// optDate is a date, or no value for the zero time.
func optDate(t time.Time) value {
	if t.IsZero() {
		return value{}
	}
	return date(t)
}

// plain renders v the canonical way (ISO dates, plain numbers).
func (v value) plain() string {
	switch v.k {
	case kText, kRaw:
		return v.s
	case kInt:
		return strconv.FormatInt(v.i, 10)
	case kMoney:
		return strconv.FormatFloat(v.f, 'f', -1, 64)
	case kDate:
		return v.t.Format(time.DateOnly)
	case kBool:
		return strconv.FormatBool(v.b)
	}
	return ""
}

// pounds renders an amount the way a finance officer's spreadsheet shows
// it: "£1,234,567", negatives in brackets "(12,345)".
func pounds(f float64) string {
	neg := f < 0
	if neg {
		f = -f
	}
	s := groupThousands(strconv.FormatFloat(f, 'f', 0, 64))
	if neg {
		return "(" + s + ")"
	}
	return "£" + s
}

func groupThousands(digits string) string {
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
