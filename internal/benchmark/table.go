package benchmark

import (
	"context"
	_ "embed"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"planmetrics/internal/warehouse"
)

var (
	//go:embed sql/rows_checked.sql
	rowsCheckedSQL string
	//go:embed sql/values_dimensions.sql
	valuesDimensionsSQL string
	//go:embed sql/values_insert.sql
	valuesInsertSQL string
	//go:embed sql/values_warnings.sql
	valuesWarningsSQL string
	//go:embed sql/rows_rejects.sql
	rowsRejectsSQL string
	//go:embed sql/rows_counts.sql
	rowsCountsSQL string
	//go:embed sql/column_stats.sql
	columnStatsSQL string
	//go:embed sql/lait_rows.sql
	laitRowsSQL string
)

// sidecars is what files beside an EES data file say about its columns: the
// .meta.csv (filter or indicator, label) and the data guidance
// (descriptions). Keys are lower-case column names.
type sidecars struct {
	colType     map[string]string // "filter" | "indicator"
	label       map[string]string
	unit        map[string]string
	decimals    map[string]int
	description map[string]string
}

// eesGeography are the standard EES columns that place a row; they are
// never filters or indicators.
var eesGeography = []string{"time_period", "time_identifier", "geographic_level", "country_code", "country_name",
	"region_code", "region_name", "new_la_code", "old_la_code", "la_name"}

// eesOtherGeography are columns of geographic levels below or beside LAs
// (districts, constituencies, schools, providers ...). Rows of those levels
// are skipped, and their columns are neither filters nor indicators.
var eesOtherGeography = map[string]bool{
	"lad_code": true, "lad_name": true, "pcon_code": true, "pcon_name": true, "ward_code": true, "ward_name": true,
	"local_enterprise_partnership_code": true, "local_enterprise_partnership_name": true,
	"english_devolved_area_code": true, "english_devolved_area_name": true,
	"opportunity_area_code": true, "opportunity_area_name": true, "rsc_region_lead_name": true,
	"mcas_code": true, "mcas_name": true, "cauth_code": true, "cauth_name": true,
	"local_skills_improvement_plan_area_code": true, "local_skills_improvement_plan_area_name": true,
	"lsip_code": true, "lsip_name": true, "police_force_area_code": true, "police_force_area_name": true,
	"planning_area_code": true, "planning_area_name": true,
	"school_urn": true, "school_laestab": true, "school_name": true, "school_postcode": true,
	"trust_id": true, "trust_name": true, "sponsor_id": true, "sponsor_name": true,
	"provider_ukprn": true, "provider_name": true, "institution_id": true, "institution_name": true,
}

// scorecardGeography maps the scorecard's own column names onto the EES ones.
var scorecardGeography = map[string]string{
	"year": "time_period", "geographic_level": "geographic_level", "country_code": "country_code",
	"country_name": "country_name", "region_code": "region_code", "region": "region_name",
	"lanumber": "old_la_code", "new_la_code": "new_la_code", "la_name": "la_name",
}

