package generate

import (
	"context"
	"math"
	"strconv"
)

// pupil is one child on a school roll. UPNs are derived from serial, so
// nothing larger than a few bytes is kept per pupil.
type pupil struct {
	serial int32
	cohort int16 // academic year (start) the pupil was in Reception
	alloc  int16 // year the UPN was allocated
	school int16
	dual   int16 // subsidiary (S) registration, or -1
	eth    uint8
	lang   uint8
	need   uint8
	male   bool
	sen    byte // 'N', 'K' or 'E'
	fsm    bool
	perm   bool // permanently excluded this year: moves to AP next year
	late   bool // joined after the autumn census
}

func (p *pupil) grade(y int) int { return y - int(p.cohort) }
func (p *pupil) group() int      { return ethnicities[p.eth].group }

// district is one borough's worth of schools and pupils. The hackney scale
// has one; london and england have 10 and 100, each independent.
type district struct {
	o       Options
	id      int
	r       rng
	years   []int
	schools []*school
	ap      int // index of the pupil referral unit
	pupils  []pupil
	serial  int32
	rolls   [][]int // [year index][school] January headcount (C and M)
	counts  [][15]int
	cases   []ehcpCase
	out     *outputs
	// building is the academic year being simulated.
	building int
}

func runDistrict(ctx context.Context, o Options, id int, out *outputs) error {
	d := &district{o: o, id: id, r: newRNG(o.Seed, 0xd157, uint64(id)), out: out}
	for y := o.firstYear(); y <= latestYear; y++ {
		d.years = append(d.years, y)
	}
	d.schools = buildSchools(d.r.sub(1), id, len(d.years), o.size())
	for i, s := range d.schools {
		if s.phase == phAP {
			d.ap = i
		}
	}
	d.counts = make([][15]int, len(d.schools))
	for yi, y := range d.years {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := d.r.sub(2, uint64(y))
		d.building = y
		if yi == 0 {
			d.initial(r.sub(1), y)
		} else {
			d.advance(r.sub(2), yi, y)
		}
		d.tally()
		if err := d.writeCensuses(r.sub(3), yi, y); err != nil {
			return err
		}
		if err := d.writeExclusions(r.sub(4), yi, y); err != nil {
			return err
		}
		d.requests(r.sub(5), yi, y)
	}
	if err := d.writeSchools(); err != nil {
		return err
	}
	if err := d.writeEHCP(); err != nil {
		return err
	}
	return d.writeBudgets(d.r.sub(3))
}

// demand is the Reception intake, as a share of places, of the cohort
// starting school in year e: births in Hackney have fallen for a decade.
func demand(e int) float64 { return 1.1 * math.Pow(0.966, float64(e-2014)) }

func (d *district) target7(s *school) int {
	return int(math.Round(float64(s.pan7) * math.Min(1, 0.9*s.pop)))
}

func (d *district) target12(s *school) int {
	return int(math.Round(float64(s.sixth) * math.Min(1, 0.95*s.pop)))
}

// apRoll is the AP roll aimed for per year group (5 to 11).
var apRoll = [15]int{5: 2, 6: 3, 7: 5, 8: 9, 9: 12, 10: 16, 11: 18}

func (d *district) apTarget(g int) int { return int(math.Round(float64(apRoll[g]) * d.o.size())) }

// initial fills every state-funded school for the first year.
func (d *district) initial(r rng, y int) {
	for si, s := range d.schools {
		if !s.stateFund {
			continue
		}
		for g := s.lo; g <= s.hi; g++ {
			var n float64
			switch {
			case s.phase == phSpecial:
				n = float64(s.target)
			case s.phase == phAP:
				n = float64(d.apTarget(g))
			case g <= 6:
				n = float64(s.panR[0]) * math.Min(1, s.pop*demand(y-g)) * math.Pow(0.99, float64(g))
			case g <= 11:
				n = float64(d.target7(s))
			default:
				n = float64(d.target12(s)) * (1 - 0.08*float64(g-12))
			}
			n *= r.uniform(0.95, 1.05)
			for range int(math.Round(n)) {
				d.pupils = append(d.pupils, d.newPupil(r, si, g, y, true))
			}
		}
	}
}

// newPupil makes a pupil joining school si in year group g in year y.
func (d *district) newPupil(r rng, si, g, y int, initial bool) pupil {
	s := d.schools[si]
	p := pupil{serial: d.serial, cohort: int16(y - g), school: int16(si), dual: -1}
	d.serial++
	p.alloc = p.cohort
	if !initial && g > 0 {
		p.alloc = int16(y)
	}
	p.eth = uint8(ethTable.pick(r))
	switch s.phase {
	case phSpecial:
		p.male = r.chance(0.72)
	case phAP:
		p.male = r.chance(0.75)
	default:
		p.male = r.chance(0.51)
	}
	p.lang = pickLanguage(r, int(p.eth))
	p.fsm = r.chance(math.Min(0.9, 0.345*fsmMult[p.group()]))
	d.initialSEN(r, &p, s, g)
	return p
}

