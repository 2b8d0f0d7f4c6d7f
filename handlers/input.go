package handlers

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// formLine is a one-line form field as typed, cleaned by cleanText.
func formLine(c *fiber.Ctx, name string) string { return cleanText(c.FormValue(name), false) }

// formText is a multi-line form field (a story, a comment, a note) as
// typed, cleaned by cleanText.
func formText(c *fiber.Ctx, name string) string { return cleanText(c.FormValue(name), true) }

// cleanText is the one place where what a client sends becomes text the
// site keeps: bytes that are not UTF-8 become U+FFFD (so the rest of the text
// is kept and the damage is visible), "\r\n" and "\r" become "\n", and
// control characters are dropped. Multi-line text keeps "\n" and "\t"; in a
// line they become spaces. Length limits are checked by the models, on the
// cleaned text, in characters, and so are invisible and direction-changing
// characters (models' lineProblem and badText): those are refused with a
// message rather than dropped here, so that what is kept is what was seen.
func cleanText(s string, multiline bool) string {
	if isClean(s, multiline) {
		return s
	}
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == '\r' {
			r = '\n'
		}
		switch {
		case (r == '\n' || r == '\t') && !multiline:
			b.WriteByte(' ')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isClean says whether cleanText would leave s as it is, without allocating.
func isClean(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\r' || unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			return false
		}
	}
	return true
}
