// Package views holds the site's html/template files: layouts, partials and
// one file per page, embedded so that the binary runs from any folder.
package views

import "embed"

// FS holds layouts/*.html, partials/*.html and pages/*.html.
//
//go:embed layouts partials pages
var FS embed.FS
