package overlay

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestOverlay(t *testing.T) {
	base := fstest.MapFS{
		"metrics/a.sql": {Data: []byte("base a")},
		"metrics/b.sql": {Data: []byte("base b")},
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "metrics"), 0o700)
	os.WriteFile(filepath.Join(dir, "metrics", "b.sql"), []byte("override b"), 0o600)
	os.WriteFile(filepath.Join(dir, "metrics", "c.sql"), []byte("new c"), 0o600)

	fsys, err := New(base, dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"metrics/a.sql": "base a", "metrics/b.sql": "override b", "metrics/c.sql": "new c"} {
		b, err := fs.ReadFile(fsys, name)
		if err != nil || string(b) != want {
			t.Errorf("%s = %q, %v; want %q", name, b, err, want)
		}
	}
	matches, err := fs.Glob(fsys, "metrics/*.sql")
	if err != nil || strings.Join(matches, ",") != "metrics/a.sql,metrics/b.sql,metrics/c.sql" {
		t.Errorf("glob = %v, %v", matches, err)
	}
	if same, _ := New(base, ""); same == nil {
		t.Error("empty dir must return the base")
	}
	if _, err := New(base, filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing override directory was accepted")
	}
}
