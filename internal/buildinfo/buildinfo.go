// Package buildinfo reports the program version recorded with every run and
// load, so each figure traces back to the code that computed it.
package buildinfo

import "runtime/debug"

// Version is set at link time by the Makefile
// (-ldflags "-X planmetrics/internal/buildinfo.Version=...").
var Version = ""

// String returns the version, falling back to the module's VCS revision and
// then to "dev".
func String() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return s.Value[:12]
			}
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
	}
	return "dev"
}
