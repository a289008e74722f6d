package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planmetrics/internal/spec"
	"planmetrics/internal/warehouse"
	"planmetrics/pipelines"
)

// sampleOrSynthetic returns the largest sample file of the shipped inbox
// matching glob (the hackney sample), or writes a synthetic census of n rows
// with write when the sample is absent.
func sampleOrSynthetic(b *testing.B, glob string, write func(path string, n int)) string {
	b.Helper()
	matches, _ := filepath.Glob(filepath.Join("..", "..", "data", "inbox", glob))
	sort.Slice(matches, func(i, j int) bool { return size(matches[i]) > size(matches[j]) })
	if len(matches) > 0 {
		return matches[0]
	}
	p := filepath.Join(b.TempDir(), "census_synthetic"+filepath.Ext(glob))
	write(p, 100000)
	return p
}

func size(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

func censusRow(i int) []string {
	return []string{"2025-01-16", fmt.Sprint(100001 + i%70), fmt.Sprintf("A%012d", i), fmt.Sprint(1 + i%11),
		[]string{"M", "F"}[i%2], []string{"WBRI", "BCRB", "WTUR", "BAFR"}[i%4], []string{"Y", "N"}[i%3%2], []string{"N", "K", "E"}[i%3]}
}

var censusHeader = []string{"census_date", "urn", "upn", "ncy", "gender", "ethnicity", "fsm", "sen_provision"}

func writeCensusCSV(path string, n int) {
	f, _ := os.Create(path)
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "census_date,urn,upn,ncy,gender,ethnicity,fsm,sen_provision")
	for i := 0; i < n; i++ {
		r := censusRow(i)
		fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s,%s,%s\n", r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7])
	}
	w.Flush()
	f.Close()
}

func writeCensusXLSX(path string, n int) {
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	row := make([]any, len(censusHeader))
	for i, h := range censusHeader {
		row[i] = h
	}
	sw.SetRow("A1", row)
	for i := 0; i < n; i++ {
		for j, v := range censusRow(i) {
			row[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, row)
	}
	sw.Flush()
	f.SaveAs(path)
	f.Close()
}

// benchLoad loads path into a fresh scratch warehouse b.N times and reports
// rows per second.
func benchLoad(b *testing.B, path string) {
	ctx := context.Background()
	specs, err := spec.Load(pipelines.FS)
	if err != nil {
		b.Fatal(err)
	}
	var rows int64
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := warehouse.OpenScratch(ctx)
		if err != nil {
			b.Fatal(err)
		}
		l := New(db, 1, Options{Specs: specs, Key: []byte("bench")})
		b.StartTimer()
		start := time.Now()
		res, err := l.Load(ctx, path, "census")
		elapsed += time.Since(start)
		if err != nil || res.Status != StatusLoaded {
			b.Fatalf("load: %v %s %v", err, res.Status, res.Err)
		}
		rows += res.Read
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}

// BenchmarkIngestCSV measures the whole ingest of the largest census CSV of
// the sample (read, pseudonymise, land, validate, type, insert), and
// BenchmarkDuckDBReadCSV the same file through DuckDB's own read_csv into a
// table with no checks: the ratio of the two is the price of validation.
func BenchmarkIngestCSV(b *testing.B) {
	benchLoad(b, sampleOrSynthetic(b, "census_*.csv", writeCensusCSV))
}

func BenchmarkDuckDBReadCSV(b *testing.B) {
	path := sampleOrSynthetic(b, "census_*.csv", writeCensusCSV)
	ctx := context.Background()
	db, err := warehouse.OpenScratch(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var rows int64
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := db.ExecContext(ctx, "CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv("+warehouse.QuoteLiteral(path)+", all_varchar = true)"); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		var n int64
		db.QueryRow("SELECT count(*) FROM t").Scan(&n)
		rows += n
	}
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
}

func BenchmarkIngestXLSX(b *testing.B) {
	benchLoad(b, sampleOrSynthetic(b, "census_*.xlsx", writeCensusXLSX))
}
