// Package overlay layers a directory over an embedded file tree, so the data
// team can add or replace a return spec, a metric or a seed without a rebuild.
package overlay

import (
	"errors"
	"io/fs"
	"os"
	"sort"
)

// New returns base with the files of dir laid over it: a path present in dir
// is read from dir, any other from base, and directory listings are the
// union of both. An empty dir returns base unchanged.
func New(base fs.FS, dir string) (fs.FS, error) {
	if dir == "" {
		return base, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, &fs.PathError{Op: "overlay", Path: dir, Err: errors.New("not a directory")}
	}
	return layered{top: os.DirFS(dir), base: base}, nil
}

type layered struct{ top, base fs.FS }

func (l layered) Open(name string) (fs.File, error) {
	if f, err := l.top.Open(name); err == nil {
		st, serr := f.Stat()
		if serr == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
	}
	return l.base.Open(name)
}

// ReadDir merges both listings; on a name clash the top entry wins.
func (l layered) ReadDir(name string) ([]fs.DirEntry, error) {
	top, terr := fs.ReadDir(l.top, name)
	base, berr := fs.ReadDir(l.base, name)
	if terr != nil && berr != nil {
		return nil, berr
	}
	seen := make(map[string]bool, len(top))
	out := append([]fs.DirEntry(nil), top...)
	for _, e := range top {
		seen[e.Name()] = true
	}
	for _, e := range base {
		if !seen[e.Name()] {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}
