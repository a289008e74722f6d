package ingest_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"planmetrics/internal/generate"
	"planmetrics/internal/ingest"
	"planmetrics/internal/spec"
	"planmetrics/internal/warehouse"
	"planmetrics/pipelines"
)

// TestMessyGeneratedReturnsReconcile is the property test of "nothing lost":
// for several seeds and formats, every file of a messy generated set loads
// with rows read = accepted + rejected, and the rejected rows are exactly
// the faults the generator injected (same row, column and rule).
func TestMessyGeneratedReturnsReconcile(t *testing.T) {
	cases := []struct {
		seed   int64
		format generate.Format
	}{
		{1, generate.FormatMixed},
		{2, generate.FormatCSV},
		{3, generate.FormatXLSX},
	}
	if testing.Short() {
		cases = cases[:1]
	}
	specs, err := spec.Load(pipelines.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("seed%d-%s", tc.seed, tc.format), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			m, err := generate.Generate(ctx, generate.Options{Scale: generate.ScaleTiny, Seed: tc.seed, OutDir: dir,
				Format: tc.format, Messy: true, Years: 2})
			if err != nil {
				t.Fatal(err)
			}
			db, err := warehouse.OpenScratch(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			l := ingest.New(db, 1, ingest.Options{Specs: specs, Key: []byte("k")})
			// The school register first, as the nightly run orders them.
			files := append([]generate.FileInfo(nil), m.Files...)
			sort.SliceStable(files, func(i, j int) bool { return files[i].Return == "schools" && files[j].Return != "schools" })
			faults := 0
			for _, f := range files {
				res, err := l.Load(ctx, filepath.Join(dir, f.Name), "")
				if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				if res.Status != ingest.StatusLoaded {
					t.Errorf("%s: status %s (%v)", f.Name, res.Status, res.Err)
					continue
				}
				if res.Return != f.Return {
					t.Errorf("%s: detected as %s, want %s", f.Name, res.Return, f.Return)
				}
				if res.Read != res.Accepted+res.Rejected {
					t.Errorf("%s: read %d != accepted %d + rejected %d", f.Name, res.Read, res.Accepted, res.Rejected)
				}
				if res.Read != int64(f.Rows) || res.Rejected != int64(f.Rejected) {
					t.Errorf("%s: read %d rejected %d, manifest says %d and %d", f.Name, res.Read, res.Rejected, f.Rows, f.Rejected)
				}
				want := make([]string, 0, len(f.Faults))
				for _, ft := range f.Faults {
					want = append(want, fmt.Sprintf("%d %s %s", ft.Row, ft.Column, ft.Rule))
				}
				sort.Strings(want)
				got := rejects(t, db, res.LoadID)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s rejects:\n%s\nwant (injected faults):\n%s", f.Name, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				faults += len(f.Faults)
			}
			if faults == 0 {
				t.Fatal("the messy set injected no faults: the property is not being tested")
			}
		})
	}
}

func rejects(t *testing.T, db *sql.DB, loadID int64) []string {
	t.Helper()
	rows, err := db.Query(`SELECT row_number, column_name, rule FROM meta.rejects WHERE load_id = ?`, loadID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var row int64
		var col, rule string
		if err := rows.Scan(&row, &col, &rule); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d %s %s", row, col, rule))
	}
	sort.Strings(out)
	return out
}
