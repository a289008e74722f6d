package metrics

import (
	"database/sql"
	"fmt"
	"testing"
)

// The Priority 1 and 5 fixture: a small hand-made borough, inserted into the
// raw tables, built with the embedded pipelines and seeds, every figure below
// worked out by hand.
//
// School register 2024/25 (state-funded unless said):
//
//	100001 Alpha Primary     primary    community  Clapton  ARP 10
//	100002 Beta Primary      primary    academy    Hoxton
//	100006 Zeta Primary      primary    community  Clapton
//	100003 Gamma Secondary   secondary  academy    Hoxton   ARP 15
//	100004 Delta Special     special    special    Clapton  net capacity 120
//	100005 Epsilon School    secondary  independent         ARP 5 (not counted)
//	100007 Old Special       special    special    Hoxton   net capacity 60, closed (not counted)
//
// 2023/24 register: Alpha (ARP 10) and Delta (net capacity 100) only.
//
// January census 2025-01-16, by school: ethnicity sen_provision need x count
// (pupils in N are gender F, in K or E gender M; FSM = ethnicity BCRB):
//
//	Alpha  20: BCRB K SEMH 1, BCRB K MLD 1, WBRI K SLCN 1, WBRI K SPLD 1,
//	           WBRI E ASD 1, BCRB N 3, WTUR N 2, WBRI N 10
//	           + 1 BCRB K with enrolment S (subsidiary: not counted)
//	Beta   10: WTUR K SLCN 1, WKUR E SLCN 1, WTUR N 3, WBRI N 5
//	Zeta   10: BCRB K SEMH 1, WBRI K SEMH 1, WBRI K MLD 1, WBRI N 7
//	Gamma  20: BCRB K SEMH 1, WBRI K SPLD 1, BCRB E SEMH 1, WTUC E SLCN 1,
//	           BCRB N 4, WTUR N 2, WBRI N 10
//	Delta   5: BCRB E SEMH 2, WBRI E ASD 3
//	Epsilon 3: WBRI K (independent: not counted)
//	+ an October 2024 census of Alpha with 4 pupils K (not January: not counted)
//
// Headcount 65. K: 4 + 1 + 3 + 2 + 0 = 10. E: 1 + 1 + 0 + 2 + 5 = 9.
// BCRB pupils: Alpha 5, Zeta 1, Gamma 6, Delta 2 = 14, of whom K: 2+1+1 = 4.
// TKTC pupils (WTUR, WKUR, WTUC): Alpha 2, Beta 5, Gamma 3 = 10.
func p1p5Fixture(t testing.TB) (*sql.DB, int64) {
	t.Helper()
	db, run := newReturnsWarehouse(t)
	type school struct {
		ay, name, phase, typ, hood string
		urn, capacity, arp         int64
		status                     string
	}
	for i, s := range []school{
		{"2024/25", "Alpha Primary", "primary", "community", "Clapton", 100001, 420, 10, "open"},
		{"2024/25", "Beta Primary", "primary", "academy", "Hoxton", 100002, 210, 0, "open"},
		{"2024/25", "Zeta Primary", "primary", "community", "Clapton", 100006, 210, 0, "open"},
		{"2024/25", "Gamma Secondary", "secondary", "academy", "Hoxton", 100003, 900, 15, "open"},
		{"2024/25", "Delta Special", "special", "special", "Clapton", 100004, 120, 0, "open"},
		{"2024/25", "Epsilon School", "secondary", "independent", "Hoxton", 100005, 300, 5, "open"},
		{"2024/25", "Old Special", "special", "special", "Hoxton", 100007, 60, 0, "closed"},
		{"2023/24", "Alpha Primary", "primary", "community", "Clapton", 100001, 420, 10, "open"},
		{"2023/24", "Delta Special", "special", "special", "Clapton", 100004, 100, 0, "open"},
	} {
		mustExec(t, db, `insert into raw.schools values (1, 'schools.csv', null, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, null, null, ?, null)`,
			i+2, s.ay, s.urn, s.name, s.phase, s.typ, s.typ == "community", s.hood, s.capacity, s.arp, s.status)
	}
	n := 0
	add := func(date string, urn int64, count int, eth, sen, need, enrol string) {
		for range count {
			n++
			gender := "F"
			if sen != "N" {
				gender = "M"
			}
			mustExec(t, db, `insert into raw.census values (2, 'census.csv', null, ?, ?, ?, ?, '3', ?, ?, ?, ?, nullif(?, ''), null, ?, pm_academic_year(cast(? as date)), null)`,
				n+1, date, urn, fmt.Sprintf("u%06d", n), gender, eth, eth == "BCRB", sen, need, enrol, date)
		}
	}
	const jan = "2025-01-16"
	// Alpha
	add(jan, 100001, 1, "BCRB", "K", "SEMH", "C")
	add(jan, 100001, 1, "BCRB", "K", "MLD", "C")
	add(jan, 100001, 1, "WBRI", "K", "SLCN", "C")
	add(jan, 100001, 1, "WBRI", "K", "SPLD", "M")
	add(jan, 100001, 1, "WBRI", "E", "ASD", "C")
	add(jan, 100001, 3, "BCRB", "N", "", "C")
	add(jan, 100001, 2, "WTUR", "N", "", "C")
	add(jan, 100001, 10, "WBRI", "N", "", "C")
	add(jan, 100001, 1, "BCRB", "K", "SEMH", "S")
	// Beta
	add(jan, 100002, 1, "WTUR", "K", "SLCN", "C")
	add(jan, 100002, 1, "WKUR", "E", "SLCN", "C")
	add(jan, 100002, 3, "WTUR", "N", "", "C")
	add(jan, 100002, 5, "WBRI", "N", "", "C")
	// Zeta
	add(jan, 100006, 1, "BCRB", "K", "SEMH", "C")
	add(jan, 100006, 1, "WBRI", "K", "SEMH", "C")
	add(jan, 100006, 1, "WBRI", "K", "MLD", "C")
	add(jan, 100006, 7, "WBRI", "N", "", "C")
	// Gamma
	add(jan, 100003, 1, "BCRB", "K", "SEMH", "C")
	add(jan, 100003, 1, "WBRI", "K", "SPLD", "C")
	add(jan, 100003, 1, "BCRB", "E", "SEMH", "C")
	add(jan, 100003, 1, "WTUC", "E", "SLCN", "C")
	add(jan, 100003, 4, "BCRB", "N", "", "C")
	add(jan, 100003, 2, "WTUR", "N", "", "C")
	add(jan, 100003, 10, "WBRI", "N", "", "C")
	// Delta
	add(jan, 100004, 2, "BCRB", "E", "SEMH", "C")
	add(jan, 100004, 3, "WBRI", "E", "ASD", "C")
	// not counted
	add(jan, 100005, 3, "WBRI", "K", "MLD", "C")
	add("2024-10-03", 100001, 4, "WBRI", "K", "MLD", "C")
	return db, run
}

