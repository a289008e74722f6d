package benchmark

import (
	"context"
	"database/sql/driver"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/xuri/excelize/v2"

	"planmetrics/internal/warehouse"
)

//go:embed sql/neighbours_insert.sql
var neighboursInsertSQL string

// neighbourCols is where the statistical neighbours workbook keeps things.
// Its header is messy (junk rows above it, "LA number" twice, every
// closeness column called SNP), so columns are found by name and position.
type neighbourCols struct {
	la, name, region int // -1 when absent (la never is)
	sn               []snCol
}

type snCol struct {
	rank, col, closeness int // closeness -1 when absent
}

var snHeader = regexp.MustCompile(`^sn(\d{1,2})$`)

// neighboursLayout reads a header row; ok when it has an LA number column
// and at least SN1.
func neighboursLayout(cells []string) (neighbourCols, bool) {
	c := neighbourCols{la: -1, name: -1, region: -1}
	for i, cell := range cells {
		f := fold(cell)
		switch {
		case c.la < 0 && (f == "lanum" || f == "lanumber" || f == "lacode" || f == "oldlacode"):
			c.la = i
		case c.name < 0 && (f == "laname" || f == "localauthority"):
			c.name = i
		case c.region < 0 && (f == "goreg" || f == "region" || f == "regionname"):
			c.region = i
		default:
			if m := snHeader.FindStringSubmatch(f); m != nil {
				k, _ := strconv.Atoi(m[1])
				sc := snCol{rank: k, col: i, closeness: -1}
				if i+1 < len(cells) {
					if nf := fold(cells[i+1]); strings.HasPrefix(nf, "snp") || strings.HasPrefix(nf, "closeness") {
						sc.closeness = i + 1
					}
				}
				c.sn = append(c.sn, sc)
			}
		}
	}
	hasSN1 := false
	for _, s := range c.sn {
		hasSN1 = hasSN1 || s.rank == 1
	}
	return c, c.la >= 0 && hasSN1
}

// laNumber reads an LA number cell ("204", "204.0", " 204 ").
func laNumber(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 && f == float64(int(f)) {
		return int(f), true
	}
	return 0, false
}

type snRow struct {
	la       int
	name     string
	region   string
	rank     int
	sn       int
	close    string
	current  bool
	rowIndex int
}

type rejectRow struct {
	row                          int64
	column, value, rule, message string
}

