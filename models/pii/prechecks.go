package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The detectors' pre-checks (detector.minDigits and may): each is false
// only for a text in which its detector cannot find anything, so that most
// comments (a few digits at most, no "@", no "client" or "dossier") pay
// no regular expression at all.

// referenceWords are the words a customer or contract number follows, as
// the Reference pattern lists them (case-insensitively).
const referenceWords = "contrat|client|dossier|n°|n º|numéro|numero|customer|account|reference|référence"

// foldedReferenceWords are referenceWords through foldKey.
var foldedReferenceWords = strings.Split(strings.Map(foldKey, referenceWords), "|")

// asciiDigits counts the digits 0 to 9 in s: what \d matches.
func asciiDigits(s string) int {
	n := 0
	for i := range len(s) {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// hasByte is a pre-check for a pattern that matches only texts holding c.
func hasByte(c byte) func(string) bool {
	return func(s string) bool { return strings.IndexByte(s, c) >= 0 }
}

// hasIBANStart says whether s holds two capital letters followed by two
// digits (ASCII), which every IBAN match starts with.
func hasIBANStart(s string) bool {
	upper := func(b byte) bool { return b >= 'A' && b <= 'Z' }
	digit := func(b byte) bool { return b >= '0' && b <= '9' }
	for i := 0; i+3 < len(s); i++ {
		if upper(s[i]) && upper(s[i+1]) && digit(s[i+2]) && digit(s[i+3]) {
			return true
		}
	}
	return false
}

// mentionsReference says whether s holds one of referenceWords in any
// case. The pattern's (?i) matches a letter by every letter of its case
// folding orbit (unicode.SimpleFold: "ſ" is an "s", the Kelvin sign a
// "k"), so both sides are compared through foldKey, which maps the letters
// of an orbit to one.
func mentionsReference(s string) bool {
	folded := strings.Map(foldKey, s)
	for _, w := range foldedReferenceWords {
		if strings.Contains(folded, w) {
			return true
		}
	}
	return false
}

// foldKey is the smallest rune of r's case folding orbit.
func foldKey(r rune) rune {
	if r < utf8.RuneSelf {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	key := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		key = min(key, f)
	}
	return key
}
