package models

import (
	"html"
	"strings"
	"unicode"
)

// errEmptyStory refuses to make public a story whose text shows nothing.
func errEmptyStory() error {
	return &ValidationError{Fields: map[string]string{"body": "A story needs some text before it can be published: " +
		"write what happened (it can stay a draft meanwhile)."}}
}

// Blank says whether rendered HTML shows nothing to a reader: no picture
// and no visible character once tags are dropped (spaces, zero-width and
// direction marks, fillers, or Markdown that renders to no text, such as a
// lone rule or an empty list, are not content).
func Blank(rendered string) bool {
	if strings.Contains(rendered, "<img") {
		return false
	}
	var text strings.Builder
	inTag := false
	for _, r := range rendered {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			text.WriteRune(r)
		}
	}
	for _, r := range html.UnescapeString(text.String()) {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && !unicode.Is(unicode.Mn, r) && !invisible(0, r) {
			return false
		}
	}
	return true
}