// loadNeighbours loads the DfE statistical neighbours workbook: for each LA
// its SN1..SN10 with closeness. Rows under an "Old SNs" line are kept with
// is_current false. The newest workbook loaded replaces the previous one.
func (l *loader) loadNeighbours(ctx context.Context, p, name string) (res Result, err error) {
	sheet, headerRow, found, err := findNeighboursHeader(p)
	if errors.Is(err, errNotWorkbook) {
		return res, &FileError{File: name, Err: errors.Join(ErrNotBenchmark, err),
			Reason: "not a statistical neighbours workbook: " + err.Error()}
	}
	if err != nil {
		return res, &FileError{File: name, Reason: err.Error(), Err: err}
	}
	if sheet == "" {
		return res, &FileError{File: name, Err: ErrNotBenchmark,
			Reason: "not a statistical neighbours workbook: expected a header row with LA num, LA Name, SN1, SNP, SN2 ... in the first " +
				strconv.Itoa(neighboursHeaderRows) + " rows of a sheet; " + found}
	}
	res.Sheet, res.HeaderRow, res.Files = sheet, headerRow, []string{name}

	var (
		out     []snRow
		rejects []rejectRow
	)
	readErr := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("read workbook: %v", r)
			}
		}()
		f, err := excelize.OpenFile(p)
		if err != nil {
			return err
		}
		defer f.Close()
		rows, err := f.Rows(sheet)
		if err != nil {
			return err
		}
		defer rows.Close()
		var (
			cols   neighbourCols
			header []string
		)
		current := true
		for r := 1; rows.Next(); r++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			cells, err := rows.Columns()
			if err != nil {
				return fmt.Errorf("row %d: %w", r, err)
			}
			if r < headerRow {
				res.RowsSkipped++ // the junk rows above the header
				continue
			}
			if r == headerRow {
				cols, _ = neighboursLayout(cells)
				header = cells
				continue
			}
			cell := func(i int) string {
				if i < 0 || i >= len(cells) {
					return ""
				}
				return strings.TrimSpace(cells[i])
			}
			if nonEmpty(cells) == 0 {
				res.RowsSkipped++
				continue
			}
			if strings.Contains(strings.ToLower(strings.Join(cells, " ")), "old sn") {
				current = false // what follows are LAs that no longer exist
				res.RowsSkipped++
				continue
			}
			if _, again := neighboursLayout(cells); again {
				res.RowsSkipped++ // a repeated header
				continue
			}
			res.RowsRead++
			la, ok := laNumber(cell(cols.la))
			if !ok {
				res.RowsRejected++
				rejects = append(rejects, rejectRow{int64(r), strings.TrimSpace(header[cols.la]), cell(cols.la), "la_number",
					"the LA number must be a whole number such as 204"})
				continue
			}
			n := 0
			for _, s := range cols.sn {
				v := cell(s.col)
				if v == "" {
					continue
				}
				sn, ok := laNumber(v)
				if !ok {
					rejects = append(rejects, rejectRow{int64(r), "SN" + strconv.Itoa(s.rank), v, "sn_la_number",
						"a statistical neighbour must be an LA number such as 210; this neighbour is left out"})
					continue
				}
				out = append(out, snRow{la: la, name: cell(cols.name), region: cell(cols.region), rank: s.rank,
					sn: sn, close: cell(s.closeness), current: current, rowIndex: r})
				n++
			}
			if n == 0 {
				res.RowsRejected++
				rejects = append(rejects, rejectRow{int64(r), "SN1", "", "statistical_neighbours",
					"the row names no statistical neighbours (SN1 ... SN10 are blank)"})
				continue
			}
			res.RowsAccepted++
		}
		return rows.Error()
	}()
	if readErr != nil {
		return res, &FileError{File: name, Sheet: sheet, Reason: readErr.Error(), Err: readErr}
	}

	if _, err := l.conn.ExecContext(ctx, `create or replace temp table bm_sn (
		la_number integer, la_name varchar, region varchar, sn_rank integer, sn_la_number integer,
		closeness varchar, is_current boolean, row_number bigint)`); err != nil {
		return res, fmt.Errorf("stage statistical neighbours: %w", err)
	}
	defer l.conn.ExecContext(context.WithoutCancel(ctx), `drop table if exists temp.bm_sn`)
	err = warehouse.WithDriverConn(l.conn, func(dc driver.Conn) error {
		a, err := duckdb.NewAppender(dc, "temp", "main", "bm_sn")
		if err != nil {
			return err
		}
		for _, s := range out {
			if err := a.AppendRow(int32(s.la), s.name, s.region, int32(s.rank), int32(s.sn), s.close, s.current, int64(s.rowIndex)); err != nil {
				a.Close()
				return err
			}
		}
		return a.Close()
	})
	if err != nil {
		return res, fmt.Errorf("stage statistical neighbours: %w", err)
	}
	// The newest workbook replaces the previous one.
	if _, err := l.conn.ExecContext(ctx, `delete from benchmark.statistical_neighbours`); err != nil {
		return res, fmt.Errorf("replace statistical neighbours: %w", err)
	}
	r, err := l.conn.ExecContext(ctx, neighboursInsertSQL, l.loadID, name)
	if err != nil {
		return res, fmt.Errorf("load statistical neighbours: %w", err)
	}
	res.Values, _ = r.RowsAffected()
	if err := l.rejects(ctx, name, sheet, rejects); err != nil {
		return res, err
	}
	return res, nil
}

// rejects writes row-level rejects to meta.rejects.
func (l *loader) rejects(ctx context.Context, file, sheet string, rs []rejectRow) error {
	for _, r := range rs {
		_, err := l.conn.ExecContext(ctx, `insert into meta.rejects (load_id, file, sheet, row_number, column_name, value, rule, message)
			values (?, ?, nullif(?, ''), ?, ?, ?, ?, ?)`, l.loadID, file, sheet, r.row, r.column, r.value, r.rule, r.message)
		if err != nil {
			return fmt.Errorf("record reject for %s row %d: %w", file, r.row, err)
		}
	}
	return nil
}
