package generate

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Phase and type codes, as in pipelines/returns/schools.yaml.
const (
	phPrimary   = "primary"
	phSecondary = "secondary"
	phAll       = "all-through"
	phSpecial   = "special"
	phAP        = "alternative provision"
	ph16        = "16-plus"

	tyCommunity  = "community"
	tyVA         = "voluntary aided"
	tyVC         = "voluntary controlled"
	tyFoundation = "foundation"
	tyAcademy    = "academy"
	tyFree       = "free school"
	tySpecial    = "special"
	tyPRU        = "pupil referral unit"
	tyIndep      = "independent"
)

// neighbourhoods are Hackney's eight Children and Family Hub areas.
var neighbourhoods = []string{
	"Clapton & Stamford Hill",
	"Hackney Central & Hackney Wick",
	"Hackney Marsh & Homerton",
	"Hoxton & Shoreditch",
	"Dalston & De Beauvoir",
	"Stoke Newington",
	"Springfield & Stamford Hill",
	"Well Street & Victoria Park",
}

// schoolEntry is one row of the catalogue a district's schools are built
// from. The names are invented.
type schoolEntry struct {
	name, phase, typ string
	sixthForm        bool
	charedi          bool
}

var catalogue = func() []schoolEntry {
	var c []schoolEntry
	add := func(phase, typ string, names ...string) {
		for _, n := range names {
			c = append(c, schoolEntry{name: n, phase: phase, typ: typ})
		}
	}
	add(phPrimary, tyCommunity,
		"Alderbrook Primary School", "Birchfield Primary School", "Cedar Lane Primary School",
		"Damson Row Primary School", "Elmwood Primary School", "Fernhill Primary School",
		"Gorse Park Primary School", "Hazel Grove Primary School", "Ivy Bank Primary School",
		"Juniper Way Primary School", "Kestrel Rise Primary School", "Larch Green Primary School",
		"Maple Walk Primary School", "Nettle Hill Primary School", "Oakmere Primary School",
		"Poplar Row Primary School", "Quince Street Primary School", "Rowan Park Primary School",
		"Sorrel Fields Primary School", "Thistle Court Primary School", "Umber Lane Primary School",
		"Valerian Way Primary School", "Willowmead Primary School")
	add(phPrimary, tyVA,
		"St Aldhelm's CE Primary School", "St Wilfrid & St Hilda CE Primary School",
		"St Ambrose RC Primary School", "Holy Cross Lane RC Primary School",
		"St Barnabas Row CE Primary School", "St Clement Marsh CE Primary School",
		"St Gregory Fields RC Primary School", "St Lucy Yard CE Primary School")
	add(phPrimary, tyVC, "St Oswin CE Primary School", "Marsh Gate CE Primary School")
	add(phPrimary, tyFoundation, "Yarrow Green Primary School", "Bramble Hill Primary School")
	add(phPrimary, tyAcademy,
		"Coppice Road Primary Academy", "Dunnock Lane Primary Academy", "Elderfield Primary Academy",
		"Fieldfare Primary Academy", "Goldcrest Primary Academy", "Hornbeam Primary Academy")
	add(phPrimary, tyFree, "Wagtail Free School", "École Bilingue Hélène Boucher")
	add(phSecondary, tyCommunity, "Birchfield School", "Fernhill High School", "Larchwood School")
	add(phSecondary, tyVA, "St Anselm's RC High School", "Holy Cross CE Secondary School")
	add(phSecondary, tyAcademy,
		"Alderbrook Academy", "Cedar Park Academy", "Kestrel Academy", "Marshgate Academy",
		"Northgate Academy", "Oakmere Academy", "Riverside Academy")
	add(phSecondary, tyFree, "Wickham Free School", "Leaside Studio School")
	add(phAll, tyAcademy, "Heronsgate Academy", "Millstream Academy")
	add(ph16, tyFree, "Leabank Sixth Form College")
	add(phSpecial, tySpecial, "Brookside School", "Kingfisher House School", "Meadowbank School")
	add(phAP, tyPRU, "The Ferry Lane Pupil Referral Unit")
	for _, n := range []string{"Talmud Torah Ohel Yisroel", "Beis Chaya Girls School",
		"Yesodei Chinuch Boys School", "Bnos Shira Girls School", "Yeshivas Tiferes Torah"} {
		c = append(c, schoolEntry{name: n, phase: phPrimary, typ: tyIndep, charedi: true})
	}
	// Two of the Charedi schools are secondary; eight secondaries have a
	// sixth form.
	for i := range c {
		switch c[i].name {
		case "Yesodei Chinuch Boys School", "Yeshivas Tiferes Torah":
			c[i].phase = phSecondary
		case "Fernhill High School", "St Anselm's RC High School", "Alderbrook Academy",
			"Cedar Park Academy", "Kestrel Academy", "Oakmere Academy", "Riverside Academy",
			"Holy Cross CE Secondary School":
			c[i].sixthForm = true
		}
	}
	return c
}()

