package benchmark

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"planmetrics/seeds"
)

// TestWriteSynthetic: the synthetic files are detected and load as their
// types, agree with each other, and give a comparison for the plan's
// benchmarked metrics; the same seed writes the same files.
func TestWriteSynthetic(t *testing.T) {
	dir := t.TempDir()
	paths, err := WriteSynthetic(dir, 2026)
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := []string{TypeEES, TypeLAIT, TypeStatisticalNeighbours, TypeScorecard}
	if len(paths) != len(wantTypes) {
		t.Fatalf("wrote %v", paths)
	}
	db := newWarehouse(t)
	for i, p := range paths {
		typ, ok, err := Detect(p)
		if err != nil || !ok || typ != wantTypes[i] {
			t.Errorf("Detect(%s) = %q, %v, %v; want %s", filepath.Base(p), typ, ok, err, wantTypes[i])
		}
		res, err := load(t, db, int64(i+1), p, "")
		if err != nil {
			t.Fatalf("load %s: %v", filepath.Base(p), err)
		}
		if res.RowsRejected != 0 || res.RowsAccepted == 0 || len(res.Warnings) != 0 {
			t.Errorf("%s: %+v", filepath.Base(p), res)
		}
	}
	// The LAIT 20-week figures are the EES file's, symbols included.
	differ := queryValue[int64](t, db, `
		select count(*) from benchmark.values l
		join benchmark.values e on e.la_number = l.la_number and e.time_period = l.time_period
		where l.source = 'lait' and l.indicator = 'SEN_EHC_Excpt_20wks'
		  and e.source = 'ees' and e.indicator = 'PC_plans_issued_20_weeks_ex'
		  and (l.value is distinct from e.value)`)
	withheld := queryValue[int64](t, db, `select count(*) from benchmark.values where source = 'ees' and symbol in ('c', 'x')`)
	if differ != 0 || withheld == 0 {
		t.Errorf("%d 20-week figures differ between LAIT and EES; %d EES cells withheld (want some)", differ, withheld)
	}
	res, err := Compare(context.Background(), db, seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, metric := range []string{"p1_ehcp_pct", "p1_ehcp_20wk_pct", "p2_suspension_rate", "p2_perm_exclusion_rate", "p3_surplus_places_pct", "p4_neet_pct"} {
		var rank, rankOf, snWith int64
		var hackney, england, sn float64
		err := db.QueryRow(`select rank, rank_of, sn_with_value, hackney_published, england, sn_average
			from indicators.benchmarks where metric_id = ? and phase in ('all', 'primary') and measure = 'value'
			order by period desc limit 1`, metric).Scan(&rank, &rankOf, &snWith, &hackney, &england, &sn)
		if err != nil {
			t.Errorf("%s: %v", metric, err)
			continue
		}
		if rank < 1 || rank > rankOf || rankOf < 15 || snWith < 8 {
			t.Errorf("%s latest: rank %d of %d, %d neighbours with a value", metric, rank, rankOf, snWith)
		}
	}
	if res.Rows == 0 {
		t.Error("no comparisons")
	}

	again := t.TempDir()
	paths2, err := WriteSynthetic(again, 2026)
	if err != nil {
		t.Fatal(err)
	}
	for i := range paths {
		if filepath.Ext(paths[i]) != ".csv" {
			continue // xlsx carry a timestamp
		}
		a, _ := os.ReadFile(paths[i])
		b, _ := os.ReadFile(paths2[i])
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same seed", filepath.Base(paths[i]))
		}
	}
	other := t.TempDir()
	paths3, _ := WriteSynthetic(other, 7)
	a, _ := os.ReadFile(paths[1])
	b, _ := os.ReadFile(paths3[1])
	if bytes.Equal(a, b) {
		t.Error("another seed wrote the same LAIT file")
	}
}

func TestReadMappings(t *testing.T) {
	maps, err := ReadMappings(seeds.FS)
	if err != nil {
		t.Fatalf("the project's seed: %v", err)
	}
	if len(maps) < 20 {
		t.Errorf("the project's seed has %d mappings", len(maps))
	}
	for _, m := range maps {
		if m.MetricID == "p1_ehcp_pct" && (m.RankOrder != "highest" || m.Better != "none" || m.PeriodType != "academic_year") {
			t.Errorf("p1_ehcp_pct maps as %+v; want no polarity, rank 1 highest, academic year", m)
		}
	}

	tests := []struct {
		name, line, want string
	}{
		{"bad source", "p1_x,value,all,dfe,X,,,,,,", `benchmark_map.csv:2:source: "dfe": use ees, lait or scorecard`},
		{"bad better", "p1_x,value,all,lait,X,,,higher,,,", `benchmark_map.csv:2:better: "higher": use up, down or none`},
		{"bad filters", "p1_x,value,all,ees,X,breakdown,,,,,", `benchmark_map.csv:2:filters: "breakdown": write filters as column=value; column=value (got "breakdown")`},
		{"bad period", "p1_x,value,all,ees,X,,2024,,,,", `benchmark_map.csv:2:period_type: "2024": use academic_year, financial_year or calendar_year (or leave blank)`},
		{"bad scale", "p1_x,value,all,ees,X,,,,,0,", `benchmark_map.csv:2:scale: "0": a non-zero number that turns the published value into the plan's unit`},
		{"no metric", ",value,all,ees,X,,,,,,", `benchmark_map.csv:2:metric_id: "": a metric id from metrics.md is required`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadMappings(seedFS(tt.line))
			var se *SeedError
			if !errors.As(err, &se) || err.Error() != tt.want {
				t.Errorf("ReadMappings = %v\nwant %s", err, tt.want)
			}
		})
	}
	if _, err := ReadMappings(seedFS("p1_x,value,all,ees,X,a=1; b=2,,,,,", "p1_x,value,all,ees,X,b=2;a=1,,,,,")); err == nil {
		t.Error("the same mapping twice (filters in another order) was accepted")
	}
	m, err := ReadMappings(seedFS("p2_x,,,lait,X,,,down,,,"))
	if err != nil || m[0].Measure != "value" || m[0].Phase != "all" || m[0].RankOrder != "lowest" || m[0].Scale != 1 {
		t.Errorf("defaults: %+v, %v", m, err)
	}
}
