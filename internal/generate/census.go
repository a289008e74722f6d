package generate

import (
	"slices"
	"time"
)

// writeCensuses writes the January census of year y and, for the latest
// year when asked for, the autumn and summer ones (a little churn around
// January).
func (d *district) writeCensuses(r rng, yi, y int) error {
	roll := make([]int, len(d.schools))
	for _, p := range d.pupils {
		roll[p.school]++
	}
	d.rolls = append(d.rolls, roll)
	if err := d.writeCensus(springCensus(y), d.pupils); err != nil {
		return err
	}
	if y != latestYear || !d.o.Termly {
		return nil
	}
	autumn := make([]pupil, 0, len(d.pupils))
	summer := make([]pupil, 0, len(d.pupils))
	for _, p := range d.pupils {
		if !p.late {
			autumn = append(autumn, p)
		}
		if !r.chance(0.012) {
			summer = append(summer, p)
		}
	}
	autumn = append(autumn, d.transients(r, len(d.pupils)/110, y)...)
	summer = append(summer, d.transients(r, len(d.pupils)/80, y)...)
	if err := d.writeCensus(autumnCensus(y), autumn); err != nil {
		return err
	}
	return d.writeCensus(summerCensus(y), summer)
}

// transients are pupils on roll at one census only: gone by January, or
// arrived after it.
func (d *district) transients(r rng, n, y int) []pupil {
	var main []int
	for si, s := range d.schools {
		if s.mainstream() {
			main = append(main, si)
		}
	}
	out := make([]pupil, 0, n)
	for range n {
		si := main[r.IntN(len(main))]
		s := d.schools[si]
		out = append(out, d.newPupil(r, si, r.between(max(s.lo, 1), s.hi), y, false))
	}
	return out
}

type censusEntry struct {
	i      int
	school int16
	subsid bool
}

// writeCensus writes one census: a row per pupil (C, or M for a main dual
// registration) and an S row at the school of a subsidiary registration.
func (d *district) writeCensus(t time.Time, ps []pupil) error {
	w := d.out.get(censusKey(t))
	entries := make([]censusEntry, 0, len(ps)+len(ps)/100)
	for i := range ps {
		entries = append(entries, censusEntry{i: i, school: ps[i].school})
		if ps[i].dual >= 0 {
			entries = append(entries, censusEntry{i: i, school: ps[i].dual, subsid: true})
		}
	}
	slices.SortFunc(entries, func(a, b censusEntry) int {
		if c := int(a.school) - int(b.school); c != 0 {
			return c
		}
		pa, pb := &ps[a.i], &ps[b.i]
		if c := int(pb.cohort) - int(pa.cohort); c != 0 {
			return c
		}
		return int(pa.serial) - int(pb.serial)
	})
	y := d.building
	row := make([]value, len(censusCols))
	for _, e := range entries {
		p := &ps[e.i]
		enrol := "C"
		switch {
		case e.subsid:
			enrol = "S"
		case p.dual >= 0:
			enrol = "M"
		}
		gender := "F"
		if p.male {
			gender = "M"
		}
		row[0] = date(t)
		row[1] = num(d.schools[e.school].urn)
		row[2] = txt(d.upn(p))
		row[3] = txt(ncyCode(p.grade(y)))
		row[4] = txt(gender)
		row[5] = txt(ethnicities[p.eth].code)
		row[6] = flag(p.fsm)
		row[7] = txt(string(p.sen))
		row[8] = value{}
		if p.sen != 'N' {
			row[8] = txt(needs[p.need])
		}
		row[9] = value{}
		if p.lang != noLanguage {
			row[9] = txt(languages[p.lang])
		}
		row[10] = txt(enrol)
		if err := w.write(row); err != nil {
			return err
		}
	}
	return nil
}

func (d *district) upn(p *pupil) string { return upnFor(d.id, int(p.serial), int(p.alloc)) }