// loadTable loads one CSV or parquet file of returnType.
func (l *loader) loadTable(ctx context.Context, path, name, returnType string, side sidecars) (Result, error) {
	var (
		header []string
		err    error
	)
	isParquet := strings.EqualFold(filepath.Ext(path), ".parquet")
	if isParquet {
		header, err = parquetColumns(ctx, l.conn, path)
	} else {
		header, err = readHeader(path)
	}
	if err != nil {
		return Result{}, &FileError{File: name, Reason: err.Error(), Err: err}
	}
	k := classify(header)
	if k == kindUnknown {
		return Result{}, &FileError{File: name, Err: ErrNotBenchmark,
			Reason: "not a benchmark file: " + expectedFormats + "; its columns are " + headerList(header)}
	}
	if k.returnType() != returnType {
		return Result{}, &FileError{File: name, Err: ErrNotBenchmark,
			Reason: fmt.Sprintf("not a %s file: it is %s (load it as --return %s)", returnType, k, k.returnType())}
	}
	if isParquet && k != kindLAIT {
		return Result{}, &FileError{File: name, Err: ErrNotBenchmark, Reason: "only LAIT long tables are read from parquet"}
	}
	res := Result{HeaderRow: 1, Files: []string{name}}
	if err := l.stage(ctx, path, isParquet); err != nil {
		return res, &FileError{File: name, Reason: err.Error(), Err: err}
	}
	defer l.dropStage(context.WithoutCancel(ctx))
	cols, err := l.stagedColumns(ctx)
	if err != nil {
		return res, err
	}
	switch k {
	case kindEES, kindScorecard:
		err = l.loadWide(ctx, &res, name, k, cols, side)
	case kindLAIT:
		err = l.loadLAIT(ctx, &res, name, cols)
	case kindLAITDictionary:
		err = l.loadLAITDictionary(ctx, &res, name, cols)
	case kindScorecardMetadata:
		err = l.loadLabels(ctx, &res, name, TypeScorecard, "", cols, "programmer_friendly_names", "user_friendly_names")
	case kindEESMeta:
		err = l.loadLabels(ctx, &res, name, TypeEES, strings.TrimSuffix(datasetName(name), ".meta"), cols, "col_name", "label")
	}
	return res, err
}

// stage reads the whole file, all text, into temp table bm_src with its row
// number (_bm_row: the file's line, header = 1, or parquet row).
func (l *loader) stage(ctx context.Context, path string, isParquet bool) error {
	if isParquet {
		_, err := l.conn.ExecContext(ctx, `create or replace temp table bm_src as
			select * exclude (file_row_number), file_row_number + 1 as _bm_row
			from read_parquet(?, file_row_number = true)`, path)
		if err != nil {
			return fmt.Errorf("read parquet: %w", err)
		}
		return nil
	}
	const q = `create or replace temp table bm_src as
		select row_number() over () + 1 as _bm_row, *
		from read_csv(?, header = true, all_varchar = true, encoding = ?)`
	_, err := l.conn.ExecContext(ctx, q, path, "utf-8")
	if err != nil && strings.Contains(strings.ToLower(err.Error()), "unicode") {
		// Saved from Excel in Windows-1252: read it as Latin-1 rather than fail.
		_, err = l.conn.ExecContext(ctx, q, path, "latin-1")
	}
	if err != nil {
		return fmt.Errorf("read csv: %w", err)
	}
	return nil
}

func (l *loader) dropStage(ctx context.Context) {
	for _, t := range []string{"bm_src", "bm_rows", "bm_long", "bm_checked", "bm_lait", "bm_ids"} {
		l.conn.ExecContext(ctx, "drop table if exists temp."+t)
	}
}

