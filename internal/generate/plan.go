package generate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Canonical columns, in the order of pipelines/returns/*.yaml.
var (
	censusCols = []string{"census_date", "urn", "upn", "ncy", "gender", "ethnicity", "fsm",
		"sen_provision", "sen_need", "first_language", "enrolment"}
	schoolCols = []string{"academic_year", "urn", "school_name", "phase", "type", "maintained",
		"neighbourhood", "net_capacity", "arp_places", "ofsted_grade", "ofsted_date", "community", "status"}
	exclusionCols = []string{"urn", "upn", "exclusion_type", "start_date", "sessions", "reason",
		"ethnicity", "sen_provision", "fsm", "ncy"}
	ehcpCols = []string{"case_id", "upn", "request_date", "decision_date", "decision",
		"ep_requested_date", "ep_issued_date", "plan_issued_date", "outcome", "exception",
		"placement_type", "placement_la", "date_of_birth", "ethnicity"}
	budgetCols = []string{"urn", "financial_year", "return_period", "total_income", "total_expenditure",
		"in_year_balance", "cumulative_balance", "staff_costs", "agency_staff_costs",
		"deficit_recovery_plan", "sfvs_submitted"}
	dsgCols = []string{"financial_year", "block", "allocation", "expenditure", "cumulative_balance"}
)

// Headers as people type them; every one is a column name or alias in the
// specs once case, spaces, hyphens and underscores are folded.
var oddHeaders = map[string][]string{
	"census": {"Census-Date", "URN ", "UPN", "NC Year", "Gender", "Ethnic Group", "FSM Eligible",
		"SEN Status", "Primary Need", "First Language", "Enrolment Status"},
	"schools": {"Academic Year", "URN ", "Establishment Name", "Phase of Education", "Establishment Type",
		"LA Maintained", "Hub", "Capacity", "ARP", "Ofsted Rating", "Inspection Date", "Community", "Status"},
	"exclusions": {"School URN", "UPN", "Category", "Date of Exclusion", "Number of Sessions",
		"Reason Code", "Ethnicity", "SEN Provision", "FSM", "NCY"},
	"ehcp": {"Case Ref", "UPN", "Date of Request", "Date of Decision", "Decision", "EP Advice Requested",
		"EP Advice Issued", "Final Plan Issued", "Outcome", "20 Week Exception", "Placement Type",
		"LA of Placement", "DOB", "Ethnicity"},
	"budgets": {"URN", "Financial Year", "Period", "Total Revenue Income", "Total Revenue Expenditure",
		"In Year Balance", "Balance Carried Forward", "Staff Costs", "Agency Staff Costs",
		"Deficit Recovery Plan", "SFVS"},
	"dsg": {"Financial Year", "DSG Block", "Grant", "Spend", "Cumulative Surplus Deficit"},
}

// Budget return periods.
var periods = []string{"budget", "Q1", "Q2", "Q3", "outturn"}

// Plan keys: how the simulation finds the file for a row.
func censusKey(t time.Time) string      { return "census/" + t.Format(isoDate) }
func schoolsKey(y int) string           { return fmt.Sprintf("schools/%d", y) }
func exclusionsKey(y int) string        { return fmt.Sprintf("exclusions/%d", y) }
func exclusionsTwoKey(y int) string     { return fmt.Sprintf("exclusions-two/%d", y) }
func ehcpKey(cy int) string             { return fmt.Sprintf("ehcp/%d", cy) }
func budgetKey(fy int, p string) string { return fmt.Sprintf("budgets/%d/%s", fy, p) }
func dsgKey(fy int) string              { return fmt.Sprintf("dsg/%d", fy) }

const budgetResubKey = "budgets-resub"

// resubPeriod is the return resubmitted once with a corrected balance.
const resubPeriod = "Q2"

// budgetPeriods lists the returns in for financial year fy by asAt: all
// five for completed years, budget to Q2 for the current one.
func budgetPeriods(fy int) []string {
	if fy >= asAt.Year() {
		return periods[:3]
	}
	return periods
}

// plan decides every file: name, format, columns, quirks and faults.
func plan(o Options) []*fileSpec {
	p := &planner{o: o}
	first := o.firstYear()
	for y := first; y <= latestYear; y++ {
		p.census(springCensus(y), latestYear-y)
	}
	if o.Termly {
		p.census(autumnCensus(latestYear), -1)
		p.census(summerCensus(latestYear), -2)
	}
	for y := first; y <= latestYear; y++ {
		p.schools(y, latestYear-y)
	}
	for y := first; y <= latestYear; y++ {
		p.exclusions(y, latestYear-y)
	}
	if o.Messy {
		s := p.add("exclusions", exclusionsTwoKey(latestYear),
			fmt.Sprintf("exclusions_%s_two-schools", fileYear(latestYear)), false)
		s.quirk("repeated-header", false, false, func(*style) {})
	}
	for cy := first; cy <= asAt.Year(); cy++ {
		p.ehcp(cy, asAt.Year()-cy)
	}
	for fy := first; fy <= asAt.Year(); fy++ {
		for _, per := range budgetPeriods(fy) {
			p.budget(fy, per)
		}
	}
	p.resubmission()
	for fy := first; fy <= asAt.Year(); fy++ {
		p.dsg(fy, asAt.Year()-fy)
	}
	return p.specs
}

type planner struct {
	o     Options
	specs []*fileSpec
}

var sheetNames = map[string]string{"census": "Census", "schools": "Schools", "exclusions": "Exclusions",
	"ehcp": "EHCP", "budgets": "Budget", "dsg": "DSG"}

var titles = map[string]string{"census": "School census", "schools": "School register", "exclusions": "Suspensions and permanent exclusions",
	"ehcp": "EHC needs assessments", "budgets": "Maintained schools budget monitoring", "dsg": "Dedicated Schools Grant"}

var returnCols = map[string][]string{"census": censusCols, "schools": schoolCols,
	"exclusions": exclusionCols, "ehcp": ehcpCols, "budgets": budgetCols, "dsg": dsgCols}

// add plans a file; xlsx says whether it is a workbook in mixed format.
func (p *planner) add(ret, key, base string, xlsx bool) *fileSpec {
	f := FormatCSV
	switch p.o.Format {
	case FormatXLSX:
		f = FormatXLSX
	case FormatMixed:
		if xlsx {
			f = FormatXLSX
		}
	}
	s := &fileSpec{key: key, name: base + "." + string(f), ret: ret, format: f, sheet: sheetNames[ret],
		title: titles[ret] + " " + strings.TrimPrefix(base, ret+"_")}
	for _, c := range returnCols[ret] {
		s.cols = append(s.cols, column{name: c})
	}
	p.specs = append(p.specs, s)
	return s
}

// Quirk setters: each applies only where the file's format has the quirk
// and records its name.
func (s *fileSpec) quirk(name string, csvOnly, xlsxOnly bool, apply func(*style)) {
	if (csvOnly && s.format != FormatCSV) || (xlsxOnly && s.format != FormatXLSX) {
		return
	}
	apply(&s.st)
	if !slices.Contains(s.st.quirks, name) {
		s.st.quirks = append(s.st.quirks, name)
	}
}

func (s *fileSpec) oddHeaders() {
	s.quirk("odd-headers", false, false, func(*style) {})
	for i := range s.cols {
		s.cols[i].header = oddHeaders[s.ret][i]
	}
}

func (s *fileSpec) bom() { s.quirk("utf8-bom", true, false, func(st *style) { st.bom = true }) }
func (s *fileSpec) cp1252() {
	s.quirk("windows-1252", true, false, func(st *style) { st.cp1252 = true })
}
func (s *fileSpec) semicolon() { s.quirk("semicolon", true, false, func(st *style) { st.delim = ';' }) }
func (s *fileSpec) tab()       { s.quirk("tab", true, false, func(st *style) { st.delim = '\t' }) }
func (s *fileSpec) crlf()      { s.quirk("crlf", true, false, func(st *style) { st.crlf = true }) }
func (s *fileSpec) padded() {
	s.quirk("padded-numbers", false, false, func(st *style) { st.padInts = true })
}
func (s *fileSpec) poundSigns() {
	s.quirk("pound-amounts", false, false, func(st *style) { st.pounds = true })
}

func (s *fileSpec) dates(layout string) {
	name := map[string]string{ukDate: "uk-dates", ukDateMon: "dd-mon-yyyy-dates"}[layout]
	s.quirk(name, false, false, func(st *style) { st.dateLayout = layout })
	if s.format == FormatXLSX {
		// In a workbook a UK date is a date cell or text.
		s.st.xDate = xDateText
	}
}

func (s *fileSpec) suppress(cols ...string) {
	s.quirk("suppression-symbols", false, false, func(st *style) {
		st.suppress = map[string]bool{}
		for _, c := range cols {
			st.suppress[c] = true
		}
	})
}

func (s *fileSpec) aliases(col string, m map[string]string) {
	s.quirk("code-aliases", false, false, func(st *style) {
		if st.alias == nil {
			st.alias = map[string]map[string]string{}
		}
		st.alias[col] = m
	})
}

func (s *fileSpec) fault(at int, col, rule string, mutate func(value) value) {
	s.faults = append(s.faults, faultSpec{at: at, col: col, rule: rule, mutate: mutate})
}

// duplicate writes the at-th row twice; key names the unique columns.
func (s *fileSpec) duplicate(at int, key string) {
	s.faults = append(s.faults, faultSpec{at: at, col: key, rule: "duplicate", dup: true})
}

func set(v value) func(value) value { return func(value) value { return v } }

// ago is how many years before the latest a file is (0 = latest); the
// autumn and summer censuses of the latest year are -1 and -2.
func (p *planner) census(t time.Time, ago int) {
	s := p.add("census", censusKey(t), "census_"+t.Format(isoDate), false)
	// School MIS exports write Y/N, and it keeps the sample small.
	s.st.yesNo = true
	if !p.o.Messy {
		return
	}
	switch ago {
	case 0:
		s.bom()
		s.oddHeaders()
		s.fault(11, "upn", "upn", func(v value) value { return raw(v.s[:12]) })
		s.duplicate(29, "census_date+urn+upn")
	case 1:
		s.dates(ukDate)
		ncy := map[string]string{"R": "RECEPTION"}
		for g := 1; g <= 14; g++ {
			ncy[strconv.Itoa(g)] = fmt.Sprintf("Y%d", g)
		}
		s.aliases("ncy", ncy)
		s.fault(17, "gender", "code", set(raw("Unknown")))
	case 2:
		s.tab()
		s.fault(8, "ethnicity", "pattern", set(raw("WB1")))
	case 3:
		s.crlf()
		s.fault(40, "ncy", "code", set(raw("15")))
	case 4:
		s.padded()
		s.dates(ukDateMon)
	case -1:
		s.semicolon()
	case -2:
		s.bom()
		s.crlf()
	}
}

func (p *planner) schools(y, ago int) {
	base := "schools_" + fileYear(y)
	if !p.o.Messy {
		p.add("schools", schoolsKey(y), base, true)
		return
	}
	switch ago {
	case 4:
		// An old register exported from a legacy system.
		s := p.add("schools", schoolsKey(y), base, p.o.Format == FormatXLSX)
		s.cp1252()
	case 3:
		s := p.add("schools", schoolsKey(y), base, p.o.Format == FormatXLSX)
		s.quirk("embedded-newline", false, false, func(*style) {})
		s.oddHeaders()
		s.suppress("ofsted_grade", "ofsted_date", "community")
	case 2:
		s := p.add("schools", schoolsKey(y), base, true)
		s.quirk("excel-serial-dates", false, true, func(st *style) { st.xDate = xDateSerial })
		s.quirk("hidden-column", false, true, func(st *style) { st.hide = []string{"community"} })
		s.quirk("trailing-empty-rows", false, true, func(st *style) { st.trailingBlank = 4 })
	case 1:
		s := p.add("schools", schoolsKey(y), base, true)
		s.quirk("notes-sheet", false, true, func(st *style) { st.notesSheet = true })
		s.dates(ukDate)
		s.quirk("dates-as-text", false, true, func(*style) {})
	case 0:
		s := p.add("schools", schoolsKey(y), base, true)
		s.quirk("title-rows", false, true, func(st *style) { st.title = true })
		s.quirk("merged-title", false, true, func(st *style) { st.mergeTitle = true })
		s.quirk("excel-short-dates", false, true, func(st *style) { st.xDate = xDateShort })
		s.fault(9, "net_capacity", "range", set(num(-30)))
	default:
		p.add("schools", schoolsKey(y), base, true)
	}
}

func (p *planner) exclusions(y, ago int) {
	s := p.add("exclusions", exclusionsKey(y), "exclusions_"+fileYear(y), false)
	if !p.o.Messy {
		return
	}
	switch ago {
	case 0:
		s.bom()
		s.dates(ukDate)
		s.fault(15, "start_date", "type", set(raw(fmt.Sprintf("31/02/%d", y+1))))
	case 1:
		s.semicolon()
		s.oddHeaders()
		s.aliases("exclusion_type", map[string]string{"SUSP": "FIXED"})
		s.fault(21, "reason", "code", set(raw("ZZ")))
	case 2:
		s.suppress("fsm")
		s.fault(12, "urn", "range", set(raw("99999")))
	}
}

func (p *planner) ehcp(cy, ago int) {
	s := p.add("ehcp", ehcpKey(cy), fmt.Sprintf("ehcp_%d", cy), false)
	if !p.o.Messy {
		return
	}
	switch ago {
	case 4:
		s.tab()
	case 3:
		s.dates(ukDateMon)
		s.oddHeaders()
		s.aliases("decision", map[string]string{"assess": "agreed", "refuse": "refused"})
		s.aliases("outcome", map[string]string{"plan issued": "issued"})
		s.aliases("placement_type", map[string]string{"resourced provision": "arp", "maintained special": "special"})
	case 2:
		s.dates(ukDate)
		s.fault(33, "request_date", "required", set(value{}))
	case 1:
		s.suppress("ep_requested_date", "ep_issued_date", "plan_issued_date", "placement_type", "placement_la")
		s.duplicate(50, "case_id")
	case 0:
		s.crlf()
	}
}

func (p *planner) budget(fy int, per string) {
	s := p.add("budgets", budgetKey(fy, per), fmt.Sprintf("budgets_%s_%s", financialYear(fy), per), true)
	s.notes = []string{"All figures in £. Negative balances are deficits.",
		"Return one row per school. Contact the schools finance team with queries."}
	for i := range s.cols {
		switch s.cols[i].name {
		case "total_income", "total_expenditure", "in_year_balance", "cumulative_balance", "staff_costs", "agency_staff_costs":
			s.cols[i].sum = true
		}
	}
	if !p.o.Messy {
		return
	}
	latestDone := asAt.Year() - 1
	switch {
	case fy == latestDone && per == "outturn":
		s.oddHeaders()
		s.poundSigns()
		s.quirk("notes-sheet", false, true, func(st *style) { st.notesSheet = true })
		s.quirk("title-rows", false, true, func(st *style) { st.title = true })
		s.quirk("merged-title", false, true, func(st *style) { st.mergeTitle = true })
		s.quirk("total-row", false, true, func(st *style) { st.total = true })
		s.quirk("formula", false, true, func(st *style) { st.formula = true })
		s.quirk("hidden-column", false, true, func(st *style) { st.hide = []string{"agency_staff_costs"} })
		s.quirk("trailing-empty-rows", false, true, func(st *style) { st.trailingBlank = 3 })
		s.fault(6, "total_expenditure", "type", set(raw("TBC")))
	case fy == asAt.Year() && per == "Q1":
		s.fault(4, "return_period", "code", set(raw("Q5")))
	case fy == latestDone-1 && per == "Q3":
		s.aliases("return_period", map[string]string{"Q3": "QTR3"})
		s.padded()
	case fy == latestDone-2 && per == "Q2":
		s.quirk("money-as-text", false, false, func(st *style) { st.moneyText = true; st.pounds = true })
	}
}

func (p *planner) resubmission() {
	fy := asAt.Year()
	s := p.add("budgets", budgetResubKey,
		fmt.Sprintf("budgets_%s_%s_resubmission", financialYear(fy), resubPeriod), p.o.Format == FormatXLSX)
	if p.o.Messy {
		s.cp1252()
		s.poundSigns()
	}
}

func (p *planner) dsg(fy, ago int) {
	s := p.add("dsg", dsgKey(fy), "dsg_"+financialYear(fy), false)
	if !p.o.Messy {
		return
	}
	switch ago {
	case 0:
		s.cp1252()
		s.oddHeaders()
		s.quirk("money-as-text", false, false, func(st *style) { st.moneyText = true; st.pounds = true })
		s.aliases("block", map[string]string{"schools": "schools block", "central": "central school services",
			"high needs": "high needs block", "early years": "early years block"})
	case 1:
		s.bom()
	}
}
