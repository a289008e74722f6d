// Package value parses the text cells of returns into typed values: dates,
// whole numbers, decimals, booleans and plan periods, and recognises the
// suppression and missing-value symbols of published statistics.
//
// The rules live here once. Go code calls the Parse functions directly; the
// validator, which types the all-text landing table with set-based SQL, calls
// the same functions inside DuckDB through the scalar functions that
// [Register] adds (pm_date, pm_int, ...).
//
// Parsers trim surrounding white space first. A value that [IsMissing] is
// never a number or a date: each parser rejects it with an [*Error] that
// matches [ErrMissing].
package value

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is the type a parser expected.
type Kind int

// The kinds of value this package parses.
const (
	Date Kind = iota + 1
	Int
	Decimal
	Bool
	AcademicYear
	FinancialYear
)

// String returns a short name for the kind, e.g. "date".
func (k Kind) String() string {
	switch k {
	case Date:
		return "date"
	case Int:
		return "whole number"
	case Decimal:
		return "number"
	case Bool:
		return "yes/no value"
	case AcademicYear:
		return "academic year"
	case FinancialYear:
		return "financial year"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Expected describes what a valid value of the kind looks like.
func (k Kind) Expected() string {
	switch k {
	case Date:
		return "expected a date like 16/01/2025 or 2025-01-16"
	case Int:
		return "expected a whole number like 1234 or 1,234"
	case Decimal:
		return "expected a number like 1234.50, £1,234.50 or (1,234)"
	case Bool:
		return "expected Y/N, Yes/No, True/False, T/F or 1/0"
	case AcademicYear:
		return "expected an academic year like 2024/25"
	case FinancialYear:
		return "expected a financial year like 2025-26"
	}
	return "expected a valid value"
}

// Sentinel errors, one per kind. Every error returned by the Parse functions
// is an [*Error] that matches (errors.Is) the sentinel of its kind.
var (
	ErrNotADate          = errors.New("not a date")
	ErrNotAnInt          = errors.New("not a whole number")
	ErrNotADecimal       = errors.New("not a number")
	ErrNotABool          = errors.New("not a yes/no value")
	ErrNotAnAcademicYear = errors.New("not an academic year")
	ErrNotAFinancialYear = errors.New("not a financial year")
)

// ErrMissing is matched (errors.Is) by a parse error whose input was blank
// or a missing-value symbol (see [IsMissing]). Such a value means "no value":
// callers usually store NULL rather than report it.
var ErrMissing = errors.New("missing value")

// Error is a value that could not be parsed.
type Error struct {
	Kind    Kind   // what was expected
	Value   string // the input, as given
	Reason  string // what is wrong with it, when more can be said; may be empty
	Missing bool   // the input was blank or a missing-value symbol
}

// Error reports the value, why it was rejected and what was expected.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.sentinel().Error())
	b.WriteString(": ")
	fmt.Fprintf(&b, "%q", e.Value)
	switch {
	case e.Missing:
		b.WriteString(" (blank or a missing-value symbol)")
	case e.Reason != "":
		b.WriteString(" (")
		b.WriteString(e.Reason)
		b.WriteString(")")
	}
	b.WriteString("; ")
	b.WriteString(e.Kind.Expected())
	return b.String()
}

// Is reports whether target is the sentinel of e's kind, or [ErrMissing]
// when the input was missing.
func (e *Error) Is(target error) bool {
	if e.Missing && target == ErrMissing {
		return true
	}
	return target == e.sentinel()
}

func (e *Error) sentinel() error {
	switch e.Kind {
	case Date:
		return ErrNotADate
	case Int:
		return ErrNotAnInt
	case Decimal:
		return ErrNotADecimal
	case Bool:
		return ErrNotABool
	case AcademicYear:
		return ErrNotAnAcademicYear
	case FinancialYear:
		return ErrNotAFinancialYear
	}
	return errors.New("invalid value")
}

func newError(k Kind, value, reason string) *Error {
	return &Error{Kind: k, Value: value, Reason: reason}
}

func missingError(k Kind, value string) *Error {
	return &Error{Kind: k, Value: value, Missing: true}
}

// IsMissing reports whether s means "no value": blank (empty or only white
// space) or one of the suppression and missing-value symbols used in
// published statistics, compared case-insensitively after trimming:
//
//	c  x  z  :  low  u  ..  -
//
// These are never zero.
func IsMissing(s string) bool {
	t := strings.TrimSpace(s)
	switch len(t) {
	case 0:
		return true
	case 1:
		switch t[0] {
		case 'c', 'C', 'x', 'X', 'z', 'Z', ':', 'u', 'U', '-':
			return true
		}
	case 2:
		return t == ".."
	case 3:
		return strings.EqualFold(t, "low")
	}
	return false
}