// addEHCPCases inserts the EHC needs assessment cases. Days from request to
// final plan, and from EP request to EP advice, worked out on a calendar:
//
//	case request    plan        days  exc  eth   placement (LA)                 EP requested -> issued (days)
//	c1   2024-01-10 2024-05-20  131   no   BCRB  maintained special (204)       2024-01-20 -> 2024-02-28 (39)
//	c2   2024-02-01 2024-06-25  145   no   WBRI  independent special (202)      2024-02-10 -> 2024-03-30 (49)
//	c3   2024-03-01 2024-07-25  146   yes  WTUR  resourced provision (204)      -
//	c4   2024-05-01 2024-09-18  140   no   WBRI  independent special (E09000012) 2024-05-10 -> 2024-06-21 (42)
//	c5   2024-04-01 2024-12-01  244   no   BCRB  independent special (211)      2024-09-05 -> 2024-10-20 (45)
//	c6   2024-10-01 -           -     -    WBRI  refused
//	c7   2025-01-15 2025-05-30  135   null BCRB  maintained special (blank LA)  2025-01-20 -> 2025-03-01 (40)
//	c8   2025-02-01 -           -     -    blank ongoing
//	c9   2018-01-10 2018-05-01  111   no   WBRI  independent special (E09000002), born 1999-03-01
//	c10  2025-09-10 -           -     -    WBRI  ongoing
//
// The return's latest date is 2025-09-10 (c10): periods ending after it
// (academic 2025/26, calendar 2025) are flagged partial_period; 2024/25 is
// complete.
func addEHCPCases(t testing.TB, db *sql.DB) {
	t.Helper()
	type c struct {
		id, req, plan, exc, eth, ptype, la, epReq, epIss, dob string
	}
	for i, x := range []c{
		{"c1", "2024-01-10", "2024-05-20", "false", "BCRB", "maintained special", "204", "2024-01-20", "2024-02-28", ""},
		{"c2", "2024-02-01", "2024-06-25", "false", "WBRI", "independent special", "202", "2024-02-10", "2024-03-30", ""},
		{"c3", "2024-03-01", "2024-07-25", "true", "WTUR", "resourced provision", "204", "", "", ""},
		{"c4", "2024-05-01", "2024-09-18", "false", "WBRI", "independent special", "E09000012", "2024-05-10", "2024-06-21", ""},
		{"c5", "2024-04-01", "2024-12-01", "false", "BCRB", "independent special", "211", "2024-09-05", "2024-10-20", ""},
		{"c6", "2024-10-01", "", "false", "WBRI", "", "", "", "", ""},
		{"c7", "2025-01-15", "2025-05-30", "", "BCRB", "maintained special", "", "2025-01-20", "2025-03-01", ""},
		{"c8", "2025-02-01", "", "false", "", "", "", "", "", ""},
		{"c9", "2018-01-10", "2018-05-01", "false", "WBRI", "independent special", "E09000002", "", "", "1999-03-01"},
		{"c10", "2025-09-10", "", "false", "WBRI", "", "", "", "", ""},
	} {
		mustExec(t, db, `insert into raw.ehcp values (3, 'ehcp.csv', null, ?, ?, null,
			cast(? as date), null, null, cast(nullif(?, '') as date), cast(nullif(?, '') as date),
			cast(nullif(?, '') as date), null, cast(nullif(?, '') as boolean), nullif(?, ''), nullif(?, ''),
			cast(nullif(?, '') as date), nullif(?, ''), null)`,
			i+2, x.id, x.req, x.epReq, x.epIss, x.plan, x.exc, x.ptype, x.la, x.dob, x.eth)
	}
}

