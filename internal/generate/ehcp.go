package generate

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// ehcpCase is one request for an EHC needs assessment and what became of
// it by asAt.
type ehcpCase struct {
	seq          int
	upn          string
	req          time.Time
	decisionDate time.Time
	decision     string
	epReq, epIss time.Time
	plan         time.Time
	outcome      string
	exception    bool
	placement    string
	la           string
	dob          time.Time
	eth          string
}

// requestsPerYear is the number of requests for assessment a borough
// receives in calendar year cy: about 800, rising.
func requestsPerYear(cy int) float64 { return 680 * math.Pow(1.055, float64(cy-2020)) }

var (
	placements      = []string{"mainstream", "resourced provision", "maintained special", "independent special", "alternative provision", "post-16", "home/other"}
	placementWeight = []float64{52, 9, 17, 9, 3, 6, 4}
	// Other London boroughs and home counties (LA numbers) where Hackney
	// children are placed.
	otherLAs = []string{"202", "206", "210", "211", "309", "316", "320", "881", "919", "308"}
)

// requests draws the requests received during academic year y (plus, in
// the first year, those since 1 January, and in the last year those up to
// asAt), linking school-age children to pupils on roll.
func (d *district) requests(r rng, yi, y int) {
	from, to := day(y, time.September, 1), day(y+1, time.August, 31)
	if yi == 0 {
		from = day(y, time.January, 1)
	}
	if yi == len(d.years)-1 {
		to = asAt
	}
	homeLA := "204"
	if d.id > 0 {
		homeLA = strconv.Itoa(900 + d.id)
	}
	for _, req := range weekdays(from, to) {
		for range r.poisson(requestsPerYear(req.Year()) * d.o.size() / 261) {
			c := ehcpCase{seq: len(d.cases), req: req}
			d.child(r, &c, req, y)
			d.progress(r, &c, homeLA)
			d.cases = append(d.cases, c)
		}
	}
}

// child sets who the request is for: mostly a pupil on roll (pupils on SEN
// support most often), otherwise a pre-school child or a young person
// without a UPN.
func (d *district) child(r rng, c *ehcpCase, req time.Time, y int) {
	if r.chance(0.68) && len(d.pupils) > 0 {
		for range 10000 {
			p := &d.pupils[r.IntN(len(d.pupils))]
			w := map[byte]float64{'N': 0.1, 'K': 1, 'E': 0.03}[p.sen]
			if !r.chance(w) {
				continue
			}
			c.upn = d.upn(p)
			c.eth = ethnicities[p.eth].code
			// Born in the academic year five years before Reception.
			born := day(int(p.cohort)-5, time.September, 1)
			c.dob = born.AddDate(0, 0, r.IntN(365))
			return
		}
	}
	c.upn = ""
	c.eth = ethnicities[ethTable.pick(r)].code
	age := r.uniform(2, 4.9)
	if r.chance(0.15) {
		age = r.uniform(16, 19.5)
	}
	c.dob = req.AddDate(0, 0, -int(age*365.25))
}

// progress sets the decision, advice and plan dates: most decisions within
// six weeks, about 70% of advice within six weeks, plans for about 80% of
// assessed children, half of them within 20 weeks.
func (d *district) progress(r rng, c *ehcpCase, homeLA string) {
	seen := func(t time.Time) time.Time {
		if t.After(asAt) {
			return time.Time{}
		}
		return t
	}
	c.outcome = "ongoing"
	wait := r.between(21, 42)
	if r.chance(0.12) {
		wait += r.between(1, 30)
	}
	c.decisionDate = seen(c.req.AddDate(0, 0, wait))
	if c.decisionDate.IsZero() {
		return
	}
	if !r.chance(0.78) {
		c.decision, c.outcome = "refuse", "no plan"
		return
	}
	c.decision = "assess"
	c.exception = r.chance(0.06)
	c.epReq = seen(c.decisionDate.AddDate(0, 0, r.between(0, 5)))
	if !c.epReq.IsZero() {
		days := r.between(18, 42)
		if !r.chance(0.7) {
			days = r.between(43, 110)
		}
		c.epIss = seen(c.epReq.AddDate(0, 0, days))
	}
	u := r.Float64()
	switch {
	case u < 0.05:
		c.outcome = "withdrawn"
		return
	case u < 0.15:
		c.outcome = "no plan"
		return
	case u < 0.2:
		return // still being assessed, long after the deadline
	}
	days := r.between(95, 140)
	if c.exception {
		days = r.between(150, 300)
	} else if r.chance(0.47) {
		days = 141 + int(r.ExpFloat64()*55)
	}
	c.plan = seen(c.req.AddDate(0, 0, days))
	if c.plan.IsZero() {
		return
	}
	c.outcome = "plan issued"
	c.placement = placements[r.weighted(placementWeight)]
	c.la = homeLA
	out := map[string]float64{"mainstream": 0.06, "resourced provision": 0.12, "maintained special": 0.3,
		"independent special": 0.8, "post-16": 0.3}[c.placement]
	if r.chance(out) {
		c.la = otherLAs[r.IntN(len(otherLAs))]
	}
}

// writeEHCP writes the cases, one file per calendar year of request, with
// case references numbered in request order.
func (d *district) writeEHCP() error {
	slices.SortStableFunc(d.cases, func(a, b ehcpCase) int { return a.req.Compare(b.req) })
	row := make([]value, len(ehcpCols))
	n := map[int]int{}
	for _, c := range d.cases {
		cy := c.req.Year()
		n[cy]++
		id := fmt.Sprintf("EHC%d-%04d", cy, n[cy])
		if d.id > 0 {
			id = fmt.Sprintf("A%02d-%s", d.id, id)
		}
		row[0] = txt(id)
		row[1] = txt(c.upn)
		row[2] = date(c.req)
		row[3] = optDate(c.decisionDate)
		row[4] = txt(c.decision)
		row[5] = optDate(c.epReq)
		row[6] = optDate(c.epIss)
		row[7] = optDate(c.plan)
		row[8] = txt(c.outcome)
		row[9] = value{}
		if c.decision == "assess" {
			row[9] = flag(c.exception)
		}
		row[10] = txt(c.placement)
		row[11] = txt(c.la)
		row[12] = date(c.dob)
		row[13] = txt(c.eth)
		if err := d.out.get(ehcpKey(cy)).write(row); err != nil {
			return err
		}
	}
	return nil
}
