package value_test

import (
	"errors"
	"fmt"

	"planmetrics/internal/value"
)

func Example_parseDate() {
	for _, s := range []string{"16/01/2025", "16-Jan-2025", "2025-01-16T00:00:00", "45673", "31/02/2025", "c"} {
		d, err := value.ParseDate(s)
		switch {
		case errors.Is(err, value.ErrMissing):
			fmt.Printf("%-20s no value\n", s)
		case err != nil:
			fmt.Printf("%-20s %v\n", s, err)
		default:
			fmt.Printf("%-20s %s\n", s, d.Format("2006-01-02"))
		}
	}
	// Output:
	// 16/01/2025           2025-01-16
	// 16-Jan-2025          2025-01-16
	// 2025-01-16T00:00:00  2025-01-16
	// 45673                2025-01-16
	// 31/02/2025           not a date: "31/02/2025" (February 2025 has no day 31); expected a date like 16/01/2025 or 2025-01-16
	// c                    no value
}

func Example_parseDecimal() {
	for _, s := range []string{"£1,234.50", "(1,234)", "-£1,234", "12%", "1.5E3", "1,23"} {
		v, err := value.ParseDecimal(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-10s %g\n", s, v)
	}
	// Output:
	// £1,234.50  1234.5
	// (1,234)    -1234
	// -£1,234    -1234
	// 12%        12
	// 1.5E3      1500
	// not a number: "1,23" (misplaced thousands separator); expected a number like 1234.50, £1,234.50 or (1,234)
}

func Example_periods() {
	ay, _ := value.ParseAcademicYear("2024 to 2025")
	fy, _ := value.ParseFinancialYear("FY2025/2026")
	_, err := value.ParseAcademicYear("2024/26")
	fmt.Println(ay, fy)
	fmt.Println(err)
	// Output:
	// 2024/25 2025-26
	// not an academic year: "2024/26" (the second year must be the year after the first); expected an academic year like 2024/25
}
