package metrics

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"

	"planmetrics/internal/warehouse"
)

// loadSeeds replaces schema seed with one table per *.csv file at the root
// of fsys: seed.<file name>, every column VARCHAR (metric SQL casts what it
// needs), an empty cell NULL; lines starting with # are notes. Seeds are small reference tables, so rows go
// in through one prepared statement.
func loadSeeds(ctx context.Context, tx *sql.Tx, fsys fs.FS) error {
	files, err := fs.Glob(fsys, "*.csv")
	if err != nil {
		return err
	}
	sort.Strings(files)
	if _, err := tx.ExecContext(ctx, "drop schema if exists seed cascade; create schema seed;"); err != nil {
		return fmt.Errorf("reset seed schema: %w", err)
	}
	for _, f := range files {
		if err := loadSeed(ctx, tx, fsys, f); err != nil {
			return fmt.Errorf("seed %s: %w", f, err)
		}
	}
	return nil
}

func loadSeed(ctx context.Context, tx *sql.Tx, fsys fs.FS, file string) error {
	name, err := seedName(file)
	if err != nil {
		return err
	}
	fh, err := fsys.Open(file)
	if err != nil {
		return err
	}
	defer fh.Close()
	br := bufio.NewReader(fh)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" { // saved from Excel
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.ReuseRecord = true
	r.Comment = '#' // seeds may start with lines of notes
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty file: it needs a header row")
		}
		return err
	}
	cols := make([]string, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !idPattern.MatchString(h) {
			return fmt.Errorf("header column %d %q: use lowercase letters, digits and _", i+1, h)
		}
		cols[i] = warehouse.QuoteIdent(h) + " varchar"
	}
	table := warehouse.QuoteIdent("seed") + "." + warehouse.QuoteIdent(name)
	if _, err := tx.ExecContext(ctx, "create table "+table+" ("+strings.Join(cols, ", ")+")"); err != nil {
		return fmt.Errorf("create %s: %w", table, err)
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	stmt, err := tx.PrepareContext(ctx, "insert into "+table+" values ("+marks+")")
	if err != nil {
		return err
	}
	defer stmt.Close()
	args := make([]any, len(cols))
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err // *csv.ParseError carries the line
		}
		for i, v := range rec {
			if v = strings.TrimSpace(v); v == "" {
				args[i] = nil
			} else {
				args[i] = v
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			line, _ := r.FieldPos(0)
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
}
