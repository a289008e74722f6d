package value

import (
	"errors"
	"math"
	"strconv"
	"testing"
	"time"
)

func FuzzParseDate(f *testing.F) {
	for _, s := range udfInputs {
		f.Add(s)
	}
	for _, s := range []string{"16th January 2025", "2025-01-16T09:30:00+01:00", "16/01/2025 9:05 PM", "20250116", "73050", "61", "1 Sept 2024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrNotADate) {
				t.Fatalf("ParseDate(%q) error %v does not match ErrNotADate", s, err)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %v, not midnight UTC", s, d)
		}
		if d.Year() < minYear || d.Year() > maxYear {
			t.Fatalf("ParseDate(%q) = %v, outside %d-%d", s, d, minYear, maxYear)
		}
		for _, layout := range []string{"2006-01-02", "02/01/2006", "2-Jan-2006", "2 January 2006"} {
			back, err := ParseDate(d.Format(layout))
			if err != nil || !back.Equal(d) {
				t.Fatalf("ParseDate(%q) = %v, but its %s form %q parses to %v, %v", s, d, layout, d.Format(layout), back, err)
			}
		}
	})
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range udfInputs {
		f.Add(s)
	}
	for _, s := range []string{"( £1,234.56 )", "-1.5e-3", "€ 0.5%", "1,234,567.891", ".5", "1e308", "1e309"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseDecimal(s)
		if err != nil {
			if !errors.Is(err, ErrNotADecimal) {
				t.Fatalf("ParseDecimal(%q) error %v does not match ErrNotADecimal", s, err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseDecimal(%q) = %v", s, v)
		}
		formatted := strconv.FormatFloat(v, 'g', -1, 64)
		if back, err := ParseDecimal(formatted); err != nil || back != v {
			t.Fatalf("ParseDecimal(%q) = %v, but %q parses to %v, %v", s, v, formatted, back, err)
		}
		// The accounting form of the magnitude is its negative.
		abs := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
		if back, err := ParseDecimal("(£" + abs + ")"); err != nil || back != -math.Abs(v) {
			t.Fatalf("ParseDecimal(%q) = %v, but (£%s) parses to %v, %v", s, v, abs, back, err)
		}
	})
}

func FuzzParseBool(f *testing.F) {
	for _, s := range udfInputs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseBool(s)
		if err != nil {
			if !errors.Is(err, ErrNotABool) {
				t.Fatalf("ParseBool(%q) error %v does not match ErrNotABool", s, err)
			}
			return
		}
		for _, form := range []string{strconv.FormatBool(v), map[bool]string{true: "Y", false: "N"}[v]} {
			if back, err := ParseBool(form); err != nil || back != v {
				t.Fatalf("ParseBool(%q) = %v, but %q parses to %v, %v", s, v, form, back, err)
			}
		}
	})
}

func FuzzParseInt(f *testing.F) {
	for _, s := range udfInputs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseInt(s)
		if err != nil {
			if !errors.Is(err, ErrNotAnInt) {
				t.Fatalf("ParseInt(%q) error %v does not match ErrNotAnInt", s, err)
			}
			return
		}
		formatted := strconv.FormatInt(v, 10)
		if back, err := ParseInt(formatted); err != nil || back != v {
			t.Fatalf("ParseInt(%q) = %d, but %q parses to %d, %v", s, v, formatted, back, err)
		}
		if d, err := ParseDecimal(s); err != nil || d != float64(v) {
			t.Fatalf("ParseInt(%q) = %d but ParseDecimal gives %v, %v", s, v, d, err)
		}
	})
}
