// Package pipelines embeds the declarative pipeline files: return specs
// (returns/*.yaml), core models (core/*.sql) and metric definitions
// (metrics/*.sql). Code reads them through an fs.FS so a directory set in
// config can override them.
package pipelines

import "embed"

// FS holds the embedded pipeline files.
//
//go:embed returns core metrics
var FS embed.FS