// school is one school of a district, with everything the returns say
// about it for each simulated year.
type school struct {
	idx        int
	urn        int
	name       string
	phase, typ string
	maintained bool
	hood       int
	community  string
	stateFund  bool
	lo, hi     int // national curriculum years taught (R = 0)

	capacity []int // net capacity per year index
	panR     []int // Reception admission number per year index (primary, all-through)
	pan7     int   // Year 7 admission number
	sixth    int   // places per sixth-form year group
	target   int   // per year group roll aimed for (special, AP)
	arp      int
	pop      float64 // popularity: share of its admission number it fills

	ofsted     []int // per year index; 0 = no judgement
	ofstedDate []time.Time
	status     []string

	// Finance (maintained schools).
	deficitProne bool
	margin       float64 // usual in-year balance as a share of income
	opening      float64 // cumulative balance at the start of the first financial year
}

// teaches reports whether the school teaches national curriculum year g.
func (s *school) teaches(g int) bool { return g >= s.lo && g <= s.hi }

// mainstream reports whether the school is a state-funded mainstream school.
func (s *school) mainstream() bool {
	return s.stateFund && s.phase != phSpecial && s.phase != phAP
}

// buildSchools makes a district's schools. URNs are 6 digits starting 1,
// unique across districts. size scales admission numbers and places (1 but
// for the tiny scale).
func buildSchools(r rng, district, years int, size float64) []*school {
	slots := r.Perm(899)
	var out []*school
	for i, e := range catalogue {
		s := &school{
			idx:       i,
			urn:       100000 + district*1000 + 100 + slots[i],
			name:      e.name,
			phase:     e.phase,
			typ:       e.typ,
			stateFund: e.typ != tyIndep,
			pop:       r.uniform(0.78, 1.08),
		}
		if district > 0 {
			s.name = fmt.Sprintf("%s (area %d)", e.name, district)
		}
		switch e.typ {
		case tyCommunity, tyVA, tyVC, tyFoundation, tySpecial, tyPRU:
			s.maintained = true
		}
		if e.charedi {
			s.community = "Charedi"
			s.hood = []int{0, 6, 5}[r.IntN(3)]
		} else {
			s.hood = r.IntN(len(neighbourhoods))
		}
		s.capacity = make([]int, years)
		s.panR = make([]int, years)
		switch e.phase {
		case phPrimary:
			s.lo, s.hi = 0, 6
			pan := []int{30, 45, 60, 60, 60, 60, 90}[r.IntN(7)]
			for y := range years {
				s.panR[y] = pan
			}
			if e.charedi {
				s.lo, s.hi = 0, 6
			}
		case phSecondary:
			s.lo, s.hi = 7, 11
			s.pan7 = []int{180, 180, 210, 240, 270}[r.IntN(5)]
			if e.sixthForm {
				s.hi = 13
				s.pan7 = []int{150, 150, 180, 180, 210, 240}[r.IntN(6)]
				s.sixth = r.between(75, 110)
			}
		case phAll:
			s.lo, s.hi = 0, 13
			for y := range years {
				s.panR[y] = 60
			}
			s.pan7, s.sixth = 150, 75
		case ph16:
			s.lo, s.hi = 12, 13
			s.sixth = r.between(220, 260)
		case phSpecial:
			s.lo, s.hi = 0, 14
			s.target = r.between(8, 11)
		case phAP:
			s.lo, s.hi = 5, 11
			s.target = 12
		}
		out = append(out, s)
	}
	// Falling rolls: a few primaries cut their admission number part way
	// through, as Hackney's have.
	prim := primaries(out)
	for _, k := range r.Perm(len(prim))[:3] {
		s := prim[k]
		if s.panR[0] >= 60 {
			for y := years / 2; y < years; y++ {
				s.panR[y] = s.panR[0] - 15
			}
		}
	}
	scale := func(n int) int { return int(math.Round(float64(n) * size)) }
	for _, s := range out {
		for y := range s.panR {
			s.panR[y] = scale(s.panR[y])
		}
		s.pan7, s.sixth, s.target = scale(s.pan7), scale(s.sixth), max(scale(s.target), 1)
	}
	for _, s := range out {
		s.arp = 0
		switch {
		case s.phase == phPrimary && s.stateFund && r.chance(0.15):
			s.arp = r.between(6, 16)
		case s.phase == phSecondary && s.stateFund && r.chance(0.25):
			s.arp = r.between(10, 24)
		}
		for y := range years {
			switch s.phase {
			case phPrimary:
				s.capacity[y] = 7 * s.panR[y]
			case phSecondary:
				s.capacity[y] = 5*s.pan7 + 2*s.sixth
			case phAll:
				s.capacity[y] = 7*s.panR[y] + 5*s.pan7 + 2*s.sixth
			case ph16:
				s.capacity[y] = 2 * s.sixth
			case phSpecial:
				s.capacity[y] = scale(10 * r.between(13, 16))
			case phAP:
				s.capacity[y] = scale(90)
			}
			if y > 0 && s.phase == phSpecial {
				s.capacity[y] = s.capacity[0]
			}
		}
		if !s.stateFund {
			// Independent settings report places loosely; one reports none.
			for y := range years {
				s.capacity[y] = scale(10 * r.between(15, 40))
			}
		}
	}
	for _, s := range out {
		if !s.stateFund && s.name == catalogue[len(catalogue)-1].name {
			for y := range years {
				s.capacity[y] = 0
			}
		}
	}
	assignOfsted(r, out, years)
	// The least popular primary is proposed to close in the latest year.
	least := slices.MinFunc(prim, func(a, b *school) int {
		if a.pop < b.pop {
			return -1
		}
		if a.pop > b.pop {
			return 1
		}
		return 0
	})
	for _, s := range out {
		s.status = make([]string, years)
		for y := range years {
			s.status[y] = "open"
		}
	}
	least.status[years-1] = "proposed to close"
	assignFinance(r, out)
	return out
}

