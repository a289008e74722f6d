package generate

// Ethnic groups the generator treats differently (the plan's focus groups
// and the groups DfE statistics show over- or under-represented).
const (
	gWBRI = iota
	gBCRB
	gTKTC // Turkish, Kurdish and Turkish Cypriot
	gBlackAfrican
	gBlackOther
	gMWBC
	gMixed
	gAsian
	gWhiteOther
	gOther
	gUnknown
	nGroups
)

// ethnicity is one census code with its share of Hackney's pupils and the
// first languages its pupils speak. Codes exist in seeds/ethnicity.csv.
type ethnicity struct {
	code  string
	share float64 // per cent
	group int
	langs []langShare
}

type langShare struct {
	code  string
	share float64
}

func en(p float64) []langShare { return []langShare{{"ENG", p}, {"OTB", 100 - p}} }

// ethnicities approximates Hackney's school population: White British
// ~28%, other White ~15% (Turkish, Turkish Cypriot and Kurdish ~6%), Black
// African ~14%, Black Caribbean ~7%, Mixed ~12%, Asian ~8%.
var ethnicities = []ethnicity{
	{"WBRI", 27.5, gWBRI, en(98)},
	{"WENG", 0.5, gWBRI, en(99)},
	{"WIRI", 1.4, gWhiteOther, en(96)},
	{"WIRT", 0.2, gWhiteOther, en(95)},
	{"WOTH", 4.6, gWhiteOther, []langShare{{"ENG", 40}, {"SPA", 15}, {"FRN", 15}, {"ITA", 10}, {"GER", 10}, {"POR", 10}}},
	{"WPOL", 1.2, gWhiteOther, []langShare{{"POL", 85}, {"ENG", 15}}},
	{"WEUR", 1.0, gWhiteOther, []langShare{{"FRN", 30}, {"SPA", 25}, {"ITA", 20}, {"ENG", 25}}},
	{"WEEU", 0.6, gWhiteOther, []langShare{{"ROM", 40}, {"BUL", 30}, {"LIT", 15}, {"ENG", 15}}},
	{"WALB", 0.6, gWhiteOther, []langShare{{"ALB", 80}, {"ENG", 20}}},
	{"WGRE", 0.4, gWhiteOther, []langShare{{"GRE", 60}, {"ENG", 40}}},
	{"WITA", 0.5, gWhiteOther, []langShare{{"ITA", 65}, {"ENG", 35}}},
	{"WPOR", 0.4, gWhiteOther, []langShare{{"POR", 80}, {"ENG", 20}}},
	{"WTUR", 2.6, gTKTC, []langShare{{"TUR", 75}, {"ENG", 25}}},
	{"WTUK", 0.6, gTKTC, []langShare{{"TUR", 85}, {"ENG", 15}}},
	{"WTUC", 1.2, gTKTC, []langShare{{"TUR", 50}, {"ENG", 50}}},
	{"WKUR", 1.6, gTKTC, []langShare{{"KUR", 70}, {"TUR", 20}, {"ENG", 10}}},
	{"WROM", 0.6, gWhiteOther, []langShare{{"RMY", 60}, {"ROM", 20}, {"ENG", 20}}},
	{"MWBC", 4.0, gMWBC, en(97)},
	{"MWBA", 2.0, gMixed, en(92)},
	{"MWAS", 2.0, gMixed, en(92)},
	{"MOTH", 4.0, gMixed, en(88)},
	{"AIND", 1.6, gAsian, []langShare{{"ENG", 35}, {"GUJ", 30}, {"PNJ", 20}, {"TAM", 15}}},
	{"APKN", 1.0, gAsian, []langShare{{"URD", 60}, {"PNJ", 20}, {"ENG", 20}}},
	{"ABAN", 3.0, gAsian, []langShare{{"BNG", 70}, {"SYL", 10}, {"ENG", 20}}},
	{"AOTH", 1.6, gAsian, []langShare{{"ENG", 40}, {"TAM", 30}, {"NEP", 15}, {"TGL", 15}}},
	{"CHNE", 0.8, gAsian, []langShare{{"CHI", 70}, {"ENG", 30}}},
	{"BCRB", 7.0, gBCRB, en(98)},
	{"BAFR", 5.5, gBlackAfrican, []langShare{{"ENG", 60}, {"FRN", 15}, {"POR", 10}, {"TWI", 15}}},
	{"BNGN", 4.0, gBlackAfrican, []langShare{{"ENG", 55}, {"YOR", 35}, {"IBO", 10}}},
	{"BGHA", 2.0, gBlackAfrican, []langShare{{"ENG", 50}, {"AKA", 40}, {"GAA", 10}}},
	{"BSOM", 1.5, gBlackAfrican, []langShare{{"SOM", 80}, {"ENG", 20}}},
	{"BCON", 0.6, gBlackAfrican, []langShare{{"LIN", 45}, {"FRN", 40}, {"ENG", 15}}},
	{"BAOF", 0.4, gBlackAfrican, []langShare{{"ENG", 60}, {"FRN", 40}}},
	{"BOTH", 3.0, gBlackOther, en(93)},
	{"OOTH", 3.0, gOther, []langShare{{"ARA", 35}, {"ENG", 35}, {"FAR", 15}, {"SPA", 15}}},
	{"OVIE", 0.8, gOther, []langShare{{"VIE", 80}, {"ENG", 20}}},
	{"OLAM", 0.7, gOther, []langShare{{"SPA", 70}, {"POR", 20}, {"ENG", 10}}},
	{"OARA", 0.5, gOther, []langShare{{"ARA", 75}, {"ENG", 25}}},
	{"REFU", 0.9, gUnknown, []langShare{{"REF", 60}, {"ENG", 40}}},
	{"NOBT", 1.2, gUnknown, []langShare{{"NOT", 70}, {"ENG", 30}}},
}

