// Package seeds embeds the reference data (CSV): ethnicity code groups, LA
// codes, targets and the metric catalogue.
package seeds

import "embed"

// FS holds the embedded seed files.
//
//go:embed *.csv
var FS embed.FS