// stagedColumns lists bm_src's columns (DuckDB's names: duplicates come back
// as name_1) other than _bm_row.
func (l *loader) stagedColumns(ctx context.Context) ([]string, error) {
	rows, err := l.conn.QueryContext(ctx, `select * from bm_src limit 0`)
	if err != nil {
		return nil, fmt.Errorf("staged columns: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range cols {
		if c != "_bm_row" {
			out = append(out, c)
		}
	}
	return out, nil
}

// loadWide loads an EES tidy file or a scorecard: one row per area, period
// and filter combination, one column per indicator.
func (l *loader) loadWide(ctx context.Context, res *Result, name string, k kind, cols []string, side sidecars) error {
	source := TypeEES
	if k == kindScorecard {
		source = TypeScorecard
	}
	// Which staged column plays which standard role.
	role := map[string]string{} // standard name -> staged column
	var candidates []string
	for _, c := range cols {
		lc := strings.ToLower(strings.TrimSpace(c))
		std := ""
		if k == kindScorecard {
			std = scorecardGeography[strings.ReplaceAll(lc, " ", "_")]
		} else {
			for _, g := range eesGeography {
				if lc == g {
					std = g
				}
			}
		}
		switch {
		case std != "":
			if _, dup := role[std]; !dup {
				role[std] = c
			}
		case k == kindEES && eesOtherGeography[lc]:
			// a column of another geographic level: neither filter nor indicator
		default:
			candidates = append(candidates, c)
		}
	}
	if len(candidates) == 0 {
		return &FileError{File: name, Err: ErrNotBenchmark, Reason: "the file has no columns besides the time and area columns: nothing to load"}
	}
	expr := func(std string) string {
		if c, ok := role[std]; ok {
			return warehouse.QuoteIdent(c)
		}
		if std == "time_identifier" && k == kindScorecard {
			return "'Academic year'" // scorecards are by academic year (2024/25)
		}
		return "null::varchar"
	}
	var sel []string
	for _, std := range eesGeography {
		sel = append(sel, expr(std)+" as "+std)
	}
	if _, err := l.conn.ExecContext(ctx, `create or replace temp table bm_rows as select _bm_row, '{}' as filters, `+
		strings.Join(sel, ", ")+`, null::integer as la_hint, null::varchar as stage_problem,
		null::varchar as stage_column, null::varchar as stage_value from bm_src`); err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}
	if err := l.unpivot(ctx, candidates); err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}

	filters, indicators, ignored, err := l.classifyColumns(ctx, candidates, k, side)
	if err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}
	if len(indicators) == 0 {
		return &FileError{File: name, Err: ErrNotBenchmark,
			Reason: "no indicator columns: no column other than time and area holds numbers (" + headerList(candidates) + ")"}
	}
	if len(filters) > 0 {
		if err := l.setFilters(ctx, filters); err != nil {
			return fmt.Errorf("stage %s: %w", name, err)
		}
	}
	if drop := append(append([]string(nil), filters...), ignored...); len(drop) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(drop)), ", ")
		if _, err := l.conn.ExecContext(ctx, `delete from bm_long where indicator in (`+ph+`)`, anySlice(drop)...); err != nil {
			return fmt.Errorf("stage %s: %w", name, err)
		}
	}
	if err := l.finish(ctx, res, name, source, role, "old_la_code"); err != nil {
		return err
	}
	return l.indicatorLabels(ctx, res, source, datasetName(name), indicators, side)
}

// unpivot turns bm_src's candidate columns into bm_long (one row per source
// row and column; blank cells are dropped).
func (l *loader) unpivot(ctx context.Context, cols []string) error {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = warehouse.QuoteIdent(c)
	}
	list := strings.Join(q, ", ")
	_, err := l.conn.ExecContext(ctx, `create or replace temp table bm_long as
		select _bm_row, indicator, raw, benchmark.parse_value(raw) as v
		from (unpivot (select _bm_row, `+list+` from bm_src) on `+list+` into name indicator value raw)
		where nullif(trim(raw), '') is not null`)
	return err
}