func TestP1CensusMetrics(t *testing.T) {
	db, run := p1p5Fixture(t)
	mustBuild(t, db, testOptions(t, run, nil))
	const p = "2025-01-16"
	school := func(metric, urn, phase string) mvRow {
		return getRow(t, db, metric, "value", p, "school", urn, phase, "all", "all")
	}
	hood := func(metric, name string) mvRow {
		return getRow(t, db, metric, "value", p, "neighbourhood", name, "all", "all", "all")
	}

	// p1_sen_support_pct: 10 K / 65 = 15.385%. Wilson (z = 1.96, p = 10/65,
	// n = 65): (p + z²/2n -/+ z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
	// = (0.153846 + 0.029551 -/+ 0.090023) / 1.059102 -> 8.577 .. 26.056.
	r := boroughRow(t, db, "p1_sen_support_pct", "value", p, "all", "all")
	near(t, "sen support", r.Value, 15.385)
	near(t, "sen support numerator", r.Num, 10)
	near(t, "sen support denominator", r.Den, 65)
	near(t, "sen support ci_lower", r.Lo, 8.577)
	near(t, "sen support ci_upper", r.Hi, 26.056)
	if r.Unit != "percent" || r.Status != "no_target" {
		t.Errorf("sen support unit %q status %q, want percent no_target (first period)", r.Unit, r.Status)
	}
	// primary: Alpha 4 + Beta 1 + Zeta 3 = 8 of 20 + 10 + 10 = 40 -> 20%.
	near(t, "sen support primary", getRow(t, db, "p1_sen_support_pct", "value", p, "borough", BoroughCode, "primary", "all", "all").Value, 20)
	// Black Caribbean: 4 K of 14 -> 28.571%.
	near(t, "sen support BCRB", boroughRow(t, db, "p1_sen_support_pct", "value", p, "ethnicity", "BCRB").Value, 28.571)
	near(t, "sen support Black", boroughRow(t, db, "p1_sen_support_pct", "value", p, "ethnicity_group", "Black").Value, 28.571)
	// FSM = the 14 BCRB pupils; not FSM: 6 K of 51 -> 11.765%.
	near(t, "sen support not FSM", boroughRow(t, db, "p1_sen_support_pct", "value", p, "fsm", "not eligible").Value, 11.765)
	// gender M = the 19 K/E pupils: 10 / 19 = 52.632%.
	near(t, "sen support M", boroughRow(t, db, "p1_sen_support_pct", "value", p, "gender", "M").Value, 52.632)
	// Clapton: Alpha 4 + Zeta 3 + Delta 0 = 7 of 20 + 10 + 5 = 35 -> 20%;
	// Hoxton: Beta 1 + Gamma 2 = 3 of 30 -> 10%.
	near(t, "sen support Clapton", hood("p1_sen_support_pct", "Clapton").Value, 20)
	near(t, "sen support Hoxton", hood("p1_sen_support_pct", "Hoxton").Value, 10)
	// Alpha: 4 of 20 (the subsidiary K and the October census not counted).
	near(t, "sen support Alpha", school("p1_sen_support_pct", "100001", "primary").Value, 20)

	// p1_ehcp_pct: 9 E / 65 = 13.846%; Wilson 7.459 .. 24.268. Delta 5/5.
	r = boroughRow(t, db, "p1_ehcp_pct", "value", p, "all", "all")
	near(t, "ehcp", r.Value, 13.846)
	near(t, "ehcp ci_lower", r.Lo, 7.459)
	near(t, "ehcp ci_upper", r.Hi, 24.268)
	near(t, "ehcp Delta", school("p1_ehcp_pct", "100004", "special").Value, 100)

	// p1_ehcp_mainstream_pct: E in mainstream Alpha 1 + Beta 1 + Gamma 2 = 4
	// of 9 -> 44.444% (Wilson 18.878 .. 73.335); Clapton: Alpha 1 of
	// Alpha 1 + Delta 5 -> 16.667%; BCRB: Gamma 1 of Gamma 1 + Delta 2 -> 33.333%.
	r = boroughRow(t, db, "p1_ehcp_mainstream_pct", "value", p, "all", "all")
	near(t, "ehcp mainstream", r.Value, 44.444)
	near(t, "ehcp mainstream numerator", r.Num, 4)
	near(t, "ehcp mainstream denominator", r.Den, 9)
	near(t, "ehcp mainstream ci_lower", r.Lo, 18.878)
	near(t, "ehcp mainstream ci_upper", r.Hi, 73.335)
	near(t, "ehcp mainstream Clapton", hood("p1_ehcp_mainstream_pct", "Clapton").Value, 16.667)
	near(t, "ehcp mainstream BCRB", boroughRow(t, db, "p1_ehcp_mainstream_pct", "value", p, "ethnicity", "BCRB").Value, 33.333)

	// p1_sen_identification_spread, SEN support % of mainstream schools:
	// Alpha 20, Beta 10, Zeta 30 (primary), Gamma 10 (secondary).
	// primary sorted 10, 20, 30: Q1 = 15, Q3 = 25 (positions 0.5 and 1.5)
	// -> IQR 10; sd 10 / mean 20 -> cv 0.5.
	// all sorted 10, 10, 20, 30: Q1 at 0.75 = 10, Q3 at 2.25 = 20 + 0.25·10
	// = 22.5 -> IQR 12.5; mean 17.5, sd sqrt((56.25+56.25+6.25+156.25)/3)
	// = 9.574 -> cv 0.547. Secondary has one school: no row.
	spread := func(phase, measure string) mvRow {
		return getRow(t, db, "p1_sen_identification_spread", measure, p, "borough", BoroughCode, phase, "all", "all")
	}
	near(t, "spread primary", spread("primary", "value").Value, 10)
	near(t, "spread primary cv", spread("primary", "cv").Value, 0.5)
	near(t, "spread primary schools", spread("primary", "value").Den, 3)
	near(t, "spread all", spread("all", "value").Value, 12.5)
	near(t, "spread all cv", spread("all", "cv").Value, 0.547)
	if n := countRows(t, db, `select count(*) from indicators.metric_values where metric_id = 'p1_sen_identification_spread' and phase = 'secondary'`); n != 0 {
		t.Errorf("spread has %d secondary rows from one school, want 0", n)
	}

	// p1_specialist_places 2024/25: Delta 120 + ARP Alpha 10 + Gamma 15 = 145
	// (independent Epsilon and closed Old Special not counted); 2023/24:
	// 100 + 10 = 110 -> change +35, on track (up). Clapton 120 + 10 = 130.
	r = boroughRow(t, db, "p1_specialist_places", "value", "2024/25", "all", "all")
	near(t, "places", r.Value, 145)
	near(t, "places previous", r.Prev, 110)
	near(t, "places change", r.Change, 35)
	if r.Status != "on_track" {
		t.Errorf("places status %q, want on_track", r.Status)
	}
	near(t, "special places", boroughRow(t, db, "p1_specialist_places", "special_school_places", "2024/25", "all", "all").Value, 120)
	near(t, "arp places", boroughRow(t, db, "p1_specialist_places", "arp_places", "2024/25", "all", "all").Value, 25)
	near(t, "places Clapton", getRow(t, db, "p1_specialist_places", "value", "2024/25", "neighbourhood", "Clapton", "all", "all", "all").Value, 130)
}