func primaries(ss []*school) []*school {
	var out []*school
	for _, s := range ss {
		if s.phase == phPrimary && s.stateFund {
			out = append(out, s)
		}
	}
	return out
}

// assignOfsted gives grades mostly 1 and 2, a few 3, exactly one 4 and some
// schools no judgement yet; one school improves part way through.
func assignOfsted(r rng, ss []*school, years int) {
	four := r.IntN(len(ss))
	for i, s := range ss {
		s.ofsted = make([]int, years)
		s.ofstedDate = make([]time.Time, years)
		g := []int{1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 0}[r.IntN(11)]
		if i == four {
			g = 4
		}
		var d time.Time
		if g > 0 {
			d = day(2015, time.January, 1).AddDate(0, 0, r.IntN(365*5))
			for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
				d = d.AddDate(0, 0, 1)
			}
		}
		for y := range years {
			s.ofsted[y], s.ofstedDate[y] = g, d
		}
		if g == 3 && years > 2 && r.chance(0.5) {
			// Re-inspected and judged good.
			y0 := years / 2
			nd := day(2020+y0, time.November, 10+r.IntN(10))
			for y := y0; y < years; y++ {
				s.ofsted[y], s.ofstedDate[y] = 2, nd
			}
		}
	}
}

// assignFinance sets each maintained school's usual budget position: most
// in small surplus, about one in eight in deficit and getting worse.
func assignFinance(r rng, ss []*school) {
	for _, s := range ss {
		if !s.maintained {
			continue
		}
		s.deficitProne = r.chance(0.08) || (s.phase == phPrimary && s.pop < 0.82 && r.chance(0.5))
		if s.deficitProne {
			// Some already in deficit, the rest slipping into it.
			s.margin = r.uniform(-0.035, -0.01)
			s.opening = r.uniform(-0.03, 0.06)
		} else {
			s.margin = r.uniform(-0.008, 0.02)
			s.opening = r.uniform(0.03, 0.11)
		}
	}
}
