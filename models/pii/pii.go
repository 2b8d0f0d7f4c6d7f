// Package pii finds the personal data writers paste into stories by mistake
// (phone numbers, email addresses, IBANs, card numbers, French social
// security numbers, customer and contract numbers) and masks it in what is
// published. It is pure text work: no storage, no package of ours.
package pii

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is what a match is.
type Kind string

// The kinds of personal data found.
const (
	Phone     Kind = "phone number"
	Email     Kind = "email address"
	IBAN      Kind = "IBAN"
	Card      Kind = "card number"
	NIR       Kind = "social security number"
	Reference Kind = "customer or contract number"
)

// Match is one piece of personal data in a text.
type Match struct {
	Start, End int    // byte offsets in the text
	Kind       Kind   // what it is
	Text       string // the exact text found
	Masked     string // what is published instead
}

// MayShow says whether the writer may choose to publish the match as it
// is: a false positive is possible for every kind except IBANs and card
// numbers, whose checksums leave no doubt, and which no story needs.
func (m Match) MayShow() bool { return m.Kind != IBAN && m.Kind != Card }

// mask is the character that replaces hidden digits and letters.
const mask = "•"

// MaskChar is mask: every masked text holds it.
const MaskChar = mask

// detector finds candidates of one kind: re's first group (or the whole
// match) is the candidate, valid confirms it, and the masked form keeps
// the first keepFirst and last keepLast digits or letters.
//
// Before re, whose run over a comment costs microseconds (tens for the
// case-insensitive one), two cheap pre-checks skip texts in which the
// detector cannot find anything: a text with fewer ASCII digits than
// minDigits, or for which may (if set) is false. Each is exactly as strict
// as the detector, no more (prechecks.go, TestPreChecksSkipOnlyTextsWithoutFindings).
type detector struct {
	kind                Kind
	re                  *regexp.Regexp
	valid               func(string) bool
	keepFirst, keepLast int
	minDigits           int
	may                 func(string) bool
}

// detectors run in this order; a later one never takes text an earlier
// one matched (an IBAN's digits are not also a card number). The digits
// each needs are counted in its pattern (\d is ASCII) or, for cards, NIRs,
// E.164 numbers and references, in its check.
var detectors = []detector{
	{IBAN, regexp.MustCompile(`[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}`), validIBAN, 4, 2, 2, hasIBANStart},
	{NIR, regexp.MustCompile(`[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}`), validNIR, 1, 2, 14, nil},
	{Card, regexp.MustCompile(`\d(?:[ -]?\d){12,18}`), validCard, 0, 4, 13, nil},
	{Email, regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`), nil, 0, 0, 0, hasByte('@')},
	{Phone, regexp.MustCompile(`0[1-9](?:[ .-]?\d{2}){4}`), nil, 2, 2, 10, nil},
	{Phone, regexp.MustCompile(`\+33 ?[1-9](?:[ .-]?\d{2}){4}`), nil, 3, 2, 11, hasByte('+')},
	{Phone, regexp.MustCompile(`\+33 ?\(0\) ?[1-9](?:[ .-]?\d{2}){4}`), nil, 4, 2, 12, hasByte('+')},
	{Phone, regexp.MustCompile(`0033 ?[1-9](?:[ .-]?\d{2}){4}`), nil, 5, 2, 13, nil},
	{Phone, regexp.MustCompile(`\+[1-9](?:[ .-]?\d){6,14}`), validE164, 2, 2, 8, hasByte('+')},
	{Reference, regexp.MustCompile(`(?i)(?:` + referenceWords + `)(?:\s+(?:n°|no\.?|number|numéro|nr\.?|client|contrat|dossier|customer))?\s*(?:[:#]\s*)?([A-Z0-9][A-Z0-9/-]{3,30})`), validReference, 0, 2, 4, mentionsReference},
}

// Find returns the personal data in s, in order, without overlaps.
func Find(s string) []Match {
	var out []Match
	digits := asciiDigits(s)
	for _, d := range detectors {
		if d.skips(s, digits) {
			continue
		}
		d.found(s, func(start, end int) {
			if !overlaps(out, start, end) {
				text := s[start:end]
				out = append(out, Match{Start: start, End: end, Kind: d.kind, Text: text, Masked: d.hide(text)})
			}
		})
	}
	slices.SortFunc(out, func(a, b Match) int { return a.Start - b.Start })
	return out
}

// skips says whether the pre-checks rule d out for s, which holds digits
// ASCII digits.
func (d detector) skips(s string, digits int) bool {
	return digits < d.minDigits || d.may != nil && !d.may(s)
}

// found calls f with each candidate of d in s that its check confirms.
func (d detector) found(s string, f func(start, end int)) {
	for _, loc := range d.re.FindAllStringSubmatchIndex(s, -1) {
		start, end := loc[0], loc[1]
		if len(loc) >= 4 && loc[2] >= 0 {
			start, end = loc[2], loc[3]
		}
		if end = d.confirm(s, start, end); end >= 0 {
			f(start, end)
		}
	}
}

// Mask returns s with every match hidden, except those show accepts
// (only matches that MayShow can be shown). A nil show hides them all.
func Mask(s string, show func(Match) bool) string {
	var b strings.Builder
	last := 0
	for _, m := range Find(s) {
		if show != nil && m.MayShow() && show(m) {
			continue
		}
		b.WriteString(s[last:m.Start])
		b.WriteString(m.Masked)
		last = m.End
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// Showing is a show function for Mask that accepts the texts listed.
func Showing(texts []string) func(Match) bool {
	if len(texts) == 0 {
		return nil
	}
	return func(m Match) bool { return slices.Contains(texts, m.Text) }
}

// confirm returns the end of the candidate at s[start:end] once checked,
// or -1. A candidate that fails is tried again without its last groups:
// the pattern may have run into the next word ("FR76 ... 189 SUITE").
func (d detector) confirm(s string, start, end int) int {
	for end > start {
		text := s[start:end]
		if bounded(s, start, end) && (d.valid == nil || d.valid(text)) {
			return end
		}
		cut := strings.LastIndexAny(text, " .-")
		if cut <= 0 || d.valid == nil {
			return -1
		}
		end = start + cut
	}
	return -1
}

// bounded reports whether s[start:end] stands alone: no letter or digit
// touches it, so that a number inside a longer one is not taken.
func bounded(s string, start, end int) bool {
	if r, _ := utf8.DecodeLastRuneInString(s[:start]); start > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '@' || r == '+') {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(s[end:]); end < len(s) && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '@') {
		return false
	}
	return true
}

func overlaps(ms []Match, start, end int) bool {
	for _, m := range ms {
		if start < m.End && m.Start < end {
			return true
		}
	}
	return false
}

// hide masks text as the detector says.
func (d detector) hide(text string) string {
	if d.kind == Email {
		at := strings.LastIndexByte(text, '@')
		first, _ := utf8.DecodeRuneInString(text)
		return string(first) + strings.Repeat(mask, 3) + text[at:]
	}
	n := 0
	for _, r := range text {
		if isAlnum(r) {
			n++
		}
	}
	var b strings.Builder
	i := 0
	for _, r := range text {
		if !isAlnum(r) {
			b.WriteRune(r)
			continue
		}
		if i < d.keepFirst || i >= n-d.keepLast {
			b.WriteRune(r)
		} else {
			b.WriteString(mask)
		}
		i++
	}
	return b.String()
}

func isAlnum(r rune) bool { return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