func TestP1EHCPMetrics(t *testing.T) {
	db, run := p1p5Fixture(t)
	addEHCPCases(t, db)
	mustBuild(t, db, testOptions(t, run, nil))

	// p1_ehcp_20wk_pct, calendar 2024: issued c1 (131), c2 (145), c3 (146,
	// exception), c4 (140: exactly 20 weeks counts), c5 (244).
	// Excluding exceptions: within c1, c4 of c1, c2, c4, c5 -> 2/4 = 50%,
	// Wilson 15.004 .. 84.996. Including: 2/5 = 40%.
	r := boroughRow(t, db, "p1_ehcp_20wk_pct", "value", "2024", "all", "all")
	near(t, "20wk 2024", r.Value, 50)
	near(t, "20wk 2024 denominator", r.Den, 4)
	near(t, "20wk 2024 ci_lower", r.Lo, 15.004)
	near(t, "20wk 2024 ci_upper", r.Hi, 84.996)
	near(t, "20wk 2024 incl exceptions", boroughRow(t, db, "p1_ehcp_20wk_pct", "incl_exceptions", "2024", "all", "all").Value, 40)
	// Academic 2024/25: c4 (Sep 2024, within), c5 (Dec 2024, not), c7 (May
	// 2025, 135, exception blank = no) -> 2/3 = 66.667%; 2023/24: c1, c2 ->
	// 1/2 = 50%: change +16.667, on track.
	r = boroughRow(t, db, "p1_ehcp_20wk_pct", "value", "2024/25", "all", "all")
	near(t, "20wk 2024/25", r.Value, 66.667)
	near(t, "20wk 2024/25 previous", r.Prev, 50)
	near(t, "20wk 2024/25 change", r.Change, 16.667)
	if r.Status != "on_track" {
		t.Errorf("20wk 2024/25 status %q, want on_track", r.Status)
	}
	// Calendar 2018 (c9) is 6 years before 2024: not its previous period.
	isNull(t, "20wk 2024 previous", boroughRow(t, db, "p1_ehcp_20wk_pct", "value", "2024", "all", "all").Prev)
	// Calendar 2018 (c9, 111 days: 100%) starts before the return's first
	// date (2018-01-10): partial, not judged.
	if r := boroughRow(t, db, "p1_ehcp_20wk_pct", "value", "2018", "all", "all"); r.Flag != "partial_period" || r.Status != "no_target" {
		t.Errorf("20wk 2018 flag %q status %q, want partial_period no_target", r.Flag, r.Status)
	}
	// Black Caribbean 2024/25: c5 (not), c7 (within) -> 50%.
	near(t, "20wk BCRB 2024/25", boroughRow(t, db, "p1_ehcp_20wk_pct", "value", "2024/25", "focus_group", "Black Caribbean").Value, 50)

	// p1_ep_advice_6wk_pct, calendar 2024: c1 39, c2 49, c4 42, c5 45 ->
	// within 42 days: c1, c4 -> 2/4 = 50%; academic 2023/24: c1, c2, c4 ->
	// 2/3 = 66.667% (Wilson 20.765 .. 93.851); 2024/25: c5, c7 -> 1/2 = 50%.
	near(t, "ep 2024", boroughRow(t, db, "p1_ep_advice_6wk_pct", "value", "2024", "all", "all").Value, 50)
	r = boroughRow(t, db, "p1_ep_advice_6wk_pct", "value", "2023/24", "all", "all")
	near(t, "ep 2023/24", r.Value, 66.667)
	near(t, "ep 2023/24 ci_lower", r.Lo, 20.765)
	near(t, "ep 2023/24 ci_upper", r.Hi, 93.851)
	r = boroughRow(t, db, "p1_ep_advice_6wk_pct", "value", "2024/25", "all", "all")
	near(t, "ep 2024/25", r.Value, 50)
	if r.Status != "off_track" {
		t.Errorf("ep 2024/25 status %q, want off_track (66.7 -> 50, direction up)", r.Status)
	}

	// p1_ehc_requests by request date. Academic 2023/24: c1 c2 c3 c4 c5 = 5;
	// 2024/25: c6 c7 c8 = 3 -> change -2, on track (down). Per 10,000 in
	// 2024/25: 3 / 65 x 10000 = 461.538. Calendar 2025: c7 c8 c10 = 3, over
	// the January 2025 census: 3 / 65 x 10000 = 461.538, a partial period
	// (not judged). Calendar 2024 (6 requests) has no January 2024 census:
	// no per_10000 row.
	r = boroughRow(t, db, "p1_ehc_requests", "value", "2024/25", "all", "all")
	near(t, "requests 2024/25", r.Value, 3)
	near(t, "requests change", r.Change, -2)
	if r.Status != "on_track" || r.Unit != "count" {
		t.Errorf("requests status %q unit %q, want on_track count", r.Status, r.Unit)
	}
	near(t, "requests 2024 calendar", boroughRow(t, db, "p1_ehc_requests", "value", "2024", "all", "all").Value, 6)
	r = boroughRow(t, db, "p1_ehc_requests", "per_10000", "2024/25", "all", "all")
	near(t, "requests per 10000", r.Value, 461.538)
	near(t, "requests per 10000 denominator", r.Den, 65)
	r = boroughRow(t, db, "p1_ehc_requests", "per_10000", "2025", "all", "all")
	near(t, "requests per 10000 calendar 2025", r.Value, 461.538)
	if r.Flag != "partial_period" || r.Status != "no_target" || r.Target.Valid {
		t.Errorf("calendar 2025 flag %q status %q target %v, want partial_period no_target NULL", r.Flag, r.Status, r.Target)
	}
	if r := boroughRow(t, db, "p1_ehc_requests", "value", "2024/25", "all", "all"); r.Flag != "" {
		t.Errorf("2024/25 flagged %q, want complete", r.Flag)
	}
	if n := countRows(t, db, `select count(*) from indicators.metric_values where metric_id = 'p1_ehc_requests' and measure = 'per_10000' and period = '2024'`); n != 0 {
		t.Errorf("per_10000 rows for 2024 without a census: %d, want 0", n)
	}
	// Black Caribbean 2024/25: c7 -> 1 request per 14 BCRB pupils = 714.286.
	near(t, "requests BCRB per 10000", boroughRow(t, db, "p1_ehc_requests", "per_10000", "2024/25", "focus_group", "Black Caribbean").Value, 714.286)

	// p1_out_of_borough_specialist, plans in place on 31 August:
	// 2023/24: c1, c2, c3 (c9 turned 25 on 2024-03-01) -> out of borough
	//   specialist c2 -> 1 of 3 = 33.333%
	// 2024/25: c1, c2, c3, c4, c5, c7 -> c2, c5 = 2 (c4 is Hackney's own
	//   E09000012, c7 has no LA) -> 2 of 6 = 33.333% (Wilson 9.677 .. 70.001);
	//   change +1, off track (down)
	// 2022/23: c9 only (24 years old) -> 1.
	r = boroughRow(t, db, "p1_out_of_borough_specialist", "value", "2024/25", "all", "all")
	near(t, "oob 2024/25", r.Value, 2)
	near(t, "oob previous", r.Prev, 1)
	if r.Status != "off_track" {
		t.Errorf("oob status %q, want off_track", r.Status)
	}
	r = boroughRow(t, db, "p1_out_of_borough_specialist", "pct_of_plans", "2024/25", "all", "all")
	near(t, "oob pct", r.Value, 33.333)
	near(t, "oob pct denominator", r.Den, 6)
	near(t, "oob pct ci_lower", r.Lo, 9.677)
	near(t, "oob pct ci_upper", r.Hi, 70.001)
	near(t, "oob 2023/24", boroughRow(t, db, "p1_out_of_borough_specialist", "value", "2023/24", "all", "all").Value, 1)
	near(t, "oob 2022/23", boroughRow(t, db, "p1_out_of_borough_specialist", "value", "2022/23", "all", "all").Value, 1)
	near(t, "oob independent special", boroughRow(t, db, "p1_out_of_borough_specialist", "value", "2024/25", "placement_type", "independent special").Value, 2)
	// Black Caribbean plans in place 2024/25: c1, c5, c7; out of borough c5.
	near(t, "oob BCRB pct", boroughRow(t, db, "p1_out_of_borough_specialist", "pct_of_plans", "2024/25", "focus_group", "Black Caribbean").Value, 33.333)
}

