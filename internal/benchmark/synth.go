package benchmark

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/xuri/excelize/v2"

	"planmetrics/seeds"
)

// Synthetic benchmark files, so that a machine without DfE's files still
// shows comparisons. The areas are real (names and codes from seeds/la_codes.csv);
// every figure is made up, plausible in size and trend, and the files agree
// with each other where they overlap: the LAIT 20-week percentages are the
// EES timeliness file's, the statistical neighbours are among the LAs in the
// data.

// synthLA is an LA of the synthetic files.
type synthLA struct {
	number     int
	region     string // LAIT's Region column
	regionCode string // EES region_code
}

// synthLAs: Hackney, its ten DfE statistical neighbours (May 2025), and nine
// more for a spread of values.
var synthLAs = []synthLA{
	{204, "Inner London", "E12000007"},
	{210, "Inner London", "E12000007"}, {206, "Inner London", "E12000007"}, {309, "Outer London", "E12000007"},
	{208, "Inner London", "E12000007"}, {211, "Inner London", "E12000007"}, {209, "Inner London", "E12000007"},
	{202, "Inner London", "E12000007"}, {352, "North West", "E12000002"}, {320, "Outer London", "E12000007"},
	{213, "Inner London", "E12000007"},
	{203, "Inner London", "E12000007"}, {205, "Inner London", "E12000007"}, {207, "Inner London", "E12000007"},
	{212, "Inner London", "E12000007"}, {316, "Outer London", "E12000007"}, {304, "Outer London", "E12000007"},
	{330, "West Midlands", "E12000005"}, {341, "North West", "E12000002"}, {926, "East of England", "E12000006"},
}

// hackneyNeighbours are Hackney's SN1..SN10 in DfE's May 2025 workbook.
var hackneyNeighbours = []int{210, 206, 309, 208, 211, 209, 202, 352, 320, 213}

