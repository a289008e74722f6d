package benchmark

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

var errNoMembers = errors.New("no member of the zip is a benchmark table")

// maxMemberBytes caps what one zip member may expand to (a guard against zip
// bombs; EES releases are tens of megabytes).
const maxMemberBytes = 4 << 30

// loadZip loads every benchmark table in a release zip (EES data files, and
// LAIT or scorecard files should a zip hold them), using the release's
// .meta.csv files and data guidance for column types and labels. Members in
// no benchmark format, or not of the type forced (when forced is not ""),
// are skipped with a warning.
func (l *loader) loadZip(ctx context.Context, p, forced string) (Result, error) {
	zipName := filepath.Base(p)
	zr, err := zip.OpenReader(p)
	if err != nil {
		return Result{}, &FileError{File: zipName, Reason: "open zip: " + err.Error(), Err: err}
	}
	defer zr.Close()
	dir, err := os.MkdirTemp("", "planmetrics-benchmark-")
	if err != nil {
		return Result{}, fmt.Errorf("temp dir for %s: %w", zipName, err)
	}
	defer os.RemoveAll(dir)

	// Sidecars first: data guidance and .meta.csv files, by data file name.
	guidance := map[string]map[string]string{}
	metas := map[string]sidecars{}
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		switch {
		case strings.HasSuffix(name, ".meta.csv"):
			side, err := readMember(f, readMetaCSV)
			if err != nil {
				return Result{}, &FileError{File: zipName + "!" + f.Name, Reason: err.Error(), Err: err}
			}
			metas[strings.TrimSuffix(path.Base(name), ".meta.csv")] = side
		case strings.Contains(path.Base(name), "guidance") && (strings.HasSuffix(name, ".txt") || strings.HasSuffix(name, ".md")):
			g, err := readMember(f, parseGuidance)
			if err != nil {
				return Result{}, &FileError{File: zipName + "!" + f.Name, Reason: err.Error(), Err: err}
			}
			for k, v := range g {
				guidance[k] = v
			}
		}
	}

	var res Result
	for i, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		lower := strings.ToLower(f.Name)
		if f.FileInfo().IsDir() || strings.HasSuffix(lower, ".meta.csv") {
			continue
		}
		display := zipName + "!" + f.Name
		if !strings.HasSuffix(lower, ".csv") {
			if !strings.Contains(path.Base(lower), "guidance") {
				if err := l.warn(ctx, &res, display, "", "", "", "zip_member_skipped", "skipped: only CSV members are loaded"); err != nil {
					return res, err
				}
			}
			continue
		}
		if f.UncompressedSize64 > maxMemberBytes {
			return res, &FileError{File: display, Reason: fmt.Sprintf("member expands to %d bytes, more than the %d allowed", f.UncompressedSize64, int64(maxMemberBytes))}
		}
		// Extract under a name of our own: member names may hold "..".
		local := filepath.Join(dir, strconv.Itoa(i)+"_"+sanitize(path.Base(f.Name)))
		if err := extract(f, local); err != nil {
			return res, &FileError{File: display, Reason: "extract: " + err.Error(), Err: err}
		}
		header, err := readHeader(local)
		k := kindUnknown
		if err == nil {
			k = classify(header)
		}
		if k != kindEES && k != kindLAIT && k != kindScorecard {
			why := "skipped: not a benchmark table (" + expectedFormats + ")"
			if err != nil {
				why = "skipped: " + err.Error()
			}
			if err := l.warn(ctx, &res, display, "", "", "", "zip_member_skipped", why); err != nil {
				return res, err
			}
			os.Remove(local)
			continue
		}
		if forced != "" && k.returnType() != forced {
			if err := l.warn(ctx, &res, display, "", "", "", "zip_member_skipped",
				fmt.Sprintf("skipped: it is %s, not a %s file", k, forced)); err != nil {
				return res, err
			}
			os.Remove(local)
			continue
		}
		stem := strings.ToLower(strings.TrimSuffix(path.Base(f.Name), path.Ext(f.Name)))
		side := metas[stem]
		if g, ok := guidance[stem]; ok {
			side.description = g
		}
		r, err := l.loadTable(ctx, local, display, k.returnType(), side)
		os.Remove(local)
		var fe *FileError
		if errors.As(err, &fe) && errors.Is(err, ErrNotBenchmark) {
			// A member that turned out to hold nothing loadable (no indicator
			// columns, say) does not sink the rest of the release.
			if err := l.warn(ctx, &res, display, "", "", "", "zip_member_skipped", "skipped: "+fe.Reason); err != nil {
				return res, err
			}
			continue
		}
		if err != nil {
			return res, err
		}
		res.add(r)
	}
	res.HeaderRow = 1
	if len(res.Files) == 0 {
		why := expectedFormats
		if len(res.Warnings) > 0 {
			why = strings.Join(res.Warnings, "; ")
		}
		return res, &FileError{File: zipName, Err: ErrNotBenchmark, Reason: errNoMembers.Error() + " (" + why + ")"}
	}
	return res, nil
}

