package metrics

import (
	"database/sql"
	"testing"
)

// Keys are measure|period|level|code|phase|breakdown|breakdown_value.
const (
	ay2425  = "2024/25"
	borough = "borough|E09000012"
)

// exclusionsFixture: four state-funded schools and an independent one, a
// January 2025 census of 108 state-funded pupils, an October 2024 census with
// two records that test the "nearest census" rule, and 2024/25 exclusions.
//
// January 2025 census (2025-01-16), state-funded headcount 108:
//
//	Alpha   100001 primary    Clapton  40: 20 F + 20 M WBRI, not FSM, N
//	                                   (+1 subsidiary dual registration, not counted)
//	Beta    100002 secondary  Hoxton   50: 10 M BCRB FSM K; 20 F + 20 M WBRI not FSM N
//	Gamma   100003 special    Hoxton   12: M BAFR FSM E
//	Delta   100004 AP (PRU)   Clapton   6: M WBRI FSM K
//	Yeshiva 100009 independent         30: not counted
//
// Suspensions 2024/25 (every characteristic blank unless said):
//
//	1 beta-bcrb-1 2024-11-05  -> BCRB, K from the January census (the nearer
//	                             October census says E and must lose), FSM, M
//	2 beta-bcrb-1 2025-02-10  -> BCRB K FSM M
//	3 beta-bcrb-2 2025-03-01  -> BCRB K FSM M
//	4 left-1      2024-09-20  -> left before January: October census BCRB N FSM M
//	5 beta-wm-1   2025-01-20  ethnicity WIRI on the return (census says WBRI) -> WIRI N not FSM M
//	6 beta-wf-1   2025-05-01  -> WBRI N not FSM F
//	7 delta-1     2025-03-03  -> WBRI K FSM M (AP)
//	- indep-1 at Yeshiva: independent, not counted
//	- beta-wm-2   2024-06-01  -> 2023/24, a year without a census
//
// Permanent exclusions 2024/25: beta-bcrb-3 (Beta, BCRB K FSM M) and
// alpha-m-1 (Alpha, WBRI N not FSM M).
func exclusionsFixture(t *testing.T) *fixture {
	t.Helper()
	return fillExclusions(newFixture(t))
}

func fillExclusions(f *fixture) *fixture {
	f.t.Helper()
	for _, s := range []fxSchool{
		{year: ay2425, urn: 100001, name: "Alpha Primary", phase: "primary", typ: "community", maintained: true, neighbourhood: "Clapton", capacity: 60},
		{year: ay2425, urn: 100002, name: "Beta Academy", phase: "secondary", typ: "academy", neighbourhood: "Hoxton", capacity: 100},
		{year: ay2425, urn: 100003, name: "Gamma School", phase: "special", typ: "special", maintained: true, neighbourhood: "Hoxton", capacity: 20},
		{year: ay2425, urn: 100004, name: "Delta PRU", phase: "alternative provision", typ: "pupil referral unit", maintained: true, neighbourhood: "Clapton", capacity: 10},
		{year: ay2425, urn: 100009, name: "Yeshiva", phase: "secondary", typ: "independent", neighbourhood: "Stamford Hill", capacity: 50, community: "Charedi"},
	} {
		f.school(s)
	}
	jan := "2025-01-16"
	f.pupils(20, "alpha-f", fxPupil{date: jan, urn: 100001, ncy: "3", gender: "F", ethnicity: "WBRI", sen: "N"})
	f.pupils(20, "alpha-m", fxPupil{date: jan, urn: 100001, ncy: "4", gender: "M", ethnicity: "WBRI", sen: "N"})
	f.pupil(fxPupil{date: jan, urn: 100001, upn: "alpha-sub-1", ncy: "4", gender: "M", ethnicity: "BCRB", sen: "N", enrolment: "S"})
	f.pupils(10, "beta-bcrb", fxPupil{date: jan, urn: 100002, ncy: "9", gender: "M", ethnicity: "BCRB", fsm: true, sen: "K"})
	f.pupils(20, "beta-wf", fxPupil{date: jan, urn: 100002, ncy: "9", gender: "F", ethnicity: "WBRI", sen: "N"})
	f.pupils(20, "beta-wm", fxPupil{date: jan, urn: 100002, ncy: "9", gender: "M", ethnicity: "WBRI", sen: "N"})
	f.pupils(12, "gamma", fxPupil{date: jan, urn: 100003, ncy: "8", gender: "M", ethnicity: "BAFR", fsm: true, sen: "E"})
	f.pupils(6, "delta", fxPupil{date: jan, urn: 100004, ncy: "10", gender: "M", ethnicity: "WBRI", fsm: true, sen: "K"})
	f.pupils(30, "indep", fxPupil{date: jan, urn: 100009, ncy: "9", gender: "M", ethnicity: "WBRI", sen: "N"})
	oct := "2024-10-03"
	f.pupil(fxPupil{date: oct, urn: 100002, upn: "beta-bcrb-1", ncy: "9", gender: "M", ethnicity: "BCRB", fsm: true, sen: "E"})
	f.pupil(fxPupil{date: oct, urn: 100002, upn: "left-1", ncy: "9", gender: "M", ethnicity: "BCRB", fsm: true, sen: "N"})

	for _, e := range []fxExclusion{
		{urn: 100002, upn: "beta-bcrb-1", typ: "SUSP", start: "2024-11-05"},
		{urn: 100002, upn: "beta-bcrb-1", typ: "SUSP", start: "2025-02-10"},
		{urn: 100002, upn: "beta-bcrb-2", typ: "SUSP", start: "2025-03-01"},
		{urn: 100002, upn: "left-1", typ: "SUSP", start: "2024-09-20"},
		{urn: 100002, upn: "beta-wm-1", typ: "SUSP", start: "2025-01-20", ethnicity: "WIRI"},
		{urn: 100002, upn: "beta-wf-1", typ: "SUSP", start: "2025-05-01"},
		{urn: 100004, upn: "delta-1", typ: "SUSP", start: "2025-03-03"},
		{urn: 100009, upn: "indep-1", typ: "SUSP", start: "2025-02-01"},
		{urn: 100002, upn: "beta-wm-2", typ: "SUSP", start: "2024-06-01"},
		{urn: 100002, upn: "beta-bcrb-3", typ: "PERM", start: "2025-03-10"},
		{urn: 100001, upn: "alpha-m-1", typ: "PERM", start: "2025-04-01"},
	} {
		f.exclusion(e)
	}
	return f
}