func (d *district) senOdds(p *pupil) float64 {
	m := senMult[p.group()]
	if p.male {
		m *= 1.35
	} else {
		m *= 0.65
	}
	if p.fsm {
		m *= 1.35
	} else {
		m *= 0.82
	}
	return m
}

func needTable(s *school, g int) []float64 {
	switch {
	case s.phase == phSpecial:
		return needSpecial
	case s.phase == phAP:
		return needAP
	case g <= 6:
		return needPrimary
	}
	return needSecondary
}

// initialSEN sets SEN provision for a pupil new to the data: identification
// rises through primary school.
func (d *district) initialSEN(r rng, p *pupil, s *school, g int) {
	p.sen = 'N'
	switch s.phase {
	case phSpecial:
		p.sen = 'E'
		if r.chance(0.04) {
			p.sen = 'K'
		}
	case phAP:
		switch u := r.Float64(); {
		case u < 0.2:
			p.sen = 'E'
		case u < 0.75:
			p.sen = 'K'
		}
	default:
		k, e := 0.145, 0.036
		switch {
		case g <= 6:
			k, e = 0.085+0.012*float64(g), 0.012+0.004*float64(g)
		case g >= 12:
			k, e = 0.08, 0.025
		}
		m := d.senOdds(p)
		switch u := r.Float64(); {
		case u < e*m:
			p.sen = 'E'
		case u < (e+k)*m:
			p.sen = 'K'
		}
	}
	if p.sen != 'N' {
		p.need = pickNeed(r, needTable(s, g), p.group())
	}
}

// yearOn moves a continuing pupil's FSM and SEN status on by a year.
func (d *district) yearOn(r rng, p *pupil, g int) {
	if p.fsm {
		p.fsm = !r.chance(0.10)
	} else {
		p.fsm = r.chance(0.047 * fsmMult[p.group()])
	}
	s := d.schools[p.school]
	switch s.phase {
	case phSpecial:
		return
	case phAP:
		if p.sen == 'N' && r.chance(0.15) {
			p.sen, p.need = 'K', pickNeed(r, needAP, p.group())
		}
		return
	}
	m := d.senOdds(p)
	switch p.sen {
	case 'N':
		if r.chance(0.028 * m) {
			p.sen, p.need = 'K', pickNeed(r, needTable(s, g), p.group())
		}
	case 'K':
		switch u := r.Float64(); {
		case u < 0.11:
			p.sen = 'N'
		case u < 0.11+0.03*math.Sqrt(m):
			p.sen = 'E'
		}
	}
}

// advance moves the district on to academic year y: pupils go up a year,
// leave, transfer at 11 and 16, move school; new cohorts arrive.
func (d *district) advance(r rng, yi, y int) {
	var (
		y7, y12, movers, toAP []pupil
		keep                  = d.pupils[:0]
	)
	for _, p := range d.pupils {
		g := p.grade(y)
		s := d.schools[p.school]
		p.late = false
		wasPerm := p.perm
		p.perm = false
		if g <= 14 {
			d.yearOn(r, &p, g)
		}
		switch {
		case wasPerm && g >= 5 && g <= 11:
			toAP = append(toAP, p)
		case s.phase == phSpecial:
			if g <= 14 && !r.chance(0.02) {
				keep = append(keep, p)
			}
		case s.phase == phAP:
			switch {
			case g > 11:
			case r.chance(0.45):
				p.dual = -1
				movers = append(movers, p)
			default:
				if p.dual >= 0 && !d.schools[p.dual].teaches(g) {
					p.dual = -1
				}
				keep = append(keep, p)
			}
		case s.teaches(g):
			leave := 0.035
			switch {
			case g == 12 && s.lo < 12:
				// Staying on into the school's own sixth form, or not.
				if r.chance(0.55) {
					keep = append(keep, p)
				} else if r.chance(0.35) {
					y12 = append(y12, p)
				}
				continue
			case g >= 12:
				leave = 0.05
			case g >= 7:
				leave = 0.025
			}
			switch {
			case r.chance(leave):
			case g != s.lo && r.chance(0.03):
				movers = append(movers, p)
			default:
				keep = append(keep, p)
			}
		case g == 7 && s.hi == 6:
			if r.chance(0.86) {
				y7 = append(y7, p)
			}
		case g == 12 && s.hi == 11:
			if r.chance(0.42) {
				y12 = append(y12, p)
			}
		}
	}
	d.pupils = keep
	d.tally()
	// Year 7 and 12 places, then movers into schools with room.
	d.place(r, y7, 7)
	d.place(r, y12, 12)
	d.place(r, movers, -1)
	// New Reception cohorts, and pupils from outside the borough filling
	// Year 7 and 12 places.
	for si, s := range d.schools {
		if !s.stateFund {
			continue
		}
		switch s.phase {
		case phPrimary, phAll:
			n := float64(s.panR[yi]) * math.Min(1, s.pop*demand(y)*r.uniform(0.94, 1.06))
			d.join(r, si, 0, y, int(math.Round(n)), false)
		}
		if s.teaches(7) && s.lo <= 7 {
			d.join(r, si, 7, y, d.target7(s)-d.counts[si][7], false)
		}
		if s.teaches(12) {
			d.join(r, si, 12, y, d.target12(s)-d.counts[si][12], false)
		}
		if s.phase == phSpecial {
			for g := s.lo; g <= s.hi; g++ {
				d.join(r, si, g, y, s.target+r.between(-1, 1)-d.counts[si][g], false)
			}
		}
	}
	d.fillAP(r, y, toAP)
	// Families moving into the borough, in every year group.
	for si, s := range d.schools {
		if !s.mainstream() {
			continue
		}
		for g := s.lo; g <= s.hi; g++ {
			if g == 0 || g == 7 || g == 12 {
				continue
			}
			d.join(r, si, g, y, r.poisson(0.024*float64(d.counts[si][g])), y == latestYear)
		}
	}
}