func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 {
			return '_'
		}
		return r
	}, name)
}

func extract(f *zip.File, dst string) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, io.LimitReader(rc, maxMemberBytes)); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func readMember[T any](f *zip.File, parse func(io.Reader) (T, error)) (T, error) {
	var zero T
	rc, err := f.Open()
	if err != nil {
		return zero, err
	}
	defer rc.Close()
	return parse(io.LimitReader(rc, 64<<20))
}

// readMetaCSV reads an EES .meta.csv: col_name, col_type (Filter |
// Indicator), label, indicator_unit, indicator_dp.
func readMetaCSV(r io.Reader) (sidecars, error) {
	side := sidecars{colType: map[string]string{}, label: map[string]string{}, unit: map[string]string{}, decimals: map[string]int{}}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return side, fmt.Errorf("read .meta.csv: %w", err)
	}
	if len(recs) == 0 {
		return side, nil
	}
	recs[0][0] = strings.TrimPrefix(recs[0][0], "\ufeff")
	idx := columnIndex(recs[0])
	get := func(rec []string, col string) string {
		i, ok := idx[fold(col)]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	for _, rec := range recs[1:] {
		name := strings.ToLower(get(rec, "col_name"))
		if name == "" {
			continue
		}
		switch strings.ToLower(get(rec, "col_type")) {
		case "filter":
			side.colType[name] = "filter"
		case "indicator":
			side.colType[name] = "indicator"
		}
		side.label[name] = get(rec, "label")
		side.unit[name] = get(rec, "indicator_unit")
		if d, err := strconv.Atoi(get(rec, "indicator_dp")); err == nil {
			side.decimals[name] = d
		}
	}
	return side, nil
}

var (
	guidanceFile = regexp.MustCompile(`(?i)^\s*filename:\s*(\S+)`)
	guidanceVar  = regexp.MustCompile(`^\s*([A-Za-z0-9_]+)\s*\|\s*(.+?)\s*$`)
)

// parseGuidance reads an EES data guidance text: sections starting
// "Filename: x.csv" with a "Variable name | Variable description" table.
// It returns descriptions by lower-case file stem and column name.
func parseGuidance(r io.Reader) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	cur := ""
	for sc.Scan() {
		line := sc.Text()
		if m := guidanceFile.FindStringSubmatch(line); m != nil {
			cur = strings.ToLower(strings.TrimSuffix(m[1], path.Ext(m[1])))
			if out[cur] == nil {
				out[cur] = map[string]string{}
			}
			continue
		}
		if cur == "" {
			continue
		}
		if m := guidanceVar.FindStringSubmatch(line); m != nil && !strings.EqualFold(m[1], "Variable") {
			out[cur][strings.ToLower(m[1])] = m[2]
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read data guidance: %w", err)
	}
	return out, nil
}

// besideSidecars reads the .meta.csv and data guidance sitting beside a data
// file outside a zip, when there are any.
func besideSidecars(p string) (sidecars, error) {
	var side sidecars
	stem := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	meta := filepath.Join(filepath.Dir(p), stem+".meta.csv")
	if f, err := os.Open(meta); err == nil {
		side, err = readMetaCSV(f)
		f.Close()
		if err != nil {
			return side, fmt.Errorf("%s: %w", filepath.Base(meta), err)
		}
	}
	for _, g := range []string{"data-guidance.txt", "data_guidance.txt", "data-guidance.md"} {
		f, err := os.Open(filepath.Join(filepath.Dir(p), g))
		if err != nil {
			continue
		}
		gd, err := parseGuidance(f)
		f.Close()
		if err != nil {
			return side, fmt.Errorf("%s: %w", g, err)
		}
		side.description = gd[strings.ToLower(stem)]
		break
	}
	return side, nil
}