func TestSuspensionRate(t *testing.T) {
	got := exclusionsFixture(t).run("p2_suspension_rate")
	k := func(rest string) string { return "value|" + ay2425 + "|" + rest }
	checkRows(t, got, []fxWant{
		// 7 suspensions (1-7) / 108 pupils x 100 = 6.481
		{key: k(borough + "|all|all|all"), num: 7, den: 108, value: 6.481},
		// secondary: events 1-6 at Beta / 50 = 12.000
		{key: k(borough + "|secondary|all|all"), num: 6, den: 50, value: 12},
		// AP: 1 / 6 = 16.667, below both thresholds (3 events, 10 pupils)
		{key: k(borough + "|alternative provision|all|all"), num: 1, den: 6, value: 16.667, flag: "small_group"},
		// primary: 0 / 40 = 0, small (0 events < 3)
		{key: k(borough + "|primary|all|all"), num: 0, den: 40, value: 0, flag: "small_group"},
		// BCRB: events 1-4 / 10 BCRB pupils = 40.000 (event 4 from the October census)
		{key: k(borough + "|all|ethnicity|BCRB"), num: 4, den: 10, value: 40},
		// WIRI from the return itself: 1 event, no WIRI pupils -> no rate
		{key: k(borough + "|all|ethnicity|WIRI"), num: 1, den: 0, value: fxNull, flag: "small_group"},
		// WBRI: events 6, 7 / (40 + 40 + 6) = 2 / 86 = 2.326
		{key: k(borough + "|all|ethnicity|WBRI"), num: 2, den: 86, value: 2.326, flag: "small_group"},
		// Black: events 1-4 / (10 BCRB + 12 BAFR) = 4 / 22 = 18.182
		{key: k(borough + "|all|ethnicity_group|Black"), num: 4, den: 22, value: 18.182},
		// White: events 5, 6, 7 / 86 = 3.488
		{key: k(borough + "|all|ethnicity_group|White"), num: 3, den: 86, value: 3.488},
		{key: k(borough + "|all|focus_group|Black Caribbean"), num: 4, den: 10, value: 40},
		// K: events 1, 2, 3 (January census, not October's E) and 7 / (10 + 6) = 25.000
		{key: k(borough + "|all|sen_provision|K"), num: 4, den: 16, value: 25},
		// N: events 4 (October census), 5, 6 / (40 + 40) = 3.750
		{key: k(borough + "|all|sen_provision|N"), num: 3, den: 80, value: 3.75},
		{key: k(borough + "|all|sen_provision|E"), num: 0, den: 12, value: 0, flag: "small_group"},
		// FSM: events 1, 2, 3, 4, 7 / (10 + 12 + 6) = 5 / 28 = 17.857
		{key: k(borough + "|all|fsm|eligible"), num: 5, den: 28, value: 17.857},
		{key: k(borough + "|all|fsm|not eligible"), num: 2, den: 80, value: 2.5, flag: "small_group"},
		// M: events 1-5, 7 / (20 + 10 + 20 + 12 + 6) = 6 / 68 = 8.824
		{key: k(borough + "|all|gender|M"), num: 6, den: 68, value: 8.824},
		{key: k(borough + "|all|gender|F"), num: 1, den: 40, value: 2.5, flag: "small_group"},
		// Hoxton = Beta + Gamma: 6 / 62 = 9.677; Clapton = Alpha + Delta: 1 / 46 = 2.174
		{key: k("neighbourhood|Hoxton|all|all|all"), num: 6, den: 62, value: 9.677},
		{key: k("neighbourhood|Clapton|all|all|all"), num: 1, den: 46, value: 2.174, flag: "small_group"},
		{key: k("school|100002|secondary|all|all"), num: 6, den: 50, value: 12},
		// 2023/24 has an event but no census: no rate
		{key: "value|2023/24|" + borough + "|all|all|all", num: 1, den: 0, value: fxNull, flag: "small_group"},
	})
	if _, ok := got[k("school|100009|secondary|all|all")]; ok {
		t.Error("independent school has a suspension rate")
	}
	r := got[k(borough+"|all|all|all")]
	if r.PeriodType != "academic_year" || r.PeriodStart.Format("2006-01-02") != "2024-09-01" ||
		r.PeriodEnd.Format("2006-01-02") != "2025-08-31" || r.Unit != "per_100" || r.Name != "Hackney" {
		t.Errorf("labels: %+v", r)
	}
}

func TestPermExclusionRate(t *testing.T) {
	got := exclusionsFixture(t).run("p2_perm_exclusion_rate")
	checkRows(t, got, []fxWant{
		// 2 permanent exclusions / 108 pupils x 100 = 1.852
		{key: "value|" + ay2425 + "|" + borough + "|all|all|all", num: 2, den: 108, value: 1.852, flag: "small_group"},
		{key: "count|" + ay2425 + "|" + borough + "|all|all|all", num: 2, den: fxNull, value: 2, flag: "small_group"},
		// secondary: 1 / 50 = 2.000; primary: 1 / 40 = 2.500
		{key: "value|" + ay2425 + "|" + borough + "|secondary|all|all", num: 1, den: 50, value: 2, flag: "small_group"},
		{key: "value|" + ay2425 + "|" + borough + "|primary|all|all", num: 1, den: 40, value: 2.5, flag: "small_group"},
		// beta-bcrb-3: K from the January census; 1 / 16 = 6.250
		{key: "value|" + ay2425 + "|" + borough + "|all|sen_provision|K", num: 1, den: 16, value: 6.25, flag: "small_group"},
		{key: "count|" + ay2425 + "|school|100001|primary|all|all", num: 1, den: fxNull, value: 1, flag: "small_group"},
	})
	for _, r := range got {
		if r.Measure == "count" && r.Unit != "count" || r.Measure == "value" && r.Unit != "per_100" {
			t.Errorf("%s unit %s", r.key(), r.Unit)
		}
	}
}