// WriteSynthetic writes synthetic benchmark files into dir and returns
// their paths: an EES tidy CSV (EHC plans issued within 20 weeks), a LAIT
// long CSV (EHCP and SEN support rates, exclusions, 20 weeks, NEET), the
// statistical neighbours workbook in DfE's layout and a school places
// scorecard. The same seed gives the same files.
func WriteSynthetic(dir string, seed int64) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("synthetic benchmarks: %w", err)
	}
	list, err := readAreas()
	if err != nil {
		return nil, err
	}
	areas := make(map[int]area, len(list))
	for _, a := range list {
		areas[a.number] = a
	}
	g := &synth{rng: rand.New(rand.NewPCG(uint64(seed), 0x6265_6e63_686d)), areas: areas}
	g.offsets()
	var paths []string
	// The EES file first: the LAIT file repeats its 20-week figures.
	for _, w := range []struct {
		name  string
		write func(string) error
	}{
		{"ees_ehcp_timeliness.csv", g.writeEES},
		{"lait_bds_long.csv", g.writeLAIT},
		{"sn_statistical_neighbours.xlsx", g.writeNeighbours},
		{"scorecard_school_places.csv", g.writeScorecard},
	} {
		p := filepath.Join(dir, w.name)
		if err := w.write(p); err != nil {
			return paths, fmt.Errorf("synthetic benchmarks: %s: %w", w.name, err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

type area struct {
	level, code, name string
	number            int
}

// readAreas reads the LA and area code list, seeds/la_codes.csv.
func readAreas() ([]area, error) {
	f, err := seeds.FS.Open("la_codes.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil || len(recs) < 2 {
		return nil, fmt.Errorf("seeds/la_codes.csv: %v", err)
	}
	out := make([]area, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		n, err := strconv.Atoi(rec[1])
		if err != nil {
			return nil, fmt.Errorf("seeds/la_codes.csv: la_number %q: %w", rec[1], err)
		}
		out = append(out, area{level: rec[0], number: n, code: rec[2], name: rec[3]})
	}
	return out, nil
}

type synth struct {
	rng   *rand.Rand
	areas map[int]area
	// per LA, a standing offset for each measure, so an LA is consistently
	// high or low across years
	off map[int]map[string]float64
	// 20-week percentages by LA number (970 England, 986 London) and year,
	// shared by the EES and LAIT files; missing = suppressed
	pctEx, pctAll map[int]map[int]string
}

func (g *synth) norm(mean, sd float64) float64 { return mean + sd*g.rng.NormFloat64() }

func (g *synth) offsets() {
	g.off = map[int]map[string]float64{}
	for _, la := range synthLAs {
		o := map[string]float64{
			"ehcp":      g.norm(0.4, 0.7),
			"support":   g.norm(0, 1.3),
			"susp":      math.Exp(g.norm(-0.1, 0.35)),
			"perm":      math.Exp(g.norm(-0.1, 0.45)),
			"neet":      g.norm(-0.3, 0.7),
			"wk20":      g.norm(5, 20),
			"surplus_p": g.norm(3, 5),
			"surplus_s": g.norm(0, 4),
			"size":      math.Exp(g.norm(0, 0.35)),
		}
		if la.number == HackneyLANumber {
			// Hackney as the plan describes it: high EHCP rate, many empty
			// primary places.
			o["ehcp"], o["surplus_p"] = 1.0, 11
		}
		g.off[la.number] = o
	}
}

func round(v float64, dp int) float64 {
	p := math.Pow(10, float64(dp))
	return math.Round(v*p) / p
}

func num(v float64, dp int) string { return strconv.FormatFloat(round(v, dp), 'f', -1, 64) }

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// 20-week timeliness, England, excluding exceptions, by calendar year.
var england20wk = map[int]float64{2019: 60.4, 2020: 58.0, 2021: 59.9, 2022: 49.2, 2023: 50.3, 2024: 46.4}

const (
	synthFirstYear = 2019
	synthLastYear  = 2024
)

func (g *synth) writeEES(p string) error {
	g.pctEx, g.pctAll = map[int]map[int]string{}, map[int]map[int]string{}
	header := []string{"time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
		"region_name", "new_la_code", "old_la_code", "la_name", "breakdown_topic", "breakdown",
		"plans_issued_den", "plans_issued_den_ex", "plans_issued_within_20_weeks", "plans_issued_20_weeks_ex",
		"pc_plans_issued_within_20_weeks", "PC_plans_issued_20_weeks_ex"}
	var rows [][]string
	// One LA-year withheld ("x") and one small count suppressed ("c"), as
	// real releases have; never Hackney's latest year.
	xLA, xYear := synthLAs[1+g.rng.IntN(len(synthLAs)-1)].number, synthFirstYear+g.rng.IntN(synthLastYear-synthFirstYear)
	cLA, cYear := synthLAs[1+g.rng.IntN(len(synthLAs)-1)].number, synthLastYear
	for year := synthFirstYear; year <= synthLastYear; year++ {
		base := england20wk[year]
		type geo struct {
			level, region, regionName, code, number, name string
			n                                             int
			pct, size                                     float64
		}
		geos := []geo{
			{level: "National", n: englandLANumber, pct: base, size: 180},
			{level: "Regional", region: "E12000007", regionName: "London", n: londonLANumber, pct: base + 17, size: 27},
		}
		for _, la := range synthLAs {
			a := g.areas[la.number]
			geos = append(geos, geo{level: "Local authority", region: la.regionCode, regionName: regionName(la.regionCode),
				code: a.code, number: strconv.Itoa(la.number), name: a.name, n: la.number,
				pct: base + g.off[la.number]["wk20"] + g.norm(0, 6), size: g.off[la.number]["size"]})
		}
		for _, x := range geos {
			denEx := math.Round(x.size * g.norm(420, 60))
			exc := math.Round(denEx * (0.02 + 0.12*g.rng.Float64()))
			pct := clamp(x.pct, 2, 100)
			withinEx := math.Round(denEx * pct / 100)
			withinAll := withinEx + math.Round(exc*(0.3+0.5*g.rng.Float64()))
			den := denEx + exc
			cells := []string{num(den, 0), num(denEx, 0), num(withinAll, 0), num(withinEx, 0),
				num(100*withinAll/den, 1), num(100*withinEx/denEx, 1)}
			switch {
			case x.n == xLA && year == xYear:
				cells = []string{"x", "x", "x", "x", "x", "x"}
			case x.n == cLA && year == cYear:
				cells = []string{"c", "c", "c", "c", "c", "c"}
			default:
				setYear(g.pctAll, x.n, year, cells[4])
				setYear(g.pctEx, x.n, year, cells[5])
			}
			row := []string{strconv.Itoa(year), "Calendar year", x.level, "E92000001", "England", x.region, x.regionName,
				x.code, x.number, x.name, "All EHC plans issued", "All EHC plans issued"}
			rows = append(rows, append(row, cells...))
		}
	}
	return writeCSV(p, header, rows)
}

func setYear(m map[int]map[int]string, n, year int, v string) {
	if m[n] == nil {
		m[n] = map[int]string{}
	}
	m[n][year] = v
}

func regionName(code string) string {
	switch code {
	case "E12000002":
		return "North West"
	case "E12000005":
		return "West Midlands"
	case "E12000006":
		return "East of England"
	case "E13000001":
		return "Inner London"
	}
	return "London"
}

// laitSeries is one LAIT indicator: its England value by year label and how
// an LA's value is made from it.
type laitSeries struct {
	id    string
	years []string
	dp    int
	value func(g *synth, la int, i int) float64
}

func (g *synth) writeLAIT(p string) error {
	academic := []string{"2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24"}
	january := []string{"2019", "2020", "2021", "2022", "2023", "2024", "2025"}
	susp := []float64{5.36, 3.76, 4.25, 6.91, 9.33, 11.31}
	perm := []float64{0.10, 0.06, 0.05, 0.08, 0.11, 0.13}
	scaled := func(eng []float64, k float64, key string) func(*synth, int, int) float64 {
		return func(g *synth, la, i int) float64 {
			e := eng[i] * k
			if la >= englandLANumber {
				return e * londonFactor(la)
			}
			return e * g.off[la][key] * math.Exp(g.norm(0, 0.08))
		}
	}
	series := []laitSeries{
		{"SEN_TotStat", january, 1, func(g *synth, la, i int) float64 {
			e := 3.1 + 0.36*float64(i)
			if la >= englandLANumber {
				return e + 0.1*float64(la-englandLANumber)/16
			}
			return clamp(e+g.off[la]["ehcp"]+g.norm(0, 0.1), 1.5, 9)
		}},
		{"SEN_TotSENSuP", january, 1, func(g *synth, la, i int) float64 {
			e := 11.9 + 0.38*float64(i)
			if la >= englandLANumber {
				return e - 0.9*float64(la-englandLANumber)/16
			}
			return clamp(e+g.off[la]["support"]+g.norm(0, 0.2), 7, 20)
		}},
		{"TotFixedEx", academic, 5, scaled(susp, 1, "susp")},
		{"PriFixedEx", academic, 5, scaled(susp, 0.2, "susp")},
		{"SecFixedEx", academic, 5, scaled(susp, 2, "susp")},
		{"Total_ Pup_FixedEx", academic, 5, scaled(susp, 0.45, "susp")},
		{"TotPermEx", academic, 5, scaled(perm, 1, "perm")},
		{"PriPermEx", academic, 5, scaled(perm, 0.2, "perm")},
		{"SecPermEx", academic, 5, scaled(perm, 2, "perm")},
		{"16-17 NEET", january, 1, func(g *synth, la, i int) float64 {
			e := 2.6 + 0.12*float64(i)
			if la >= englandLANumber {
				return e * londonFactor(la)
			}
			return clamp(e+g.off[la]["neet"]+g.norm(0, 0.2), 0.4, 8)
		}},
	}
	header := []string{"Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region"}
	type place struct {
		n            int
		name, region string
	}
	places := []place{{englandLANumber, "England", "NA"}, {londonLANumber, "London", "NA"}, {innerLondonLANumber, "London (Inner)", "NA"}}
	for _, la := range synthLAs {
		places = append(places, place{la.number, g.areas[la.number].name, la.region})
	}
	var rows [][]string
	for _, s := range series {
		for i, y := range s.years {
			for _, pl := range places {
				v := num(s.value(g, pl.n, i), s.dp)
				rows = append(rows, []string{s.id, "", y, pl.name, v, strconv.Itoa(pl.n), pl.region})
			}
		}
	}
	// The 20-week figures are the EES file's, as in DfE's own data.
	for _, s := range []struct {
		id  string
		pct map[int]map[int]string
	}{{"SEN_EHC_Excpt_20wks", g.pctEx}, {"SEN_EHC_All_20wks", g.pctAll}} {
		for year := synthFirstYear; year <= synthLastYear; year++ {
			for _, pl := range places {
				v, ok := s.pct[pl.n][year]
				if !ok {
					v = "-"
				}
				rows = append(rows, []string{s.id, "", strconv.Itoa(year), pl.name, v, strconv.Itoa(pl.n), pl.region})
			}
		}
	}
	return writeCSV(p, header, rows)
}

// londonFactor scales England's figure for the regional rows.
func londonFactor(n int) float64 {
	switch n {
	case londonLANumber:
		return 0.6
	case innerLondonLANumber:
		return 0.7
	}
	return 1
}

func (g *synth) writeNeighbours(p string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "LA SN Groups"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	// DfE's layout: two junk rows above the header, every closeness column
	// called SNP.
	junk1 := []any{"A", "B", "C", "D", "E"}
	junk2 := []any{}
	header := []any{"LA num", "LA Name", "LA number", "GOInd", "GOReg"}
	for k := 1; k <= 10; k++ {
		header = append(header, "SN"+strconv.Itoa(k), "SNP")
	}
	for i := range header {
		junk2 = append(junk2, i+1)
		if i >= len(junk1) {
			junk1 = append(junk1, i-2)
		}
	}
	rows := [][]any{junk1, junk2, header}
	closeness := []string{"Very close", "Very close", "Very close", "Close", "Close", "Close", "Close", "Somewhat close", "Somewhat close", "Not close"}
	for _, la := range synthLAs {
		row := []any{la.number, g.areas[la.number].name, la.number, 3, la.region}
		for k, sn := range g.neighbours(la.number) {
			row = append(row, sn, closeness[k])
		}
		rows = append(rows, row)
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	return f.SaveAs(p)
}

// neighbours are an LA's ten nearest among the synthetic LAs: Hackney's are
// DfE's; the others' are the closest by their standing offsets.
func (g *synth) neighbours(n int) []int {
	if n == HackneyLANumber {
		return hackneyNeighbours
	}
	type d struct {
		n    int
		dist float64
	}
	var ds []d
	for _, la := range synthLAs {
		if la.number == n {
			continue
		}
		var dist float64
		for _, k := range []string{"ehcp", "support", "neet"} {
			dist += math.Abs(g.off[la.number][k] - g.off[n][k])
		}
		ds = append(ds, d{la.number, dist})
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].dist < ds[j].dist || ds[i].dist == ds[j].dist && ds[i].n < ds[j].n })
	out := make([]int, 10)
	for i := range out {
		out[i] = ds[i].n
	}
	return out
}

func (g *synth) writeScorecard(p string) error {
	header := []string{"Year", "geographic_level", "country_code", "country_name", "region_code", "Region", "LANumber",
		"new_la_code", "LA_name", "PriNOR", "SecNOR", "PriCap", "SecCap", "Quan_P_UP", "Quan_S_UP"}
	years := []string{"2022/23", "2023/24", "2024/25"}
	englandP, englandS := []float64{11.7, 12.4, 13.8}, []float64{11.5, 11.2, 12.5}
	var rows [][]string
	for i, y := range years {
		for _, la := range synthLAs {
			a := g.areas[la.number]
			size := g.off[la.number]["size"]
			priNOR, secNOR := math.Round(size*g.norm(21000, 1500)), math.Round(size*g.norm(15000, 1200))
			up := clamp(englandP[i]+g.off[la.number]["surplus_p"]+g.norm(0, 1), 0.5, 40)
			us := clamp(englandS[i]+g.off[la.number]["surplus_s"]+g.norm(0, 1), 0.5, 40)
			priCap, secCap := math.Round(priNOR/(1-up/100)), math.Round(secNOR/(1-us/100))
			rows = append(rows, []string{y, "Local authority", "E92000001", "England", la.regionCode, la.region,
				strconv.Itoa(la.number), a.code, a.name, num(priNOR, 0), num(secNOR, 0), num(priCap, 0), num(secCap, 0),
				num(100*(priCap-priNOR)/priCap, 9), num(100*(secCap-secNOR)/secCap, 9)})
		}
		priNOR, secNOR := 4.4e6-6e4*float64(i), 3.2e6+3e4*float64(i)
		priCap, secCap := math.Round(priNOR/(1-englandP[i]/100)), math.Round(secNOR/(1-englandS[i]/100))
		rows = append(rows, []string{y, "National", "E92000001", "England", "", "England", "0", "", "England",
			num(priNOR, 0), num(secNOR, 0), num(priCap, 0), num(secCap, 0),
			num(100*(priCap-priNOR)/priCap, 9), num(100*(secCap-secNOR)/secCap, 9)})
	}
	return writeCSV(p, header, rows)
}

func writeCSV(p string, header []string, rows [][]string) error {
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		f.Close()
		return err
	}
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
