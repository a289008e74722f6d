package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"planmetrics/internal/generate"
	"planmetrics/internal/ingest"
	"planmetrics/internal/spec"
	"planmetrics/internal/warehouse"
	"planmetrics/pipelines"
)

// hackneyCensus returns the largest census file of a hackney-scale sample in
// the given format: the shipped sample in data/inbox for CSV, a freshly
// generated one otherwise (the shipped sample has no census workbook).
func hackneyCensus(b *testing.B, format generate.Format, ext string) string {
	b.Helper()
	dir := filepath.Join("..", "..", "data", "inbox")
	if format != generate.FormatCSV {
		dir = b.TempDir()
		if _, err := generate.Generate(context.Background(), generate.Options{Scale: generate.ScaleHackney, Seed: 2026,
			OutDir: dir, Format: format, Years: 1}); err != nil {
			b.Fatal(err)
		}
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "census_*"+ext))
	if len(matches) == 0 {
		b.Skipf("no census%s in %s: run make sample", ext, dir)
	}
	sort.Slice(matches, func(i, j int) bool { return size(matches[i]) > size(matches[j]) })
	return matches[0]
}

func size(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

// loadRate loads path into a fresh scratch warehouse b.N times and returns
// rows per second of the whole ingest: read, pseudonymise, land, type,
// validate, insert.
func loadRate(b *testing.B, path string) float64 {
	ctx := context.Background()
	specs, err := spec.Load(pipelines.FS)
	if err != nil {
		b.Fatal(err)
	}
	var rows int64
	var elapsed time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := warehouse.OpenScratch(ctx)
		if err != nil {
			b.Fatal(err)
		}
		l := ingest.New(db, 1, ingest.Options{Specs: specs, Key: []byte("bench")})
		b.StartTimer()
		start := time.Now()
		res, err := l.Load(ctx, path, "")
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil || res.Status != ingest.StatusLoaded {
			b.Fatalf("load: %v %s %v", err, res.Status, res.Err)
		}
		rows += res.Read
		db.Close()
		b.StartTimer()
	}
	rate := float64(rows) / elapsed.Seconds()
	b.ReportMetric(rate, "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
	return rate
}

// BenchmarkIngestCSV measures the ingest of the sample's largest census CSV
// and, for comparison, DuckDB's own read_csv of the same file into a table
// with no checks at all; the ratio is the price of validation and lineage.
func BenchmarkIngestCSV(b *testing.B) {
	path := hackneyCensus(b, generate.FormatCSV, ".csv")
	rate := loadRate(b, path)

	b.StopTimer()
	ctx := context.Background()
	db, err := warehouse.OpenScratch(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const runs = 3
	var n int64
	start := time.Now()
	for i := 0; i < runs; i++ {
		if _, err := db.ExecContext(ctx, "CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv("+warehouse.QuoteLiteral(path)+", all_varchar = true)"); err != nil {
			b.Fatal(err)
		}
	}
	readCSV := time.Since(start)
	db.QueryRow("SELECT count(*) FROM t").Scan(&n)
	duck := float64(n*runs) / readCSV.Seconds()
	b.ReportMetric(duck, "read_csv_rows/s")
	b.ReportMetric(duck/rate, "x_slower_than_read_csv")
}

// BenchmarkIngestXLSX measures the ingest of a hackney-scale census
// workbook (one January census, about 30,000 rows).
func BenchmarkIngestXLSX(b *testing.B) {
	loadRate(b, hackneyCensus(b, generate.FormatXLSX, ".xlsx"))
}