func TestOnePlusSuspensionPct(t *testing.T) {
	f := exclusionsFixture(t)
	// A second suspension for beta-wf-1 with K on the return: the pupil keeps
	// the characteristics of the first suspension of the year (N).
	f.exclusion(fxExclusion{urn: 100002, upn: "beta-wf-1", typ: "SUSP", start: "2025-06-01", sen: "K"})
	got := f.run("p2_one_plus_suspension_pct")
	k := func(rest string) string { return "value|" + ay2425 + "|" + rest }
	checkRows(t, got, []fxWant{
		// pupils beta-bcrb-1 (twice), beta-bcrb-2, left-1, beta-wm-1, beta-wf-1
		// (twice), delta-1 = 6 / 108 x 100 = 5.556
		{key: k(borough + "|all|all|all"), num: 6, den: 108, value: 5.556},
		// secondary: the five Beta pupils / 50 = 10.000
		{key: k(borough + "|secondary|all|all"), num: 5, den: 50, value: 10},
		// N: left-1, beta-wm-1, beta-wf-1 (first suspension N) / 80 = 3.750
		{key: k(borough + "|all|sen_provision|N"), num: 3, den: 80, value: 3.75},
		// K: beta-bcrb-1, beta-bcrb-2, delta-1 / 16 = 18.750
		{key: k(borough + "|all|sen_provision|K"), num: 3, den: 16, value: 18.75},
		// eligible: beta-bcrb-1, beta-bcrb-2, left-1, delta-1 / 28 = 14.286
		{key: k(borough + "|all|fsm|eligible"), num: 4, den: 28, value: 14.286},
		{key: k("school|100002|secondary|all|all"), num: 5, den: 50, value: 10},
		{key: k("school|100004|alternative provision|all|all"), num: 1, den: 6, value: 16.667, flag: "small_group"},
	})
	// Wilson, z = 1.96, p = k/n:
	// (p + z²/2n -/+ z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
	// 6/108: p = 0.055556, z²/n = 0.035570, centre 0.073341 / 1.035570,
	//        half 1.96 x sqrt(0.00048583 + 0.00008235) = 0.046720
	//        -> 2.571 .. 11.594
	// 4/28:  p = 0.142857, z²/n = 0.137200, centre 0.211457 / 1.137200,
	//        half 1.96 x sqrt(0.0043732 + 0.0012250) = 0.146651
	//        -> 5.699 .. 31.490
	checkCI(t, got[k(borough+"|all|all|all")], 2.571, 11.594)
	checkCI(t, got[k(borough+"|all|fsm|eligible")], 5.699, 31.490)
}

func TestExclusionRiskRatio(t *testing.T) {
	got := exclusionsFixture(t).run("p2_exclusion_risk_ratio")
	k := func(measure, rest string) string { return measure + "|" + ay2425 + "|" + rest }
	checkRows(t, got, []fxWant{
		// Black Caribbean suspensions: a = 4 of n1 = 10 pupils; others
		// b = 7 - 4 = 3 of n2 = 108 - 10 = 98: RR = 0.4 / (3/98) = 13.067
		{key: k("suspension", borough+"|all|focus_group|Black Caribbean"), num: 4, den: 10, value: 13.067},
		// White: (3/86) / (4/22) = 0.034884 / 0.181818 = 0.192
		{key: k("suspension", borough+"|all|ethnicity_group|White"), num: 3, den: 86, value: 0.192},
		// E: no suspensions -> 0, below min_events
		{key: k("suspension", borough+"|all|sen_provision|E"), num: 0, den: 12, value: 0, flag: "small_group"},
		// WIRI: an event but no WIRI pupils -> no ratio
		{key: k("suspension", borough+"|all|ethnicity|WIRI"), num: 1, den: 0, value: fxNull, flag: "small_group"},
		// secondary, Black Caribbean: (4/10) / (2/40) = 8.000
		{key: k("suspension", borough+"|secondary|focus_group|Black Caribbean"), num: 4, den: 10, value: 8},
		// permanent, FSM eligible: (1/28) / (1/80) = 2.857, one event: small
		{key: k("permanent", borough+"|all|fsm|eligible"), num: 1, den: 28, value: 2.857, flag: "small_group"},
	})
	// Log method: exp(ln RR -/+ 1.96 sqrt(1/a - 1/n1 + 1/b - 1/n2)).
	// 4,10,3,98: se = sqrt(0.25 - 0.1 + 0.333333 - 0.010204) = 0.687844,
	//   ln 13.0667 = 2.570062, 1.96 se = 1.348174 -> exp(1.221888) = 3.394,
	//   exp(3.918236) = 50.312
	checkCI(t, got[k("suspension", borough+"|all|focus_group|Black Caribbean")], 3.394, 50.312)
	// 1,28,1,80: se = sqrt(1 - 0.035714 + 1 - 0.0125) = 1.397063,
	//   ln 2.857143 = 1.049822, 1.96 se = 2.738244 -> 0.185 .. 44.171
	checkCI(t, got[k("permanent", borough+"|all|fsm|eligible")], 0.185, 44.171)
	// E has no suspensions: the log method has no interval.
	checkCI(t, got[k("suspension", borough+"|all|sen_provision|E")], fxNull, fxNull)
	for _, r := range got {
		if r.Breakdown == "all" || r.Level != "borough" || r.Unit != "ratio" {
			t.Errorf("unexpected row %s unit %s", r.key(), r.Unit)
		}
	}
}