func TestP1HighNeedsBalance(t *testing.T) {
	db, run := newReturnsWarehouse(t)
	for i, d := range []struct {
		fy, block        string
		alloc, exp, cumb float64
	}{
		{"2023-24", "high needs", 50e6, 53e6, -8e6},
		{"2024-25", "high needs", 52e6, 53.5e6, -9.5e6},
		{"2025-26", "high needs", 55e6, 54e6, -8.5e6},
		{"2025-26", "schools", 150e6, 149e6, 2e6},
	} {
		mustExec(t, db, `insert into raw.dsg values (4, 'dsg.csv', null, ?, ?, ?, ?, ?, ?, null)`, i+2, d.fy, d.block, d.alloc, d.exp, d.cumb)
	}
	mustBuild(t, db, testOptions(t, run, nil))
	// 2025-26: cumulative -8.5m, previous -9.5m: change +1.0m; the target
	// (seeds/targets.csv: improve) is the previous value; on track (up).
	r := boroughRow(t, db, "p1_high_needs_balance", "value", "2025-26", "all", "all")
	near(t, "hnb", r.Value, -8_500_000)
	near(t, "hnb change", r.Change, 1_000_000)
	near(t, "hnb target", r.Target, -9_500_000)
	if r.Status != "on_track" || r.Unit != "gbp" {
		t.Errorf("hnb status %q unit %q, want on_track gbp", r.Status, r.Unit)
	}
	// 2024-25: -9.5m after -8m: deficit grew, off track.
	if s := boroughRow(t, db, "p1_high_needs_balance", "value", "2024-25", "all", "all").Status; s != "off_track" {
		t.Errorf("hnb 2024-25 status %q, want off_track", s)
	}
	// in-year balance: 55m - 54m = +1m >= target 0: on track; 2024-25:
	// 52m - 53.5m = -1.5m: off track.
	r = boroughRow(t, db, "p1_high_needs_balance", "in_year_balance", "2025-26", "all", "all")
	near(t, "hnb in year", r.Value, 1_000_000)
	near(t, "hnb in year target", r.Target, 0)
	if r.Status != "on_track" {
		t.Errorf("hnb in-year status %q, want on_track", r.Status)
	}
	if s := boroughRow(t, db, "p1_high_needs_balance", "in_year_balance", "2024-25", "all", "all").Status; s != "off_track" {
		t.Errorf("hnb in-year 2024-25 status %q, want off_track", s)
	}
}