// Relative likelihoods by group. senK: identified for SEN support; fsm:
// eligible for free school meals; excl: suspended, other things equal.
var (
	senMult  = [nGroups]float64{gWBRI: 1.05, gBCRB: 1.5, gTKTC: 1.2, gBlackAfrican: 0.9, gBlackOther: 1.1, gMWBC: 1.3, gMixed: 1.0, gAsian: 0.75, gWhiteOther: 0.85, gOther: 0.9, gUnknown: 1.0}
	fsmMult  = [nGroups]float64{gWBRI: 0.62, gBCRB: 1.45, gTKTC: 1.45, gBlackAfrican: 1.3, gBlackOther: 1.3, gMWBC: 1.35, gMixed: 1.1, gAsian: 1.2, gWhiteOther: 0.8, gOther: 1.25, gUnknown: 1.0}
	exclMult = [nGroups]float64{gWBRI: 1.0, gBCRB: 1.8, gTKTC: 1.05, gBlackAfrican: 0.8, gBlackOther: 1.2, gMWBC: 1.6, gMixed: 1.1, gAsian: 0.35, gWhiteOther: 0.6, gOther: 0.7, gUnknown: 1.0}
)

// Primary needs (census sen_need codes).
var needs = []string{"SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH", "NSA"}

const (
	nSPLD = iota
	nMLD
	nSLD
	nPMLD
	nSEMH
	nSLCN
	nHI
	nVI
	nMSI
	nPD
	nASD
	nOTH
	nNSA
)

// Need weights by setting, in the order of needs.
var (
	needPrimary   = []float64{7, 11, 1.5, 0.4, 17, 30, 1.5, 0.8, 0.2, 2.5, 15, 3, 2}
	needSecondary = []float64{16, 14, 1.5, 0.3, 28, 11, 1.8, 0.8, 0.2, 2.5, 17, 3, 1}
	needSpecial   = []float64{1, 8, 22, 8, 10, 10, 1, 1, 0.5, 5, 40, 1, 0}
	needAP        = []float64{6, 8, 0, 0, 70, 6, 0, 0, 0, 0, 6, 4, 0}
)

// Census first-language codes the generator uses, indexed by langIndex.
var languages []string

const noLanguage = 255

var (
	langIndex = map[string]uint8{}
	ethTable  table
)

func init() {
	w := make([]float64, len(ethnicities))
	for i, e := range ethnicities {
		w[i] = e.share
		for _, l := range e.langs {
			if _, ok := langIndex[l.code]; !ok {
				langIndex[l.code] = uint8(len(languages))
				languages = append(languages, l.code)
			}
		}
	}
	ethTable = newTable(w)
}

// pickLanguage chooses a first language for a pupil of ethnicity e; a few
// schools leave it blank.
func pickLanguage(r rng, e int) uint8 {
	if r.chance(0.08) {
		return noLanguage
	}
	ls := ethnicities[e].langs
	w := make([]float64, len(ls))
	for i, l := range ls {
		w[i] = l.share
	}
	return langIndex[ls[r.weighted(w)].code]
}

// pickNeed chooses a primary need given the setting and ethnic group:
// SEMH is identified more often for Black Caribbean (and mixed White and
// Black Caribbean) pupils, SLCN for Turkish, Kurdish and Turkish Cypriot
// pupils, as the plan says.
func pickNeed(r rng, base []float64, group int) uint8 {
	w := append([]float64(nil), base...)
	switch group {
	case gBCRB:
		w[nSEMH] *= 2.3
	case gMWBC:
		w[nSEMH] *= 1.6
	case gTKTC:
		w[nSLCN] *= 2.3
	}
	return uint8(r.weighted(w))
}
