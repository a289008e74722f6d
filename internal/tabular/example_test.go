package tabular_test

import (
	"context"
	"fmt"
	"strings"

	"planmetrics/internal/tabular"
)

func ExampleNewCSV() {
	// Saved from Excel on UK Windows: Windows-1252, semicolons, a title row
	// and a note with a line break.
	data := "Budget return 2025-26\r\n\r\nurn;total_income;note\r\n100001;\xa31,234.50;\"carried\r\nforward\"\r\n100002;(1,234);\r\n"
	f, err := tabular.NewCSV(strings.NewReader(data), int64(len(data)), "budgets.csv", tabular.CSVOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	for row, err := range f.Rows(context.Background(), "") {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%d %q\n", row.Line, row.Cells)
	}
	// Output:
	// 1 ["Budget return 2025-26"]
	// 3 ["urn" "total_income" "note"]
	// 4 ["100001" "£1,234.50" "carried\r\nforward"]
	// 6 ["100002" "(1,234)"]
}