func TestP5Metrics(t *testing.T) {
	db, run := p1p5Fixture(t)
	mustBuild(t, db, testOptions(t, run, nil))
	const p = "2025-01-16"

	// p5_sen_representation, Black Caribbean: n = 14 of N = 65 pupils, k = 4
	// of K = 10 on SEN support.
	// value = (4/10) / (14/65) = 0.4 / 0.215385 = 1.857.
	// risk ratio = (4/14) / ((10-4)/(65-14)) = 0.285714 / 0.117647 = 2.429;
	// se(ln) = sqrt(1/4 - 1/14 + 1/6 - 1/51) = 0.570640,
	// CI = exp(ln 2.428571 -/+ 1.96 x 0.570640) = 0.794 .. 7.432.
	// k = 4 < min_events 10: flag small_group.
	fg := func(measure, group string) mvRow {
		return boroughRow(t, db, "p5_sen_representation", measure, p, "focus_group", group)
	}
	r := fg("value", "Black Caribbean")
	near(t, "representation BC", r.Value, 1.857)
	near(t, "representation BC numerator", r.Num, 4)
	near(t, "representation BC denominator", r.Den, 14)
	if r.Flag != "small_group" || r.Unit != "ratio" {
		t.Errorf("representation BC flag %q unit %q, want small_group ratio", r.Flag, r.Unit)
	}
	r = fg("risk_ratio", "Black Caribbean")
	near(t, "risk ratio BC", r.Value, 2.429)
	near(t, "risk ratio BC ci_lower", r.Lo, 0.794)
	near(t, "risk ratio BC ci_upper", r.Hi, 7.432)
	// SEMH (K or E with need SEMH): BC s = 6 (Alpha 1, Zeta 1, Gamma 2,
	// Delta 2) of S = 7 (plus Zeta's WBRI). semh = (6/7) / (14/65) = 3.980;
	// semh risk ratio = (6/14) / (1/51) = 21.857.
	near(t, "semh BC", fg("semh", "Black Caribbean").Value, 3.980)
	near(t, "semh risk ratio BC", fg("semh_risk_ratio", "Black Caribbean").Value, 21.857)
	// TKTC: 10 pupils, 1 on SEN support (Beta's WTUR): (1/10) / (10/65) = 0.65.
	near(t, "representation TKTC", fg("value", "Turkish, Kurdish and Turkish Cypriot").Value, 0.65)
	// Towards 1: with no earlier census, no target yet.
	if r.Status != "no_target" {
		t.Errorf("risk ratio status %q, want no_target", r.Status)
	}

	// p5_tktc_slcn_pct: TKTC pupils 10, with K/E and SLCN: Beta WTUR K,
	// Beta WKUR E, Gamma WTUC E = 3 -> 30%; Wilson 10.779 .. 60.323.
	// Other pupils: 55, SLCN Alpha's WBRI K = 1 -> 1.818%.
	// risk ratio = 0.3 / (1/55) = 16.5; se = sqrt(1/3 - 1/10 + 1/1 - 1/55)
	// = 1.102339, CI = exp(ln 16.5 -/+ 2.160584) = 1.902 .. 143.157.
	r = boroughRow(t, db, "p5_tktc_slcn_pct", "value", p, "all", "all")
	near(t, "tktc slcn", r.Value, 30)
	near(t, "tktc slcn numerator", r.Num, 3)
	near(t, "tktc slcn denominator", r.Den, 10)
	near(t, "tktc slcn ci_lower", r.Lo, 10.779)
	near(t, "tktc slcn ci_upper", r.Hi, 60.323)
	near(t, "tktc other pupils", boroughRow(t, db, "p5_tktc_slcn_pct", "other_pupils", p, "all", "all").Value, 1.818)
	r = boroughRow(t, db, "p5_tktc_slcn_pct", "risk_ratio", p, "all", "all")
	near(t, "tktc risk ratio", r.Value, 16.5)
	near(t, "tktc risk ratio ci_lower", r.Lo, 1.902)
	near(t, "tktc risk ratio ci_upper", r.Hi, 143.157)
	if r.Flag != "small_group" {
		t.Errorf("tktc risk ratio flag %q, want small_group (3 events, 10 pupils)", r.Flag)
	}
	// Beta: 5 TKTC pupils, 2 with SLCN -> 40%. WTUR: Alpha 2 + Beta 4 +
	// Gamma 2 = 8 pupils, 1 with SLCN (Beta's K) -> 12.5%.
	near(t, "tktc Beta", getRow(t, db, "p5_tktc_slcn_pct", "value", p, "school", "100002", "primary", "all", "all").Value, 40)
	near(t, "tktc WTUR", boroughRow(t, db, "p5_tktc_slcn_pct", "value", p, "ethnicity", "WTUR").Value, 12.5)
	// Zeta has no TKTC pupils: no row.
	if n := countRows(t, db, `select count(*) from indicators.metric_values where metric_id = 'p5_tktc_slcn_pct' and geography_code = '100006'`); n != 0 {
		t.Errorf("tktc rows for a school without TKTC pupils: %d", n)
	}
}

