package models

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// The rules for what a text may hold. Every short field (names, handles,
// titles, companies, cities, tags, category names and descriptions, guest
// names, emails and websites) goes through lineProblem: nothing invisible or
// direction-changing, which could make a name look like another's or turn a
// title around. Long texts (stories, comments, updates, notes) go through
// badText, which refuses only what changes how the rest reads (controls and
// bidirectional overrides): a soft hyphen or zero-width space pasted from a
// web page is harmless there. Refusing, not stripping: the person sees
// their text again with a message, and what is stored is what they saw.

// lineProblem returns a message when a short field holds a character that
// shows nothing or changes the direction of the text, with its position.
// Multi-line short fields (a category's description) may hold "\n" and "\t".
func lineProblem(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return "This is not valid text (invalid UTF-8)."
	}
	var prev rune
	pos := 0
	for _, r := range s {
		pos++
		if !(multiline && (r == '\n' || r == '\t')) && invisible(prev, r) {
			return fmt.Sprintf("This contains an invisible or direction-changing character (U+%04X, character %d); please remove it.", r, pos)
		}
		prev = r
	}
	return ""
}

// invisible says whether r, after prev, is a character that shows nothing
// in a line: controls, format characters (zero-width, bidirectional, soft
// hyphen, word joiners, BOM, tags), line separators, the Hangul fillers and
// the blank braille pattern. The joiners that emoji and some scripts need
// are allowed where they join something: ZWJ after a symbol (👩‍💻), ZWNJ
// after an Arabic-script letter or a virama, tag characters after the black
// flag (🏴 subdivision flags), a variation selector after a visible character.
func invisible(prev, r rune) bool {
	switch {
	case r == 0x200D:
		return !unicode.In(prev, unicode.So, unicode.Sk) && prev != 0xFE0F
	case r == 0x200C:
		return !unicode.In(prev, unicode.Arabic, unicode.Mn)
	case r >= 0xE0020 && r <= 0xE007F:
		return prev != 0x1F3F4 && !(prev >= 0xE0020 && prev <= 0xE007F)
	case unicode.Is(unicode.Variation_Selector, r):
		return prev == 0 || unicode.IsSpace(prev)
	case unicode.IsControl(r), unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
		return true
	}
	switch r {
	case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x034F, 0x17B4, 0x17B5, 0x2800:
		return true
	}
	return false
}

// badText returns a message when a long text is not valid UTF-8 or holds
// control characters (other than tab and newlines) or bidirectional
// controls, which can disguise what the text around them says.
func badText(s string) string {
	if !utf8.ValidString(s) {
		return "This is not valid text (invalid UTF-8)."
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
		case unicode.IsControl(r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
			return "This contains invisible control characters; please remove them."
		}
	}
	return ""
}

// reservedStems are the words a name may not start a word with, once
// reduced to its skeleton: they would pass the writer off as the site or
// its staff. reservedPhrases may not appear anywhere in the name.
var (
	reservedStems   = skeletons("admin", "moderator", "moderateur", "doleances", "webmaster")
	reservedPhrases = skeletons("deleteduser", "doleances", "utilisateursupprime")
)

// reservedName says whether a display name, handle or guest name passes
// for the site or its staff ("Admin", "ＭＯＤＥＲＡＴＯＲ", "d e l e t e d
// user", "Dоléances" with a Cyrillic о), compared by skeleton: each word,
// and all the words run together.
func reservedName(name string) bool {
	words := strings.Fields(skeleton(name))
	joined := strings.Join(words, "")
	for _, w := range append(words, joined) {
		for _, stem := range reservedStems {
			if strings.HasPrefix(w, stem) {
				return true
			}
		}
	}
	for _, p := range reservedPhrases {
		if strings.Contains(joined, p) {
			return true
		}
	}
	return false
}

// reservedNameMessage is the message for a reserved name.
const reservedNameMessage = "This name is kept for the site and its staff; please choose another."

// skeleton reduces a name to what it looks like: compatibility forms
// folded (NFKC: full-width, ligatures, superscripts), case folded, accents
// and invisible characters dropped, look-alike letters and digits of other
// scripts mapped to Latin ones, and anything but letters and digits made a
// space between words.
func skeleton(s string) string {
	s = norm.NFD.String(cases.Fold().String(norm.NFKC.String(s)))
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) || invisible(0, r) && !unicode.IsSpace(r) {
			continue
		}
		if m, ok := confusables[r]; ok {
			r = m
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			r = ' '
		}
		if n := len(out); r == 'n' && n > 0 && out[n-1] == 'r' { // "rn" reads as "m"
			out, r = out[:n-1], 'm'
		}
		out = append(out, r)
	}
	return string(out)
}

func skeletons(words ...string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.ReplaceAll(skeleton(w), " ", "")
	}
	return out
}

// confusables maps characters that look like a Latin letter (after case
// folding) to it: a short list of the usual impersonation tricks, not the
// whole of Unicode's confusables table.
var confusables = map[rune]rune{
	'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', 'l': 'i', '|': 'i', '!': 'i', '@': 'a', '$': 's',
	'ı': 'i', 'ſ': 's',
	// Cyrillic
	'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ԁ': 'd', 'ѕ': 's', 'ӏ': 'i', 'ԛ': 'q', 'ԝ': 'w',
	// Greek
	'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x',
}

// nameKey is what two names are compared by when they must differ (two
// categories): their slug, or, for a name with nothing a slug keeps, its
// case-folded NFKC form.
func nameKey(name string) string {
	if k := Slugify(name); k != "" {
		return k
	}
	return cases.Fold().String(norm.NFKC.String(strings.Join(strings.Fields(name), " ")))
}

// setProblem puts msg, if any, as field's message unless it has one.
func setProblem(fields map[string]string, field, msg string) {
	if _, ok := fields[field]; !ok && msg != "" {
		fields[field] = msg
	}
}
