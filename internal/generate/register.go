package generate

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// writeSchools writes the district's schools to each year's register.
func (d *district) writeSchools() error {
	row := make([]value, len(schoolCols))
	for yi, y := range d.years {
		w := d.out.get(schoolsKey(y))
		newline := slices.Contains(w.spec.st.quirks, "embedded-newline")
		for _, s := range d.schools {
			name := s.name
			if newline && s.idx == 2 {
				// Typed with Alt+Enter in a cell.
				name = strings.Replace(name, " Primary", "\nPrimary", 1)
			}
			row[0] = txt(academicYear(y))
			row[1] = num(s.urn)
			row[2] = txt(name)
			row[3] = txt(s.phase)
			row[4] = txt(s.typ)
			row[5] = flag(s.maintained)
			row[6] = txt(neighbourhoodName(d.id, s.hood))
			row[7] = num(s.capacity[yi])
			row[8] = num(s.arp)
			row[9] = value{}
			if g := s.ofsted[yi]; g > 0 {
				row[9] = num(g)
			}
			row[10] = optDate(s.ofstedDate[yi])
			row[11] = txt(s.community)
			row[12] = txt(s.status[yi])
			if err := w.write(row); err != nil {
				return err
			}
		}
	}
	return nil
}

func neighbourhoodName(district, hood int) string {
	if district == 0 {
		return neighbourhoods[hood]
	}
	return neighbourhoods[hood] + " (area " + strconv.Itoa(district) + ")"
}

// finance is one maintained school's actual position in a financial year.
type finance struct {
	income, inYear, opening float64
	staffShare, agency      float64
	sfvs                    bool
}

// writeBudgets writes every maintained school's returns: a start-of-year
// budget, three quarterly forecasts and the outturn, each forecasting the
// year end. Income follows the roll; schools prone to deficit sink further.
func (d *district) writeBudgets(r rng) error {
	first := d.years[0]
	last := asAt.Year()
	row := make([]value, len(budgetCols))
	resubSchool := -1
	for _, s := range d.schools {
		if s.maintained && s.deficitProne && s.phase == phPrimary && d.id == 0 {
			resubSchool = s.idx
			break
		}
	}
	fin := make([][]finance, len(d.schools))
	for _, s := range d.schools {
		if !s.maintained {
			continue
		}
		rs := r.sub(uint64(s.idx))
		staff := rs.uniform(0.72, 0.8)
		balance := math.NaN()
		for fy := first; fy <= last; fy++ {
			// Funded on the previous autumn's numbers: use the roll of the
			// academic year that started the September before.
			yi := min(max(fy-1-first, 0), len(d.rolls)-1)
			roll := float64(d.rolls[yi][s.idx])
			inflation := math.Pow(1.035, float64(fy-2020))
			perPupil := map[string]float64{phPrimary: 5600, phSecondary: 5900, phSpecial: 22000, phAP: 28000}[s.phase]
			income := (120000 + perPupil*roll + 18000*float64(s.arp)) * inflation * rs.uniform(0.99, 1.03)
			income = math.Min(math.Max(income, 1.02e6), 7.9e6)
			margin := s.margin + rs.NormFloat64()*0.006
			if s.deficitProne {
				margin -= 0.004 * float64(fy-first)
			}
			if math.IsNaN(balance) {
				balance = s.opening * income
			}
			f := finance{income: income, inYear: income * margin, opening: balance,
				staffShare: staff + rs.uniform(-0.01, 0.01), agency: rs.uniform(0.005, 0.05), sfvs: rs.chance(0.9)}
			fin[s.idx] = append(fin[s.idx], f)
			balance += f.inYear
		}
	}
	for fi, fy := 0, first; fy <= last; fi, fy = fi+1, fy+1 {
		for pi, per := range budgetPeriods(fy) {
			w := d.out.get(budgetKey(fy, per))
			for _, s := range d.schools {
				if !s.maintained {
					continue
				}
				f := fin[s.idx][fi]
				rp := r.sub(uint64(s.idx), uint64(fy), uint64(pi))
				// Forecasts start cautious and converge on the outturn.
				caution := []float64{0.012, 0.008, 0.005, 0.002, 0}[pi]
				income := f.income * (1 + rp.NormFloat64()*0.004*caution/0.012)
				inYear := f.inYear - caution*f.income + rp.NormFloat64()*0.003*f.income*caution/0.012
				if per == "outturn" {
					income, inYear = f.income, f.inYear
				}
				income = math.Round(income)
				inYear = math.Round(inYear)
				exp := income - inYear
				cum := math.Round(f.opening + inYear)
				staff := math.Round(exp * f.staffShare)
				fill := func(cum float64) {
					row[0] = num(s.urn)
					row[1] = txt(financialYear(fy))
					row[2] = txt(per)
					row[3] = money(income)
					row[4] = money(exp)
					row[5] = money(inYear)
					row[6] = money(cum)
					row[7] = money(staff)
					row[8] = money(math.Round(staff * f.agency))
					row[9] = flag(f.opening < 0)
					row[10] = flag(f.sfvs)
				}
				if s.idx == resubSchool && fy == last && per == resubPeriod {
					// Sent with a typing error in the balance, then
					// resubmitted corrected.
					fill(cum + 25000)
					if err := w.write(row); err != nil {
						return err
					}
					fill(cum)
					if err := d.out.get(budgetResubKey).write(row); err != nil {
						return err
					}
					continue
				}
				fill(cum)
				if err := w.write(row); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// dsgYear gives, for financial year fy, each block's allocation and the
// in-year over- (negative) or underspend, in pounds for one borough.
func dsgYear(fy int) (alloc, balance [4]float64) {
	k := float64(fy - 2020)
	alloc = [4]float64{
		232e6 * math.Pow(1.03, k),
		3.1e6 * math.Pow(1.02, k),
		58e6 * math.Pow(1.07, k),
		27e6 * math.Pow(1.04, k),
	}
	hn := []float64{-4.8e6, -4.6e6, -5.1e6, -4.9e6, -5.3e6, -5.6e6}
	i := min(max(fy-2020, 0), len(hn)-1)
	balance = [4]float64{
		[]float64{0.35e6, -0.2e6, 0.15e6, -0.1e6, 0.05e6, 0.02e6}[i],
		[]float64{0.02e6, 0.01e6, -0.01e6, 0.03e6, 0, 0.01e6}[i],
		hn[i],
		[]float64{0.3e6, 0.2e6, 0.25e6, -0.15e6, 0.1e6, 0.05e6}[i],
	}
	return alloc, balance
}

var blocks = []string{"schools", "central", "high needs", "early years"}

// writeDSG writes the four Dedicated Schools Grant blocks per financial
// year: the high needs block runs an ever larger deficit, the schools
// block stays about balanced. Amounts scale with the number of districts.
func writeDSG(o Options, districts int, out *outputs) error {
	scale := float64(districts)
	cum := [4]float64{0.6e6, 0.05e6, -0.2e6, 0.4e6}
	row := make([]value, len(dsgCols))
	for fy := o.firstYear(); fy <= asAt.Year(); fy++ {
		alloc, bal := dsgYear(fy)
		for b := range blocks {
			cum[b] += bal[b]
			row[0] = txt(financialYear(fy))
			row[1] = txt(blocks[b])
			row[2] = money(math.Round(alloc[b] * scale))
			row[3] = money(math.Round((alloc[b] - bal[b]) * scale))
			row[4] = money(math.Round(cum[b] * scale))
			if err := out.get(dsgKey(fy)).write(row); err != nil {
				return err
			}
		}
	}
	return nil
}