// join adds n new pupils to school si in year group g.
func (d *district) join(r rng, si, g, y, n int, mayBeLate bool) {
	for range n {
		p := d.newPupil(r, si, g, y, false)
		p.late = mayBeLate && r.chance(0.3)
		d.pupils = append(d.pupils, p)
		d.counts[si][g]++
	}
}

// place finds schools for pupils changing school into year group g (or
// each pupil's own year group when g < 0): a mainstream school teaching it
// with room under its admission number, chosen by popularity and, three
// times as likely, in the pupil's own neighbourhood. Pupils with nowhere to
// go leave the borough.
func (d *district) place(r rng, ps []pupil, g int) {
	w := make([]float64, len(d.schools))
	for _, p := range ps {
		gg := g
		if g < 0 {
			gg = p.grade(d.building)
		}
		from := d.schools[p.school]
		any := false
		for si, s := range d.schools {
			w[si] = 0
			if !s.mainstream() || !s.teaches(gg) || si == int(p.school) {
				continue
			}
			var room int
			switch g {
			case 7:
				room = d.target7(s)
			case 12:
				room = d.target12(s)
			default:
				room = d.gradePlaces(s, gg)
			}
			if free := room - d.counts[si][gg]; free > 0 {
				w[si] = s.pop * math.Sqrt(float64(free))
				if s.hood == from.hood {
					w[si] *= 3
				}
				any = true
			}
		}
		if !any {
			continue
		}
		si := r.weighted(w)
		p.school, p.dual = int16(si), -1
		d.pupils = append(d.pupils, p)
		d.counts[si][gg]++
	}
}

// gradePlaces is a school's places in year group g.
func (d *district) gradePlaces(s *school, g int) int {
	switch {
	case g <= 6:
		return s.panR[len(s.panR)-1] + 5
	case g <= 11:
		return s.pan7
	}
	return s.sixth
}

// fillAP moves pupils into the pupil referral unit: those permanently
// excluded last year first, then pupils from mainstream secondaries (some
// dual registered with their home school).
func (d *district) fillAP(r rng, y int, excluded []pupil) {
	si := d.ap
	ap := d.schools[si]
	for _, p := range excluded {
		g := p.grade(y)
		p.school, p.dual = int16(si), -1
		d.pupils = append(d.pupils, p)
		d.counts[si][g]++
	}
	var cand []int
	for i := range d.pupils {
		p := &d.pupils[i]
		if s := d.schools[p.school]; s.mainstream() && p.grade(y) >= 7 && p.grade(y) <= 11 {
			cand = append(cand, i)
		}
	}
	for g := ap.lo; g <= ap.hi; g++ {
		need := d.apTarget(g) - d.counts[si][g]
		if g < 7 || len(cand) == 0 {
			d.join(r, si, g, y, need, false)
			continue
		}
		for tries := 0; need > 0; tries++ {
			if tries > 1000*d.apTarget(g) {
				// Too few candidates (a tiny district): new pupils instead.
				d.join(r, si, g, y, need, false)
				break
			}
			i := cand[r.IntN(len(cand))]
			p := &d.pupils[i]
			if p.grade(y) != g || int(p.school) == si {
				continue
			}
			odds := 0.15
			if p.sen != 'N' {
				odds *= 3
			}
			if p.fsm {
				odds *= 2
			}
			if !r.chance(odds) {
				continue
			}
			home := p.school
			d.counts[home][g]--
			p.school = int16(si)
			if r.chance(0.45) {
				p.dual = home
			}
			d.counts[si][g]++
			need--
		}
	}
}

// tally counts pupils by school and year group.
func (d *district) tally() {
	for i := range d.counts {
		d.counts[i] = [15]int{}
	}
	for _, p := range d.pupils {
		if g := p.grade(d.building); g >= 0 && g < 15 {
			d.counts[p.school][g]++
		}
	}
}

func ncyCode(g int) string {
	if g == 0 {
		return "R"
	}
	return strconv.Itoa(g)
}