func TestOutsideMainstream(t *testing.T) {
	f := exclusionsFixture(t)
	for _, p := range []fxPlan{
		// counted: independent special in Southwark (210)
		{caseID: "c1", upn: "oob-1", issued: "2023-06-01", placementType: "independent special", placementLA: "210"},
		// the same child's older case: counted once
		{caseID: "c7", upn: "oob-1", issued: "2021-03-01", placementType: "independent special", placementLA: "210"},
		// in Hackney (new code, and the old LA number)
		{caseID: "c2", upn: "oob-2", issued: "2024-02-01", placementType: "maintained special", placementLA: "E09000012"},
		{caseID: "c9", upn: "oob-7", issued: "2024-02-01", placementType: "independent special", placementLA: "204"},
		// on Gamma's roll at the census: counted there, not again here
		{caseID: "c3", upn: "gamma-1", issued: "2022-01-01", placementType: "maintained special", placementLA: "316"},
		// issued after the census
		{caseID: "c4", upn: "oob-3", issued: "2025-03-01", placementType: "independent special", placementLA: "210"},
		// mainstream placement elsewhere
		{caseID: "c5", upn: "oob-4", issued: "2024-05-01", placementType: "mainstream", placementLA: "210"},
		// no plan yet
		{caseID: "c6", upn: "oob-5", placementType: "independent special", placementLA: "210"},
		// counted: AP in Haringey (202)
		{caseID: "c8", upn: "oob-6", issued: "2024-09-01", placementType: "alternative provision", placementLA: "202"},
		// was out of borough, latest plan before the census is mainstream in Hackney
		{caseID: "c10", upn: "oob-8", issued: "2022-09-01", placementType: "independent special", placementLA: "210"},
		{caseID: "c11", upn: "oob-8", issued: "2024-10-01", placementType: "mainstream", placementLA: "204"},
	} {
		f.ehcp(p)
	}
	got := f.run("p2_outside_mainstream")
	k := func(rest string) string { return "value|2025-01-16|" + rest }
	checkRows(t, got, []fxWant{
		// 12 at Gamma (special) + 6 at Delta (PRU) + oob-1 + oob-6 = 20
		{key: k(borough + "|all|all|all"), num: 20, den: fxNull, value: 20},
		{key: k(borough + "|all|setting|special school"), num: 12, den: fxNull, value: 12},
		{key: k(borough + "|all|setting|alternative provision"), num: 6, den: fxNull, value: 6},
		{key: k(borough + "|all|setting|out-of-borough specialist"), num: 2, den: fxNull, value: 2, flag: "small_group"},
		{key: k("school|100003|special|all|all"), num: 12, den: fxNull, value: 12},
		{key: k("school|100004|alternative provision|all|all"), num: 6, den: fxNull, value: 6},
	})
	r := got[k(borough+"|all|all|all")]
	if r.PeriodType != "census" || r.PeriodStart.Format("2006-01-02") != "2025-01-16" || r.Unit != "count" {
		t.Errorf("labels: %+v", r)
	}
}

// registerFixture: the 2024/25 school register used by the Ofsted and
// finance tests (no census).
//
//	100001 Alpha    primary    community   Clapton  grade 2  maintained
//	100002 Beta     secondary  academy     Hoxton   grade 1
//	100003 Gamma    special    special     Hoxton   grade 3  maintained
//	100004 Delta    AP         PRU         Clapton  no grade maintained
//	100005 Epsilon  primary    VA          Hoxton   grade 4  maintained
//	100006 Zeta     primary    community   Clapton  grade 1  closed
//	100009 Yeshiva            independent Charedi  grade 2
//	100010 Talmud Torah       independent charedi  grade 4
//	100013 Beis Chinuch       independent Charedi  grade 1
//	100012 Bnos               independent Charedi  no grade
//	100011 Hackney Prep       independent (none)   grade 1
//
// and 2023/24: Alpha grade 3, Beta grade 1.
func registerFixture(t *testing.T) *fixture {
	t.Helper()
	return fillRegister(newFixture(t))
}

func fillRegister(f *fixture) *fixture {
	f.t.Helper()
	for _, s := range []fxSchool{
		{year: ay2425, urn: 100001, name: "Alpha Primary", phase: "primary", typ: "community", maintained: true, neighbourhood: "Clapton", capacity: 60, ofsted: 2},
		{year: ay2425, urn: 100002, name: "Beta Academy", phase: "secondary", typ: "academy", neighbourhood: "Hoxton", capacity: 100, ofsted: 1},
		{year: ay2425, urn: 100003, name: "Gamma School", phase: "special", typ: "special", maintained: true, neighbourhood: "Hoxton", capacity: 20, ofsted: 3},
		{year: ay2425, urn: 100004, name: "Delta PRU", phase: "alternative provision", typ: "pupil referral unit", maintained: true, neighbourhood: "Clapton", capacity: 10},
		{year: ay2425, urn: 100005, name: "Epsilon VA Primary", phase: "primary", typ: "voluntary aided", maintained: true, neighbourhood: "Hoxton", capacity: 30, ofsted: 4},
		{year: ay2425, urn: 100006, name: "Zeta Primary", phase: "primary", typ: "community", maintained: true, neighbourhood: "Clapton", capacity: 30, ofsted: 1, status: "closed"},
		{year: ay2425, urn: 100009, name: "Yeshiva", phase: "secondary", typ: "independent", neighbourhood: "Stamford Hill", capacity: 50, ofsted: 2, community: "Charedi"},
		{year: ay2425, urn: 100010, name: "Talmud Torah", phase: "primary", typ: "independent", neighbourhood: "Stamford Hill", capacity: 50, ofsted: 4, community: "charedi"},
		{year: ay2425, urn: 100013, name: "Beis Chinuch", phase: "primary", typ: "independent", neighbourhood: "Stamford Hill", capacity: 50, ofsted: 1, community: "Charedi"},
		{year: ay2425, urn: 100012, name: "Bnos", phase: "primary", typ: "independent", neighbourhood: "Stamford Hill", capacity: 50, community: "Charedi"},
		{year: ay2425, urn: 100011, name: "Hackney Prep", phase: "primary", typ: "independent", neighbourhood: "Clapton", capacity: 50, ofsted: 1},
		{year: "2023/24", urn: 100001, name: "Alpha Primary", phase: "primary", typ: "community", maintained: true, neighbourhood: "Clapton", capacity: 60, ofsted: 3},
		{year: "2023/24", urn: 100002, name: "Beta Academy", phase: "secondary", typ: "academy", neighbourhood: "Hoxton", capacity: 100, ofsted: 1},
	} {
		f.school(s)
	}
	return f
}

