package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"planmetrics/internal/generate"
)

func TestGenerateCommand(t *testing.T) {
	tests := []struct {
		name     string
		env      string // PLANMETRICS_GENERATE_SEED, when set
		args     []string
		wantCode int
		wantSeed int64
		wantErr  string
	}{
		{name: "default seed from config", args: []string{"--scale", "tiny", "--years", "1"}, wantSeed: 2026},
		{name: "seed from the environment", env: "77", args: []string{"--scale", "tiny", "--years", "1"}, wantSeed: 77},
		{name: "seed flag wins", env: "77", args: []string{"--scale", "tiny", "--years", "1", "--seed", "9", "--format", "mixed", "--messy"}, wantSeed: 9},
		{name: "unknown scale", args: []string{"--scale", "wales"}, wantCode: ExitUsage, wantErr: `scale "wales"`},
		{name: "england needs csv", args: []string{"--scale", "england", "--format", "xlsx"}, wantCode: ExitUsage, wantErr: "--format csv"},
		{name: "no output directory", args: []string{"--scale", "tiny", "--out", ""}, wantCode: ExitUsage, wantErr: "--out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv("PLANMETRICS_GENERATE_SEED", tt.env)
			}
			dir := t.TempDir()
			args := append([]string{"generate", "--out", "gen"}, tt.args...)
			code, out, errs := cli(t, dir, args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errs)
			}
			if tt.wantCode != ExitOK {
				if !strings.Contains(errs, tt.wantErr) {
					t.Errorf("stderr %q lacks %q", errs, tt.wantErr)
				}
				return
			}
			b, err := os.ReadFile(filepath.Join(dir, "gen", generate.ManifestName))
			if err != nil {
				t.Fatal(err)
			}
			var m generate.Manifest
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if m.Seed != tt.wantSeed {
				t.Errorf("seed %d, want %d", m.Seed, tt.wantSeed)
			}
			// A line per return file, one per synthetic benchmark file (4),
			// then the summary.
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != len(m.Files)+4+1 || !strings.Contains(lines[len(lines)-1], "and 4 benchmark files") {
				t.Errorf("want a line per file (%d + 4 benchmark files) and a summary, got:\n%s", len(m.Files), out)
			}
			for _, l := range lines[len(m.Files) : len(lines)-1] {
				if !strings.Contains(l, "(synthetic published data)") {
					t.Errorf("benchmark file line %q", l)
				}
			}
			for i, f := range m.Files {
				if !strings.HasPrefix(lines[i], f.Name+" ") {
					t.Errorf("line %d %q does not start with %s", i+1, lines[i], f.Name)
				}
			}
		})
	}
}
