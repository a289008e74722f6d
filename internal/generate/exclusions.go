package generate

import (
	"slices"
	"time"
)

// exclusionYear scales the suspension rate by year: low in 2020/21
// (lockdowns), rising since, as national figures have.
func exclusionYear(y int) float64 {
	switch {
	case y <= 2020:
		return 0.82
	case y == 2021:
		return 0.95
	case y == 2022:
		return 1.0
	case y == 2023:
		return 1.05
	}
	return 1.08
}

var (
	suspReasons = []string{"PP", "PA", "VP", "VA", "BU", "RA", "DM", "TH", "DB", "DR", "US", "SM", "MT", "AB", "OT", "LG", "SH"}
	suspWeights = []float64{9, 14, 7, 12, 2, 1.5, 3, 1, 36, 3, 1.5, 1, 1.5, 0.5, 4, 0.5, 1}
	permReasons = []string{"PA", "DB", "US", "DR", "PP", "SM", "VA", "OT"}
	permWeights = []float64{20, 30, 14, 10, 12, 4, 5, 5}
	// Suspension length in sessions (half days), 1 to 10.
	sessionWeights = []float64{0, 30, 25, 12, 10, 6, 5, 3, 3, 2, 4}
)

type exclusion struct {
	p        int
	school   int16
	perm     bool
	start    time.Time
	sessions int
	reason   string
}

// exclusionOdds is a pupil's relative chance of suspension: highest in
// secondary and AP, and for boys, pupils with SEN, pupils eligible for FSM
// and Black Caribbean pupils (risk ratios of 2 to 3, as in DfE data).
func (d *district) exclusionOdds(p *pupil, g int, perm bool) float64 {
	s := d.schools[p.school]
	var m float64
	switch {
	case s.phase == phSpecial:
		m = 0.5
	case s.phase == phAP:
		m = 2.5
	case g <= 6:
		m = 0.09
		if perm {
			m = 0.03
		}
	case g >= 12:
		m = 0.15
	case g == 9 || g == 10:
		m = 1.2
	default:
		m = 1.0
	}
	if perm && s.phase == phAP {
		m = 0.5
	}
	m *= exclMult[p.group()]
	switch p.sen {
	case 'K':
		m *= 1.7
	case 'E':
		m *= 1.5
	}
	if p.fsm {
		m *= 2.0
	}
	if p.male {
		m *= 1.6
	} else {
		m *= 0.55
	}
	return m
}

// writeExclusions draws the year's suspensions and permanent exclusions
// from the pupils on roll and writes them, by school and date.
func (d *district) writeExclusions(r rng, yi, y int) error {
	ps := d.pupils
	odds := make([]float64, len(ps))
	permOdds := make([]float64, len(ps))
	var sum, permSum float64
	for i := range ps {
		g := ps[i].grade(y)
		odds[i] = d.exclusionOdds(&ps[i], g, false)
		permOdds[i] = d.exclusionOdds(&ps[i], g, true)
		sum += odds[i]
		permSum += permOdds[i]
	}
	f := exclusionYear(y)
	scale := 0.082 * f * float64(len(ps)) / sum
	permScale := 0.00095 * f * float64(len(ps)) / permSum
	days := schoolDays(y)
	sessions := newTable(sessionWeights)
	susp, perm := newTable(suspWeights), newTable(permWeights)
	var ev []exclusion
	for i := range ps {
		p := &ps[i]
		n := min(r.poisson(odds[i]*scale), 10)
		var last time.Time
		if n > 0 {
			picked := map[int]bool{}
			for len(picked) < n {
				picked[r.IntN(len(days))] = true
			}
			ks := make([]int, 0, n)
			for k := range picked {
				ks = append(ks, k)
			}
			slices.Sort(ks)
			for _, k := range ks {
				ev = append(ev, exclusion{p: i, school: p.school, start: days[k],
					sessions: sessions.pick(r), reason: suspReasons[susp.pick(r)]})
				last = days[k]
			}
		}
		if r.chance(permOdds[i] * permScale) {
			k := r.IntN(len(days))
			if !last.IsZero() {
				k = slices.Index(days, last) + 1 + r.IntN(10)
				k = min(k, len(days)-1)
			}
			ev = append(ev, exclusion{p: i, school: p.school, perm: true, start: days[k],
				reason: permReasons[perm.pick(r)]})
			p.perm = true
		}
	}
	slices.SortStableFunc(ev, func(a, b exclusion) int {
		if c := int(a.school) - int(b.school); c != 0 {
			return c
		}
		return a.start.Compare(b.start)
	})
	w := d.out.get(exclusionsKey(y))
	// Messy: two schools' returns arrive as one file, pasted together.
	two := d.out.get(exclusionsTwoKey(y))
	var twoSchools [2]int16
	if two != nil && d.id == 0 {
		k := 0
		for si, s := range d.schools {
			if s.phase == phSecondary && s.maintained && k < 2 {
				twoSchools[k] = int16(si)
				k++
			}
		}
	} else {
		two = nil
	}
	row := make([]value, len(exclusionCols))
	headerAgain := false
	for _, e := range ev {
		p := &ps[e.p]
		row[0] = num(d.schools[e.school].urn)
		row[1] = txt(d.upn(p))
		row[2] = txt("SUSP")
		row[4] = num(e.sessions)
		if e.perm {
			row[2], row[4] = txt("PERM"), value{}
		}
		row[3] = date(e.start)
		row[5] = txt(e.reason)
		row[6], row[7], row[8], row[9] = value{}, value{}, value{}, value{}
		if r.chance(0.2) {
			row[6] = txt(ethnicities[p.eth].code)
			row[7] = txt(string(p.sen))
			row[8] = flag(p.fsm)
			row[9] = txt(ncyCode(p.grade(y)))
		}
		out := w
		if two != nil && (e.school == twoSchools[0] || e.school == twoSchools[1]) {
			out = two
			if e.school == twoSchools[1] && !headerAgain {
				if err := two.repeatHeader(); err != nil {
					return err
				}
				headerAgain = true
			}
		}
		if err := out.write(row); err != nil {
			return err
		}
	}
	return nil
}