func TestGoodOrBetterPct(t *testing.T) {
	f := registerFixture(t)
	got := f.run("p3_good_or_better_pct")
	k := func(rest string) string { return "value|" + ay2425 + "|" + rest + "|all|all" }
	p3 := []fxWant{
		// graded, state-funded, open: Alpha 2, Beta 1, Gamma 3, Epsilon 4
		// (Delta has no grade, Zeta is closed) -> 2 / 4 = 50.000
		{key: k(borough + "|all"), num: 2, den: 4, value: 50},
		{key: k(borough + "|primary"), num: 1, den: 2, value: 50},
		{key: k(borough + "|secondary"), num: 1, den: 1, value: 100},
		{key: k(borough + "|special"), num: 0, den: 1, value: 0},
		// Clapton: Alpha only -> 100; Hoxton: Beta, Gamma, Epsilon -> 1/3 = 33.333
		{key: k("neighbourhood|Clapton|all"), num: 1, den: 1, value: 100},
		{key: k("neighbourhood|Hoxton|all"), num: 1, den: 3, value: 33.333},
		// 2023/24: Alpha 3, Beta 1 -> 50
		{key: "value|2023/24|" + borough + "|all|all|all", num: 1, den: 2, value: 50},
	}
	checkRows(t, got, p3)
	for _, r := range got {
		if r.Breakdown != "all" {
			t.Errorf("p3 has independent rows: %s", r.key())
		}
	}

	t.Run("p4 adds the Charedi independent schools", func(t *testing.T) {
		p4 := f.run("p4_good_or_better_pct")
		checkRows(t, p4, append(p3, fxWant{
			// Yeshiva 2, Talmud Torah 4 ('charedi'), Beis Chinuch 1; Bnos has
			// no grade, Hackney Prep is not Charedi -> 2 / 3 = 66.667
			key: "value|" + ay2425 + "|" + borough + "|all|independent_community|Charedi", num: 2, den: 3, value: 66.667,
		}))
		if len(p4) != len(got)+1 {
			t.Errorf("p4 has %d rows, want the %d of p3 plus one", len(p4), len(got))
		}
	})
}

// budgetsFixture adds budget returns for 2024-25 (and one for 2023-24) to
// registerFixture. Latest return of 2024-25 per school:
//
//	100001 primary Clapton  budget -5,000, Q1 -2,000, Q2 +50,000 (income 1,000,000) -> Q2, in surplus
//	100003 special Hoxton   budget +10,000, outturn -30,000 (2,000,000), Q3 +2,000 -> outturn, deficit
//	100004 AP      Clapton  budget -10,000 (500,000) only -> deficit
//	100005 primary Hoxton   Q1 +500, Q2 +70,000 (800,000) -> Q2, in surplus
//
// SFVS submitted: 100001 on Q1 only, 100004 on its budget, 100005 on Q2;
// 100003 never.
func budgetsFixture(t *testing.T) *fixture {
	t.Helper()
	return fillBudgets(registerFixture(t))
}

func fillBudgets(f *fixture) *fixture {
	f.t.Helper()
	yes, no := true, false
	for _, b := range []fxBudget{
		{urn: 100001, year: "2024-25", period: "budget", income: 1_000_000, expenditure: 1_005_000, balance: -5_000},
		{urn: 100001, year: "2024-25", period: "Q1", income: 1_000_000, expenditure: 1_002_000, balance: -2_000, sfvs: yes},
		{urn: 100001, year: "2024-25", period: "Q2", income: 1_000_000, expenditure: 950_000, balance: 50_000, sfvs: no},
		{urn: 100003, year: "2024-25", period: "budget", income: 2_000_000, expenditure: 1_990_000, balance: 10_000, sfvs: no},
		{urn: 100003, year: "2024-25", period: "outturn", income: 2_000_000, expenditure: 2_030_000, balance: -30_000, sfvs: no},
		{urn: 100003, year: "2024-25", period: "Q3", income: 2_000_000, expenditure: 1_998_000, balance: 2_000},
		{urn: 100004, year: "2024-25", period: "budget", income: 500_000, expenditure: 510_000, balance: -10_000, sfvs: yes},
		{urn: 100005, year: "2024-25", period: "Q1", income: 800_000, expenditure: 799_500, balance: 500},
		{urn: 100005, year: "2024-25", period: "Q2", income: 800_000, expenditure: 730_000, balance: 70_000, sfvs: yes},
		{urn: 100001, year: "2023-24", period: "outturn", income: 900_000, expenditure: 901_000, balance: -1_000},
	} {
		f.budget(b)
	}
	return f
}

func TestSchoolsInDeficit(t *testing.T) {
	f := budgetsFixture(t)
	fy := "2024-25|"
	p3 := []fxWant{
		// latest returns: 100003 (outturn -30,000) and 100004 (budget -10,000)
		// are in deficit; 100001's budget and Q1 deficits are superseded by Q2.
		// 2 of the 4 schools with a return = 50.000
		{key: "count|" + fy + borough + "|all|all|all", num: 2, den: fxNull, value: 2},
		{key: "value|" + fy + borough + "|all|all|all", num: 2, den: 4, value: 50},
		// primary: 100001 and 100005, neither in deficit
		{key: "value|" + fy + borough + "|primary|all|all", num: 0, den: 2, value: 0},
		{key: "value|" + fy + borough + "|special|all|all", num: 1, den: 1, value: 100},
		{key: "value|" + fy + borough + "|alternative provision|all|all", num: 1, den: 1, value: 100},
		// Clapton: 100001 (no), 100004 (yes) -> 50
		{key: "value|" + fy + "neighbourhood|Clapton|all|all|all", num: 1, den: 2, value: 50},
		// 2023-24: 100001's outturn -1,000 -> 1 of 1
		{key: "value|2023-24|" + borough + "|all|all|all", num: 1, den: 1, value: 100},
	}
	got := f.run("p3_schools_in_deficit")
	checkRows(t, got, p3)
	r := got["value|"+fy+borough+"|all|all|all"]
	if r.PeriodType != "financial_year" || r.PeriodStart.Format("2006-01-02") != "2024-04-01" ||
		r.PeriodEnd.Format("2006-01-02") != "2025-03-31" || r.Unit != "percent" || got["count|"+fy+borough+"|all|all|all"].Unit != "count" {
		t.Errorf("labels: %+v", r)
	}

	t.Run("p4_deficit_budgets reports the same figures", func(t *testing.T) {
		p4 := f.run("p4_deficit_budgets")
		checkRows(t, p4, p3)
		if len(p4) != len(got) {
			t.Errorf("p4 has %d rows, p3 %d", len(p4), len(got))
		}
	})
}