// TestP5ExclusionDisproportionality checks that the metric passes on the
// focus-group rows of p2_exclusion_risk_ratio (its dependency) unchanged.
func TestP5ExclusionDisproportionality(t *testing.T) {
	db, run := p1p5Fixture(t)
	// Suspensions 2024/25 at Gamma and Alpha: BCRB pupils 3 events, others 2.
	for i, e := range []struct {
		urn       int64
		upn, date string
	}{
		{100003, "u000047", "2024-11-05"}, // Gamma BCRB N
		{100003, "u000047", "2025-02-05"},
		{100003, "u000048", "2025-03-05"}, // Gamma BCRB N
		{100003, "u000056", "2025-03-06"}, // Gamma WBRI N
		{100001, "u000015", "2025-04-01"}, // Alpha WBRI N
	} {
		mustExec(t, db, `insert into raw.exclusions values (5, 'excl.csv', null, ?, ?, ?, 'SUSP', cast(? as date), 2, 'DB', null, null, null, null, pm_academic_year(cast(? as date)), null)`,
			i+2, e.urn, e.upn, e.date, e.date)
	}
	checkPupil := func(upn, eth string) {
		t.Helper()
		var got string
		if err := db.QueryRow(`select ethnicity from raw.census where upn = ? and census_date = '2025-01-16'`, upn).Scan(&got); err != nil || got != eth {
			t.Fatalf("fixture pupil %s: ethnicity %q (%v), want %s", upn, got, err, eth)
		}
	}
	checkPupil("u000047", "BCRB")
	checkPupil("u000048", "BCRB")
	checkPupil("u000056", "WBRI")
	checkPupil("u000015", "WBRI")
	mustBuild(t, db, testOptions(t, run, nil))
	// Black Caribbean: 3 suspensions / 14 pupils vs 2 / 51 others:
	// (3/14) / (2/51) = 0.214286 / 0.039216 = 5.464.
	r := boroughRow(t, db, "p5_exclusion_disproportionality", "suspension", "2024/25", "focus_group", "Black Caribbean")
	near(t, "exclusion RR BC", r.Value, 5.464)
	near(t, "exclusion RR BC numerator", r.Num, 3)
	near(t, "exclusion RR BC denominator", r.Den, 14)
	p2 := boroughRow(t, db, "p2_exclusion_risk_ratio", "suspension", "2024/25", "focus_group", "Black Caribbean")
	if p2.Value != r.Value || p2.Lo != r.Lo || p2.Flag != r.Flag {
		t.Errorf("p5 row %+v differs from p2 row %+v", r, p2)
	}
	if n := countRows(t, db, `select count(*) from indicators.metric_values where metric_id = 'p5_exclusion_disproportionality' and breakdown <> 'focus_group'`); n != 0 {
		t.Errorf("%d rows outside the focus groups", n)
	}
}