// classifyColumns decides which candidate columns are filters and which are
// indicators: as the .meta.csv says when there is one; a scorecard's are
// all indicators; otherwise a column is an indicator when it holds numbers
// and, symbols aside, at most three distinct stray texts in at most 1% of
// its cells (or one cell): a filter repeats its texts ("Total") on every
// area and period.
// Columns with no cell in the rows loaded are ignored.
func (l *loader) classifyColumns(ctx context.Context, cols []string, k kind, side sidecars) (filters, indicators, ignored []string, err error) {
	type stat struct{ nonblank, numbers, textCells, textValues int64 }
	stats := map[string]stat{}
	rows, err := l.conn.QueryContext(ctx, columnStatsSQL)
	if err != nil {
		return nil, nil, nil, err
	}
	for rows.Next() {
		var c string
		var s stat
		if err := rows.Scan(&c, &s.nonblank, &s.numbers, &s.textCells, &s.textValues); err != nil {
			rows.Close()
			return nil, nil, nil, err
		}
		stats[c] = s
	}
	if err := rows.Close(); err != nil {
		return nil, nil, nil, err
	}
	anyNumbers := false
	for _, s := range stats {
		anyNumbers = anyNumbers || s.numbers > 0
	}
	for _, c := range cols {
		s, seen := stats[c]
		t := side.colType[strings.ToLower(c)]
		switch {
		case t == "filter":
			filters = append(filters, c)
		case t == "indicator":
			indicators = append(indicators, c)
		case !seen || s.nonblank == 0:
			ignored = append(ignored, c)
		case k == kindScorecard:
			indicators = append(indicators, c)
		case s.textCells == 0 && (s.numbers > 0 || anyNumbers):
			indicators = append(indicators, c) // numbers and symbols only (or symbols only)
		case s.numbers > 0 && s.textValues <= 3 && s.textCells <= max(s.nonblank/100, 1):
			indicators = append(indicators, c) // numbers with a stray text value: kept as symbols, with warnings
		default:
			filters = append(filters, c)
		}
	}
	return filters, indicators, ignored, nil
}

// setFilters writes each row's filter values into bm_rows.filters as a JSON
// object, keys (lower-case column names) sorted, so that equal filter
// combinations are equal strings.
func (l *loader) setFilters(ctx context.Context, filters []string) error {
	sorted := append([]string(nil), filters...)
	sort.Slice(sorted, func(i, j int) bool { return strings.ToLower(sorted[i]) < strings.ToLower(sorted[j]) })
	var parts []string
	var args []any
	for _, f := range sorted {
		parts = append(parts, "?, trim(s."+warehouse.QuoteIdent(f)+")")
		args = append(args, strings.ToLower(f))
	}
	_, err := l.conn.ExecContext(ctx, `update bm_rows set filters = cast(json_object(`+strings.Join(parts, ", ")+`) as varchar)
		from bm_src s where s._bm_row = bm_rows._bm_row`, args...)
	return err
}

// finish resolves areas and periods, supersedes an earlier file of the same
// name, writes values, rejects and warnings, and counts rows.
func (l *loader) finish(ctx context.Context, res *Result, name, source string, role map[string]string, laRole string) error {
	colName := func(std, fallback string) string {
		if c, ok := role[std]; ok {
			return c
		}
		return fallback
	}
	if _, err := l.conn.ExecContext(ctx, rowsCheckedSQL, colName("time_period", "time_period"),
		colName("geographic_level", "geographic_level"), colName("region_code", "region_code"), colName(laRole, laRole)); err != nil {
		return fmt.Errorf("resolve areas of %s: %w", name, err)
	}
	dataset := datasetName(name)
	if _, err := l.conn.ExecContext(ctx, `delete from benchmark.observations where dataset_id in
		(select dataset_id from benchmark.datasets where source = ? and dataset = ?)`, source, dataset); err != nil {
		return fmt.Errorf("supersede %s: %w", name, err)
	}
	if _, err := l.conn.ExecContext(ctx, `delete from benchmark.datasets where source = ? and dataset = ?`, source, dataset); err != nil {
		return fmt.Errorf("supersede %s: %w", name, err)
	}
	var datasetID int64
	if err := l.conn.QueryRowContext(ctx, `insert into benchmark.datasets (dataset_id, load_id, source, dataset, file)
		values (nextval('benchmark.dataset_seq'), ?, ?, ?, ?) returning dataset_id`, l.loadID, source, dataset, name).Scan(&datasetID); err != nil {
		return fmt.Errorf("record dataset %s: %w", name, err)
	}
	if _, err := l.conn.ExecContext(ctx, valuesDimensionsSQL); err != nil {
		return fmt.Errorf("load %s: %w", name, err)
	}
	r, err := l.conn.ExecContext(ctx, valuesInsertSQL, datasetID)
	if err != nil {
		return fmt.Errorf("load %s: %w", name, err)
	}
	n, _ := r.RowsAffected()
	res.Values += n
	if _, err := l.conn.ExecContext(ctx, rowsRejectsSQL, l.loadID, name); err != nil {
		return fmt.Errorf("record rejects of %s: %w", name, err)
	}
	w, err := l.conn.ExecContext(ctx, valuesWarningsSQL, l.loadID, name)
	if err != nil {
		return fmt.Errorf("record warnings of %s: %w", name, err)
	}
	if nw, _ := w.RowsAffected(); nw > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: %d cells are neither numbers nor published symbols; kept as symbols (see meta.warnings)", name, nw))
	}
	var read, accepted, rejected, skipped int64
	if err := l.conn.QueryRowContext(ctx, rowsCountsSQL).Scan(&read, &accepted, &rejected, &skipped); err != nil {
		return fmt.Errorf("count rows of %s: %w", name, err)
	}
	res.RowsRead += read
	res.RowsAccepted += accepted
	res.RowsRejected += rejected
	res.RowsSkipped += skipped
	return nil
}