func TestBalancePctIncome(t *testing.T) {
	got := budgetsFixture(t).run("p3_balance_pct_income")
	fy := "2024-25|"
	checkRows(t, got, []fxWant{
		// school: latest return's balance / income x 100
		{key: "value|" + fy + "school|100001|primary|all|all", num: 50_000, den: 1_000_000, value: 5},
		{key: "value|" + fy + "school|100003|special|all|all", num: -30_000, den: 2_000_000, value: -1.5},
		{key: "value|" + fy + "school|100004|alternative provision|all|all", num: -10_000, den: 500_000, value: -2},
		{key: "value|" + fy + "school|100005|primary|all|all", num: 70_000, den: 800_000, value: 8.75},
		// median of -2, -1.5, 5, 8.75 = (-1.5 + 5) / 2 = 1.750
		{key: "median|" + fy + borough + "|all|all|all", num: fxNull, den: fxNull, value: 1.75},
		// total: (50,000 - 30,000 - 10,000 + 70,000) / 4,300,000 = 1.860
		{key: "total|" + fy + borough + "|all|all|all", num: 80_000, den: 4_300_000, value: 1.860},
		// primary: median (5 + 8.75) / 2 = 6.875; total 120,000 / 1,800,000 = 6.667
		{key: "median|" + fy + borough + "|primary|all|all", num: fxNull, den: fxNull, value: 6.875},
		{key: "total|" + fy + borough + "|primary|all|all", num: 120_000, den: 1_800_000, value: 6.667},
	})
}

func TestSFVSSubmittedPct(t *testing.T) {
	got := budgetsFixture(t).run("p3_sfvs_submitted_pct")
	checkRows(t, got, []fxWant{
		// 100001 (on Q1, not on the later Q2), 100004, 100005; not 100003 -> 3 / 4 = 75.000
		{key: "value|2024-25|" + borough + "|all|all|all", num: 3, den: 4, value: 75},
		{key: "value|2024-25|" + borough + "|primary|all|all", num: 2, den: 2, value: 100},
		{key: "value|2024-25|" + borough + "|special|all|all", num: 0, den: 1, value: 0},
		// 2023-24: 100001's outturn has no SFVS answer -> 0 / 1
		{key: "value|2023-24|" + borough + "|all|all|all", num: 0, den: 1, value: 0},
	})
}

func TestSchoolsBlockBalance(t *testing.T) {
	f := newFixture(t)
	f.dsg("2024-25", "schools", 150_000_000, 151_250_000, -500_000)
	f.dsg("2024-25", "high needs", 50_000_000, 60_000_000, -25_000_000)
	f.dsg("2023-24", "schools", 140_000_000, 139_000_000, 750_000)
	got := f.run("p3_schools_block_balance")
	checkRows(t, got, []fxWant{
		// in year: 150,000,000 - 151,250,000 = -1,250,000
		{key: "value|2024-25|" + borough + "|all|all|all", num: fxNull, den: fxNull, value: -1_250_000},
		{key: "cumulative|2024-25|" + borough + "|all|all|all", num: fxNull, den: fxNull, value: -500_000},
		// 140,000,000 - 139,000,000 = 1,000,000
		{key: "value|2023-24|" + borough + "|all|all|all", num: fxNull, den: fxNull, value: 1_000_000},
		{key: "cumulative|2023-24|" + borough + "|all|all|all", num: fxNull, den: fxNull, value: 750_000},
	})
	if len(got) != 4 {
		t.Errorf("got %d rows, want 4 (schools block only): %v", len(got), someKeys(got, 10))
	}
	for _, r := range got {
		if r.Unit != "gbp" {
			t.Errorf("%s unit %s", r.key(), r.Unit)
		}
	}
}

// rollsFixture: two January censuses for the roll, mobility and surplus
// place tests.
//
// Register (both years unless said; net capacity in brackets):
// Alpha 100001 primary Clapton (40), Beta 100002 secondary Hoxton (30),
// Gamma 100003 special Hoxton (2); 2024/25 only: Epsilon 100005 primary
// Hoxton (4), new, and Theta 100007 primary Clapton (50) with no census.
//
// January 2024 (2024-01-18):
//
//	Alpha 23: R a1-1..8, Y2 a3-1..10, Y6 a6-1..5
//	Beta  27: Y7 b8-1..7, Y11 b11-1..20
//	Gamma  3: Y8 g-1, g-2, mover-1
//
// January 2025 (2025-01-16):
//
//	Alpha   33: R ar-1..10 (entry), Y1 a1-1..8 + a1new-1..2, Y3 a3-1..10, N1 n1-1..3
//	Beta    25: Y7 b7-1..10 (entry), Y8 b8-1..7 + b8new-1..2 + mover-1 (from Gamma), Y12 b12-1..5 (entry)
//	Gamma    2: Y9 g-1, g-2
//	Epsilon  5: Y2 e-1..5
func rollsFixture(t *testing.T) *fixture {
	t.Helper()
	return fillRolls(newFixture(t))
}

