package generate

import (
	"fmt"
	"time"
)

// day is a calendar date at midnight UTC.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// nthWeekday returns the n-th weekday wd of month m in year y (n from 1).
func nthWeekday(y int, m time.Month, wd time.Weekday, n int) time.Time {
	t := day(y, m, 1)
	for t.Weekday() != wd {
		t = t.AddDate(0, 0, 1)
	}
	return t.AddDate(0, 0, 7*(n-1))
}

// Census days (DfE): autumn is the first Thursday of October, spring the
// third Thursday of January, summer the third Thursday of May. Year y is the
// academic year starting in September y.
func autumnCensus(y int) time.Time { return nthWeekday(y, time.October, time.Thursday, 1) }
func springCensus(y int) time.Time { return nthWeekday(y+1, time.January, time.Thursday, 3) }
func summerCensus(y int) time.Time { return nthWeekday(y+1, time.May, time.Thursday, 3) }

// academicYear labels the academic year starting in September y: "2024/25".
func academicYear(y int) string { return fmt.Sprintf("%d/%02d", y, (y+1)%100) }

// financialYear labels the financial year starting in April y: "2025-26".
func financialYear(y int) string { return fmt.Sprintf("%d-%02d", y, (y+1)%100) }

// fileYear is the academic year as used in file names: "2024-25".
func fileYear(y int) string { return financialYear(y) }

// term is a span of school days.
type term struct{ from, to time.Time }

// terms approximates the London school terms of the academic year starting
// in September y (half terms and holidays excluded).
func terms(y int) []term {
	return []term{
		{day(y, time.September, 4), day(y, time.October, 23)},
		{day(y, time.November, 3), day(y, time.December, 19)},
		{day(y+1, time.January, 6), day(y+1, time.February, 13)},
		{day(y+1, time.February, 24), day(y+1, time.April, 2)},
		{day(y+1, time.April, 22), day(y+1, time.May, 23)},
		{day(y+1, time.June, 2), day(y+1, time.July, 22)},
	}
}

// schoolDays lists the term-time weekdays of the academic year starting in y.
func schoolDays(y int) []time.Time {
	var out []time.Time
	for _, t := range terms(y) {
		for d := t.from; !d.After(t.to); d = d.AddDate(0, 0, 1) {
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				out = append(out, d)
			}
		}
	}
	return out
}

// weekdays lists the weekdays from from to to inclusive.
func weekdays(from, to time.Time) []time.Time {
	var out []time.Time
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			out = append(out, d)
		}
	}
	return out
}

// excelSerial is the Excel (1900 date system) serial number of t.
func excelSerial(t time.Time) int {
	return int(t.Sub(day(1899, time.December, 30)).Hours() / 24)
}
