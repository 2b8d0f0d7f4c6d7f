// Package static holds the site's CSS, images and the little JavaScript
// there is, embedded so that the binary runs from any folder.
package static

import "embed"

// FS holds the assets, served under content-hashed URLs.
//
//go:embed *.css *.svg *.js
var FS embed.FS