func fillRolls(f *fixture) *fixture {
	f.t.Helper()
	for _, y := range []string{"2023/24", ay2425} {
		f.school(fxSchool{year: y, urn: 100001, name: "Alpha Primary", phase: "primary", typ: "community", maintained: true, neighbourhood: "Clapton", capacity: 40})
		f.school(fxSchool{year: y, urn: 100002, name: "Beta Academy", phase: "secondary", typ: "academy", neighbourhood: "Hoxton", capacity: 30})
		f.school(fxSchool{year: y, urn: 100003, name: "Gamma School", phase: "special", typ: "special", maintained: true, neighbourhood: "Hoxton", capacity: 2})
	}
	f.school(fxSchool{year: ay2425, urn: 100005, name: "Epsilon Primary", phase: "primary", typ: "free school", neighbourhood: "Hoxton", capacity: 4})
	f.school(fxSchool{year: ay2425, urn: 100007, name: "Theta Primary", phase: "primary", typ: "community", maintained: true, neighbourhood: "Clapton", capacity: 50})

	jan24, jan25 := "2024-01-18", "2025-01-16"
	p := func(date string, urn int, ncy string) fxPupil {
		return fxPupil{date: date, urn: urn, ncy: ncy, gender: "F", ethnicity: "WBRI", sen: "N"}
	}
	f.pupils(8, "a1", p(jan24, 100001, "R"))
	f.pupils(10, "a3", p(jan24, 100001, "2"))
	f.pupils(5, "a6", p(jan24, 100001, "6"))
	f.pupils(7, "b8", p(jan24, 100002, "7"))
	f.pupils(20, "b11", p(jan24, 100002, "11"))
	f.pupils(2, "g", p(jan24, 100003, "8"))
	f.pupils(1, "mover", p(jan24, 100003, "8"))

	f.pupils(10, "ar", p(jan25, 100001, "R"))
	f.pupils(8, "a1", p(jan25, 100001, "1"))
	f.pupils(2, "a1new", p(jan25, 100001, "1"))
	f.pupils(10, "a3", p(jan25, 100001, "3"))
	f.pupils(3, "n1", p(jan25, 100001, "N1"))
	f.pupils(10, "b7", p(jan25, 100002, "7"))
	f.pupils(7, "b8", p(jan25, 100002, "8"))
	f.pupils(2, "b8new", p(jan25, 100002, "8"))
	f.pupils(1, "mover", p(jan25, 100002, "8"))
	f.pupils(5, "b12", p(jan25, 100002, "12"))
	f.pupils(2, "g", p(jan25, 100003, "9"))
	f.pupils(5, "e", p(jan25, 100005, "2"))
	return f
}

func TestPupilMobilityPct(t *testing.T) {
	got := rollsFixture(t).run("p3_pupil_mobility_pct")
	k := func(rest string) string { return "value|2025-01-16|" + rest + "|all|all" }
	checkRows(t, got, []fxWant{
		// Alpha: Y1 + Y3 = 20 pupils (R and N1 left out), new a1new-1..2 -> 2/20 = 10.000
		{key: k("school|100001|primary"), num: 2, den: 20, value: 10, flag: "small_group"},
		// Beta: Y8 = 10 (Y7, Y12 left out), new b8new-1..2 and mover-1 -> 3/10 = 30.000
		{key: k("school|100002|secondary"), num: 3, den: 10, value: 30},
		{key: k("school|100003|special"), num: 0, den: 2, value: 0, flag: "small_group"},
		// Epsilon had no census a year earlier: left out everywhere.
		// borough: (2 + 3 + 0) / (20 + 10 + 2) = 5 / 32 = 15.625
		{key: k(borough + "|all"), num: 5, den: 32, value: 15.625},
		{key: k(borough + "|primary"), num: 2, den: 20, value: 10, flag: "small_group"},
		// Hoxton: Beta + Gamma = 3 / 12 = 25.000
		{key: k("neighbourhood|Hoxton|all"), num: 3, den: 12, value: 25},
	})
	if _, ok := got[k("school|100005|primary")]; ok {
		t.Error("Epsilon (no previous census) has a mobility row")
	}
	// Wilson 5/32: p = 0.15625, z²/n = 0.120050, centre 0.216275,
	// half 1.96 x sqrt(0.0041199 + 0.0009379) = 0.139391, / 1.120050
	// -> 6.864 .. 31.754
	checkCI(t, got[k(borough+"|all")], 6.864, 31.754)
}

func TestRollChangePct(t *testing.T) {
	got := rollsFixture(t).run("p3_roll_change_pct")
	k := func(rest string) string { return "value|2025-01-16|" + rest + "|all|all" }
	checkRows(t, got, []fxWant{
		// borough: (33 + 25 + 2 + 5) - (23 + 27 + 3) = 65 - 53 = 12; 12 / 53 = 22.642
		{key: k(borough + "|all"), num: 12, den: 53, value: 22.642},
		// primary: (33 + 5) - 23 = 15; 15 / 23 = 65.217
		{key: k(borough + "|primary"), num: 15, den: 23, value: 65.217},
		// Alpha: 33 - 23 = 10; 10 / 23 = 43.478 (nursery pupils count in the roll)
		{key: k("school|100001|primary"), num: 10, den: 23, value: 43.478},
		// Beta: 25 - 27 = -2; -2 / 27 = -7.407
		{key: k("school|100002|secondary"), num: -2, den: 27, value: -7.407},
		// Gamma: 2 - 3 = -1; -1 / 3 = -33.333, previous roll below min_group
		{key: k("school|100003|special"), num: -1, den: 3, value: -33.333, flag: "small_group"},
	})
	if _, ok := got[k("school|100005|primary")]; ok {
		t.Error("Epsilon (no previous census) has a roll change row")
	}
	for _, r := range got {
		if r.Period != "2025-01-16" {
			t.Errorf("row for %s: the first census has nothing to compare with", r.key())
		}
	}
}

func TestSurplusPlacesPct(t *testing.T) {
	got := rollsFixture(t).run("p3_surplus_places_pct")
	k := func(rest string) string { return "value|2025-01-16|" + rest + "|all|all" }
	checkRows(t, got, []fxWant{
		// Alpha: 40 - 30 (33 less 3 in N1) = 10; 10 / 40 = 25.000
		{key: k("school|100001|primary"), num: 10, den: 40, value: 25},
		// Beta: 30 - 25 = 5; 5 / 30 = 16.667
		{key: k("school|100002|secondary"), num: 5, den: 30, value: 16.667},
		// Epsilon: 4 - 5 = -1 (over capacity); -1 / 4 = -25.000
		{key: k("school|100005|primary"), num: -1, den: 4, value: -25},
		// primary: unfilled 10 + max(0, -1) = 10 of 40 + 4 = 44 -> 22.727
		// (Theta, with no census, is left out)
		{key: k(borough + "|primary"), num: 10, den: 44, value: 22.727},
		// borough: 10 + 5 + 0 + 0 = 15 of 40 + 30 + 2 + 4 = 76 -> 19.737
		{key: k(borough + "|all"), num: 15, den: 76, value: 19.737},
		// Hoxton: Beta 5, Gamma 0, Epsilon 0 of 30 + 2 + 4 = 36 -> 13.889
		{key: k("neighbourhood|Hoxton|all"), num: 5, den: 36, value: 13.889},
		// January 2024: Alpha 40 - 23 = 17; 17 / 40 = 42.500
		{key: "value|2024-01-18|school|100001|primary|all|all", num: 17, den: 40, value: 42.5},
	})
	if _, ok := got[k("school|100007|primary")]; ok {
		t.Error("Theta (no census) has a surplus places row")
	}
}