func countRows(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// BenchmarkBuild times a whole build (seeds, core, all 41 catalogue
// metrics, status, views) on the Priority 1 and 5 fixture with EHC cases.
func BenchmarkBuild(b *testing.B) {
	db, run := p1p5Fixture(b)
	addEHCPCases(b, db)
	opts := testOptions(b, run, nil)
	for b.Loop() {
		mustBuild(b, db, opts)
	}
}

// TestP1OutOfBoroughSpecialistPerChild checks that a child counts once, by
// the placement of their latest plan: a new plan replaces the old one, so an
// out-of-borough placement a child has left is no longer in place.
//
//	case child issued     placement (LA)
//	k1   A     2023-03-01 independent special (210)  out of borough
//	k2   A     2024-11-10 mainstream (204)           replaces k1
//	k3   B     2023-05-01 mainstream (204)
//	k4   B     2025-02-01 maintained special (316)   out of borough, replaces k3
//	k5   -     2024-01-15 independent special (202)  out of borough, no upn: the case is the child
//	k6   E     2025-09-15 (request only)             the return runs past 31 August 2025
//
// Children with a plan on 31 August (their latest plan):
//
//	2022/23: A k1 (out), B k3            -> 1 of 2 = 50.000%
//	2023/24: A k1 (out), B k3, k5 (out)  -> 2 of 3 = 66.667%
//	2024/25: A k2, B k4 (out), k5 (out)  -> 2 of 3 = 66.667%; by placement
//	         type: independent special 1 (k5), maintained special 1 (k4)
//
// Counting every plan ever issued instead would give 2024/25 k1, k4, k5 = 3
// of 5 plans (60%) and 2 independent special: A's old placement would count.
func TestP1OutOfBoroughSpecialistPerChild(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct{ id, upn, req, plan, ptype, la string }{
		{"k1", "child-a", "2022-10-01", "2023-03-01", "independent special", "210"},
		{"k2", "child-a", "2024-06-01", "2024-11-10", "mainstream", "204"},
		{"k3", "child-b", "2022-12-01", "2023-05-01", "mainstream", "204"},
		{"k4", "child-b", "2024-09-20", "2025-02-01", "maintained special", "316"},
		{"k5", "", "2023-09-01", "2024-01-15", "independent special", "202"},
		{"k6", "child-e", "2025-09-15", "", "", ""},
	} {
		l1, l2, l3, l4 := f.lineage()
		f.exec(`insert into raw.ehcp values (?, ?, ?, ?, ?, ?, cast(? as date), null, 'assess', null, null,
			cast(nullif(?, '') as date), case when ? = '' then 'ongoing' else 'plan issued' end, false,
			nullif(?, ''), nullif(?, ''), null, null, null)`,
			l1, l2, l3, l4, c.id, nullIfEmpty(c.upn), c.req, c.plan, c.plan, c.ptype, c.la)
	}
	got := f.run("p1_out_of_borough_specialist")
	k := func(measure, year, breakdown, value string) string {
		return measure + "|" + year + "|" + borough + "|all|" + breakdown + "|" + value
	}
	checkRows(t, got, []fxWant{
		{key: k("value", "2022/23", "all", "all"), num: 1, den: fxNull, value: 1},
		{key: k("pct_of_plans", "2022/23", "all", "all"), num: 1, den: 2, value: 50},
		{key: k("value", "2023/24", "all", "all"), num: 2, den: fxNull, value: 2},
		{key: k("pct_of_plans", "2023/24", "all", "all"), num: 2, den: 3, value: 66.667},
		{key: k("value", ay2425, "all", "all"), num: 2, den: fxNull, value: 2},
		{key: k("pct_of_plans", ay2425, "all", "all"), num: 2, den: 3, value: 66.667},
		{key: k("value", ay2425, "placement_type", "independent special"), num: 1, den: fxNull, value: 1},
		{key: k("value", ay2425, "placement_type", "maintained special"), num: 1, den: fxNull, value: 1},
	})
}