// indicatorLabels records the indicators of a dataset, with what its
// sidecars say about them, in benchmark.indicators.
func (l *loader) indicatorLabels(ctx context.Context, res *Result, source, dataset string, indicators []string, side sidecars) error {
	if _, err := l.conn.ExecContext(ctx, `delete from benchmark.indicators where source = ? and dataset = ?`, source, dataset); err != nil {
		return fmt.Errorf("supersede indicator labels: %w", err)
	}
	for _, ind := range indicators {
		lc := strings.ToLower(ind)
		var dec any
		if d, ok := side.decimals[lc]; ok {
			dec = d
		}
		_, err := l.conn.ExecContext(ctx, `insert into benchmark.indicators (load_id, source, dataset, indicator, label, description, unit, decimals)
			values (?, ?, ?, ?, nullif(?, ''), nullif(?, ''), nullif(?, ''), ?)`,
			l.loadID, source, dataset, ind, side.label[lc], side.description[lc], side.unit[lc], dec)
		if err != nil {
			return fmt.Errorf("record indicator %s: %w", ind, err)
		}
	}
	return nil
}

// loadLAIT loads LAIT's long table: Short Desc, Data item, Years, LA and
// Regions, Values, LA Number, Region.
func (l *loader) loadLAIT(ctx context.Context, res *Result, name string, cols []string) error {
	find := func(names ...string) string {
		for _, c := range cols {
			for _, n := range names {
				if fold(c) == fold(n) {
					return warehouse.QuoteIdent(c)
				}
			}
		}
		return ""
	}
	ind, years, area, val, num := find("Short Desc"), find("Years"), find("LA and Regions", "LA Name"), find("Values"), find("LA Number")
	if area == "" {
		area = "null"
	}
	// Renaming only: identifiers quoted, no data in the SQL text.
	_, err := l.conn.ExecContext(ctx, `create or replace temp table bm_lait as select _bm_row,
		cast(`+ind+` as varchar) as indicator, cast(`+years+` as varchar) as years,
		cast(`+area+` as varchar) as area_name, cast(`+val+` as varchar) as raw,
		cast(`+num+` as varchar) as la_number_text from bm_src`)
	if err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}
	if _, err := l.conn.ExecContext(ctx, laitRowsSQL); err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}
	role := map[string]string{"time_period": "Years", "geographic_level": "LA Number", "region_code": "LA Number", "old_la_code": "LA Number"}
	return l.finish(ctx, res, name, TypeLAIT, role, "old_la_code")
}

