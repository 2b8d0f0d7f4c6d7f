package models

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlugLen bounds slugs so that URLs stay readable.
const maxSlugLen = 80

// letters that Unicode decomposition does not reduce to ASCII.
var translit = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th",
	'ı': "i", '&': " and ", '€': " euros ", '@': " at ",
}

// Slugify turns any text into readable lowercase ASCII words joined by
// hyphens ("Résilier chez Orange ?" -> "resilier-chez-orange"). It returns ""
// when nothing readable is left (an emoji-only title, say); callers choose a
// fallback.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(s) {
		if t, ok := translit[r]; ok {
			for _, tr := range t {
				dash = writeSlugRune(&b, tr, dash)
			}
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue // accents left over by the decomposition
		}
		dash = writeSlugRune(&b, r, dash)
	}
	slug := strings.Trim(b.String(), "-")
	if len(slug) > maxSlugLen {
		slug = slug[:maxSlugLen]
		if i := strings.LastIndexByte(slug, '-'); i > maxSlugLen/2 {
			slug = slug[:i]
		}
		slug = strings.Trim(slug, "-")
	}
	return slug
}

// writeSlugRune writes r if it is an ASCII letter or digit, or else one
// hyphen in place of any run of other characters. Apostrophes vanish, so
// "Vélib'" gives "velib" and "don't" gives "dont".
func writeSlugRune(b *strings.Builder, r rune, dash bool) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		b.WriteRune(r)
		return false
	case r >= 'A' && r <= 'Z':
		b.WriteRune(unicode.ToLower(r))
		return false
	case r == '\'' || r == '’' || r == 'ʼ':
		return dash
	}
	if !dash && b.Len() > 0 {
		b.WriteByte('-')
	}
	return true
}