// TestP234ThroughBuild runs the same fixtures through the engine's Build
// (embedded pipelines, seeds and catalogue; thresholds 10 and 30) and checks
// that the figures reach indicators.metric_values unchanged.
func TestP234ThroughBuild(t *testing.T) {
	buildFixture := func(t *testing.T) (*fixture, *sql.DB, int64) {
		f := newFixture(t)
		return f, f.db, f.runID
	}
	t.Run("exclusions", func(t *testing.T) {
		f, db, run := buildFixture(t)
		fillExclusions(f)
		f.ehcp(fxPlan{caseID: "c1", upn: "oob-1", issued: "2023-06-01", placementType: "independent special", placementLA: "210"})
		mustBuild(t, db, testOptions(t, run, nil))
		near(t, "suspension rate", boroughRow(t, db, "p2_suspension_rate", "value", ay2425, "all", "all").Value, 6.481)
		near(t, "suspension rate, secondary", getRow(t, db, "p2_suspension_rate", "value", ay2425, "borough", BoroughCode, "secondary", "all", "all").Value, 12)
		near(t, "permanent exclusions", boroughRow(t, db, "p2_perm_exclusion_rate", "count", ay2425, "all", "all").Value, 2)
		near(t, "one or more", boroughRow(t, db, "p2_one_plus_suspension_pct", "value", ay2425, "all", "all").Value, 5.556)
		rr := boroughRow(t, db, "p2_exclusion_risk_ratio", "suspension", ay2425, "focus_group", "Black Caribbean")
		near(t, "risk ratio", rr.Value, 13.067)
		near(t, "risk ratio ci_lower", rr.Lo, 3.394)
		if rr.Flag != "small_group" { // 4 events < 10
			t.Errorf("risk ratio flag %q, want small_group", rr.Flag)
		}
		// 12 (Gamma) + 6 (Delta) + oob-1 = 19
		near(t, "outside mainstream", boroughRow(t, db, "p2_outside_mainstream", "value", "2025-01-16", "all", "all").Value, 19)
	})
	t.Run("register and budgets", func(t *testing.T) {
		f, db, run := buildFixture(t)
		fillBudgets(fillRegister(f))
		f.dsg("2024-25", "schools", 150_000_000, 151_250_000, -500_000)
		mustBuild(t, db, testOptions(t, run, nil))
		near(t, "good or better", boroughRow(t, db, "p3_good_or_better_pct", "value", ay2425, "all", "all").Value, 50)
		near(t, "Charedi good or better", boroughRow(t, db, "p4_good_or_better_pct", "value", ay2425, "independent_community", "Charedi").Value, 66.667)
		near(t, "in deficit", boroughRow(t, db, "p3_schools_in_deficit", "value", "2024-25", "all", "all").Value, 50)
		near(t, "deficit budgets", boroughRow(t, db, "p4_deficit_budgets", "count", "2024-25", "all", "all").Value, 2)
		near(t, "median balance", boroughRow(t, db, "p3_balance_pct_income", "median", "2024-25", "all", "all").Value, 1.75)
		near(t, "SFVS", boroughRow(t, db, "p3_sfvs_submitted_pct", "value", "2024-25", "all", "all").Value, 75)
		near(t, "schools block", boroughRow(t, db, "p3_schools_block_balance", "value", "2024-25", "all", "all").Value, -1_250_000)
	})
	t.Run("rolls", func(t *testing.T) {
		f, db, run := buildFixture(t)
		fillRolls(f)
		mustBuild(t, db, testOptions(t, run, nil))
		near(t, "mobility", boroughRow(t, db, "p3_pupil_mobility_pct", "value", "2025-01-16", "all", "all").Value, 15.625)
		near(t, "roll change", boroughRow(t, db, "p3_roll_change_pct", "value", "2025-01-16", "all", "all").Value, 22.642)
		near(t, "surplus places", boroughRow(t, db, "p3_surplus_places_pct", "value", "2025-01-16", "all", "all").Value, 19.737)
	})
}

// TestOutsideMainstreamPlansCeaseAt25 checks that an out-of-borough plan
// counts only while the young person is under 25 at the census date (plans
// cease at 25; the return has no end date), as in p1_out_of_borough_specialist.
//
// January 2025 census (2025-01-16): Gamma special school, 3 pupils.
// Plans, independent special in Southwark (210):
//
//	adult-1 born 1999-06-01: 25 on 2024-06-01, before the census -> ceased
//	young-1 born 2000-03-01: 25 on 2025-03-01, after the census  -> counted
//
// value = 3 on roll + 1 out of borough = 4.
func TestOutsideMainstreamPlansCeaseAt25(t *testing.T) {
	f := newFixture(t)
	f.school(fxSchool{year: ay2425, urn: 100003, name: "Gamma School", phase: "special", typ: "special", maintained: true, neighbourhood: "Hoxton", capacity: 20})
	f.pupils(3, "gamma", fxPupil{date: "2025-01-16", urn: 100003, ncy: "8", gender: "M", ethnicity: "WBRI", sen: "E"})
	for _, c := range []struct{ id, upn, dob string }{
		{"a1", "adult-1", "1999-06-01"},
		{"y1", "young-1", "2000-03-01"},
	} {
		l1, l2, l3, l4 := f.lineage()
		f.exec(`insert into raw.ehcp values (?, ?, ?, ?, ?, ?, '2019-09-01', null, 'assess', null, null,
			'2020-02-01', 'plan issued', false, 'independent special', '210', cast(? as date), null, null)`,
			l1, l2, l3, l4, c.id, c.upn, c.dob)
	}
	got := f.run("p2_outside_mainstream")
	k := func(rest string) string { return "value|2025-01-16|" + borough + "|all|" + rest }
	checkRows(t, got, []fxWant{
		{key: k("all|all"), num: 4, den: fxNull, value: 4},
		{key: k("setting|out-of-borough specialist"), num: 1, den: fxNull, value: 1, flag: "small_group"},
		{key: k("setting|special school"), num: 3, den: fxNull, value: 3},
	})
}