// loadLAITDictionary loads the LAIT data dictionary into
// benchmark.indicators: label, polarity, units and year type per indicator.
func (l *loader) loadLAITDictionary(ctx context.Context, res *Result, name string, cols []string) error {
	find := func(n string) string {
		for _, c := range cols {
			if fold(c) == fold(n) {
				return "trim(cast(" + warehouse.QuoteIdent(c) + " as varchar))"
			}
		}
		return "null::varchar"
	}
	dataset := datasetName(name)
	if _, err := l.conn.ExecContext(ctx, `delete from benchmark.indicators where source = 'lait' and dataset = ?`, dataset); err != nil {
		return fmt.Errorf("supersede %s: %w", name, err)
	}
	short := find("Measure_short")
	// A measure listed under two topics appears twice: keep its first row.
	r, err := l.conn.ExecContext(ctx, `insert into benchmark.indicators
		(load_id, source, dataset, indicator, label, description, polarity, unit, year_type, decimals)
		select ?, 'lait', ?, `+short+`, `+find("Measure")+`, `+find("Description")+`, `+find("Polarity")+`,
			`+find("y_axis_name")+`, `+find("Year_Type")+`, try_cast(`+find("dps")+` as integer)
		from bm_src
		where nullif(`+short+`, '') is not null
		qualify row_number() over (partition by `+short+` order by _bm_row) = 1`, l.loadID, dataset)
	if err != nil {
		return fmt.Errorf("load %s: %w", name, err)
	}
	res.Values, _ = r.RowsAffected()
	return l.countLabelRows(ctx, res, name, short, "Measure_short")
}

// loadLabels loads a column key (indicator -> label): the scorecard's
// metadata.csv or an EES .meta.csv.
func (l *loader) loadLabels(ctx context.Context, res *Result, name, source, dataset string, cols []string, keyCol, labelCol string) error {
	find := func(n string) string {
		for _, c := range cols {
			if fold(c) == fold(n) {
				return "trim(cast(" + warehouse.QuoteIdent(c) + " as varchar))"
			}
		}
		return "null::varchar"
	}
	if dataset == "" {
		dataset = datasetName(name)
	}
	key := find(keyCol)
	if _, err := l.conn.ExecContext(ctx, `delete from benchmark.indicators where source = ? and dataset = ?`, source, dataset); err != nil {
		return fmt.Errorf("supersede %s: %w", name, err)
	}
	where := ""
	if source == TypeEES {
		where = " and lower(" + find("col_type") + ") = 'indicator'"
	}
	r, err := l.conn.ExecContext(ctx, `insert into benchmark.indicators (load_id, source, dataset, indicator, label, unit, decimals)
		select ?, ?, ?, `+key+`, `+find(labelCol)+`, `+find("indicator_unit")+`, try_cast(`+find("indicator_dp")+` as integer)
		from bm_src where nullif(`+key+`, '') is not null`+where+`
		qualify row_number() over (partition by `+key+` order by _bm_row) = 1`, l.loadID, source, dataset)
	if err != nil {
		return fmt.Errorf("load %s: %w", name, err)
	}
	res.Values, _ = r.RowsAffected()
	return l.countLabelRows(ctx, res, name, key, keyCol)
}

// countLabelRows counts a key file's rows; a row without a key is rejected.
func (l *loader) countLabelRows(ctx context.Context, res *Result, name, keyExpr, keyCol string) error {
	if _, err := l.conn.ExecContext(ctx, `insert into meta.rejects (load_id, file, sheet, row_number, column_name, value, rule, message)
		select ?, ?, null, _bm_row, ?, null, 'required', 'the indicator name is blank' from bm_src
		where nullif(`+keyExpr+`, '') is null`, l.loadID, name, keyCol); err != nil {
		return fmt.Errorf("record rejects of %s: %w", name, err)
	}
	var total, blank int64
	if err := l.conn.QueryRowContext(ctx, `select count(*), count(*) filter (where nullif(`+keyExpr+`, '') is null) from bm_src`).Scan(&total, &blank); err != nil {
		return fmt.Errorf("count rows of %s: %w", name, err)
	}
	res.RowsRead += total
	res.RowsRejected += blank
	res.RowsAccepted += total - blank
	return nil
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
