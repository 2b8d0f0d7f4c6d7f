package pii

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// findings are texts in which a detector finds something, by detector.
type findings [][]string

// findingsIn sorts texts by the detectors that find something in them.
func findingsIn(texts []string) findings {
	out := make(findings, len(detectors))
	for _, s := range texts {
		for i, d := range detectors {
			found := false
			d.found(s, func(int, int) { found = true })
			if found {
				out[i] = append(out[i], s)
			}
		}
	}
	return out
}

// skipped returns a text with a finding of detector i that d's pre-checks
// would skip, or "".
func (f findings) skipped(i int, d detector) string {
	for _, s := range f[i] {
		if d.skips(s, asciiDigits(s)) {
			return s
		}
	}
	return ""
}

// TestPreChecksSkipOnlyTextsWithoutFindings: no detector's pre-check skips
// a text in which the detector finds something, over random texts and
// texts made to be found with as little as each detector takes (fewest
// digits, words in every case and case folding). The same texts catch each
// pre-check made one step too strict, so that they would catch a wrong one.
func TestPreChecksSkipOnlyTextsWithoutFindings(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 5000))
	var texts []string
	for range 3000 {
		texts = append(texts, randomText(r))
	}
	for i := range detectors {
		for range 300 {
			texts = append(texts, around(r, foundBy(r, i)))
		}
	}
	f := findingsIn(texts)
	for i, d := range detectors {
		if len(f[i]) < 100 {
			t.Errorf("detector %d (%s) finds something in %d texts only: the generator misses it", i, d.kind, len(f[i]))
		}
		if s := f.skipped(i, d); s != "" {
			var found []string
			d.found(s, func(start, end int) { found = append(found, s[start:end]) })
			t.Errorf("detector %d (%s): its pre-check skips %q, in which it finds %q", i, d.kind, s, found)
		}
	}
	// Each pre-check one step stricter skips some of these texts.
	for i, d := range detectors {
		if d.minDigits > 0 {
			stricter := d
			stricter.minDigits++
			if f.skipped(i, stricter) == "" {
				t.Errorf("detector %d (%s): minDigits %d is not the least its findings hold, or no text shows it", i, d.kind, d.minDigits)
			}
		}
	}
	lowered := detectors[len(detectors)-1]
	lowered.may = func(s string) bool { // what strings.ToLower gives: no "ſ" for an "s"
		for _, w := range strings.Split(referenceWords, "|") {
			if strings.Contains(strings.ToLower(s), w) {
				return true
			}
		}
		return false
	}
	if lowered.kind != Reference || f.skipped(len(detectors)-1, lowered) == "" {
		t.Error("a reference pre-check blind to case folding is not caught")
	}
}

// FuzzPreChecks checks the same property on the fuzzer's texts
// (go test ./models/pii -fuzz FuzzPreChecks).
func FuzzPreChecks(f *testing.F) {
	for _, s := range []string{"mon contrat n° 12345678", "Doſſier : AB-2023-004512", "+33 6 12 34 56 78",
		"GB82 WEST 1234 5698 7654 32", "2 90 12 2A 123 456 44", "a@b.fr", "4970 1012 3456 7893"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i, d := range detectors {
			found := false
			d.found(s, func(int, int) { found = true })
			if found && d.skips(s, asciiDigits(s)) {
				t.Errorf("detector %d (%s): its pre-check skips %q", i, d.kind, s)
			}
		}
	})
}

// randomText draws from what the patterns look for: digits, separators,
// "+" and "@", capitals, and the words of references in any case.
func randomText(r *rand.Rand) string {
	parts := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", " ", " ", "-", ".", "+", "@", ":", "#", "/", "(", ")",
		"A", "B", "F", "R", "x", "é", "°", "º", "ſ", "K", "\xff", "n", "N° ", "client ", "doſſier ", "RÉFÉRENCE ", ".fr", "+33 ", "0033"}
	var b strings.Builder
	for range r.IntN(60) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

// around puts s among words, or glues it to a letter now and then.
func around(r *rand.Rand, s string) string {
	before := []string{"", "Voici ", "see: ", "(", "«", "x", "Le ", "\n"}
	after := []string{"", " merci", ".", ")", " »", "y", ", svp", "\n"}
	return before[r.IntN(len(before))] + s + after[r.IntN(len(after))]
}

// foundBy makes a text that detectors[i] finds, with as few digits as it
// can take.
func foundBy(r *rand.Rand, i int) string {
	sep := func(set string) string { // a separator or none
		if r.IntN(2) == 0 {
			return ""
		}
		return string(set[r.IntN(len(set))])
	}
	digits := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		return b.String()
	}
	d := detectors[i]
	switch {
	case d.kind == IBAN:
		return ibanText(r)
	case d.kind == NIR:
		return nirText(r)
	case d.kind == Card:
		return cardText(r, 13+r.IntN(2)*r.IntN(7))
	case d.kind == Email:
		return fmt.Sprintf("%s%s@%s.%s", letters(r, 1+r.IntN(5)), sep("._%+-"), letters(r, 1+r.IntN(5)), letters(r, 2+r.IntN(2)))
	case d.kind == Reference:
		return referenceText(r)
	}
	// Phones: the pattern's own digits, then four pairs.
	pairs := func() string {
		var b strings.Builder
		for range 4 {
			b.WriteString(sep(" .-") + digits(2))
		}
		return b.String()
	}
	lead := string(rune('1' + r.IntN(9)))
	switch d.re.String()[:3] {
	case `0[1`:
		return "0" + lead + pairs()
	case `\+3`:
		if strings.Contains(d.re.String(), `\(0\)`) {
			return "+33" + sep(" ") + "(0)" + sep(" ") + lead + pairs()
		}
		return "+33" + sep(" ") + lead + pairs()
	case `003`:
		return "0033" + sep(" ") + lead + pairs()
	}
	var b strings.Builder // E.164: 8 to 15 digits
	b.WriteString("+" + lead)
	for range 7 + r.IntN(2)*r.IntN(8) {
		b.WriteString(sep(" .-") + digits(1))
	}
	return b.String()
}

func letters(r *rand.Rand, n int) string {
	const set = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	var b strings.Builder
	for range n {
		b.WriteByte(set[r.IntN(len(set))])
	}
	return b.String()
}

// ibanText is a valid IBAN whose only digits are its check digits, or
// with digits in its account number now and then.
func ibanText(r *rand.Rand) string {
	const set = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	country := string(set[r.IntN(26)]) + string(set[r.IntN(26)])
	bban := make([]byte, 11+r.IntN(20))
	for j := range bban {
		bban[j] = set[r.IntN(26)]
		if r.IntN(4) == 0 {
			bban[j] = byte('0' + r.IntN(10))
		}
	}
	rest := 0
	for _, c := range string(bban) + country + "00" {
		if c >= 'A' && c <= 'Z' {
			rest = (rest*100 + int(c-'A') + 10) % 97
		} else {
			rest = (rest*10 + int(c-'0')) % 97
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s%02d", country, 98-rest)
	for j, c := range bban {
		if j%4 == 0 && r.IntN(2) == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// nirText is a valid French social security number, often from Corsica
// (2A, 2B: fourteen digits).
func nirText(r *rand.Rand) string {
	dept := fmt.Sprintf("%02d", r.IntN(96)+1)
	if r.IntN(2) == 0 {
		dept = []string{"2A", "2B"}[r.IntN(2)]
	}
	month := fmt.Sprintf("%02d", 1+r.IntN(12))
	if r.IntN(3) == 0 {
		month = fmt.Sprintf("%02d", 20+r.IntN(80))
	}
	parts := []string{fmt.Sprint(1 + r.IntN(2)), fmt.Sprintf("%02d", r.IntN(100)), month, dept,
		fmt.Sprintf("%03d", r.IntN(1000)), fmt.Sprintf("%03d", r.IntN(1000))}
	n := 0
	for _, c := range strings.NewReplacer("2A", "19", "2B", "18").Replace(strings.Join(parts, "")) {
		n = (n*10 + int(c-'0')) % 97
	}
	sep := []string{"", " "}[r.IntN(2)]
	return strings.Join(parts, sep) + sep + fmt.Sprintf("%02d", 97-n)
}

// cardText is a Luhn-valid card number of n digits.
func cardText(r *rand.Rand, n int) string {
	ds := make([]int, n)
	for {
		sum := 0
		for j := range n - 1 {
			ds[j] = r.IntN(10)
		}
		for j := range n - 1 { // from the right, the check digit aside
			d := ds[n-2-j]
			if j%2 == 0 {
				if d *= 2; d > 9 {
					d -= 9
				}
			}
			sum += d
		}
		ds[n-1] = (10 - sum%10) % 10
		if ds[0] != ds[1] || ds[1] != ds[2] { // not all the same digit
			break
		}
	}
	var b strings.Builder
	for j, d := range ds {
		if j > 0 && j%4 == 0 && r.IntN(2) == 0 {
			b.WriteByte(" -"[r.IntN(2)])
		}
		b.WriteByte(byte('0' + d))
	}
	return b.String()
}

// referenceText is a reference word in any case or folding, then a number
// with four digits, the fewest it may have.
func referenceText(r *rand.Rand) string {
	words := strings.Split(referenceWords, "|")
	w := []rune(words[r.IntN(len(words))])
	for j, c := range w {
		switch {
		case c == 's' && r.IntN(2) == 0:
			w[j] = 'ſ'
		case c == 'é' && r.IntN(2) == 0:
			w[j] = 'É'
		case r.IntN(2) == 0:
			w[j] = []rune(strings.ToUpper(string(c)))[0]
		}
	}
	number := []byte(letters(r, 2) + fmt.Sprintf("%04d", r.IntN(10000)))
	r.Shuffle(len(number), func(a, b int) { number[a], number[b] = number[b], number[a] })
	return string(w) + []string{" ", " : ", " #", ": ", " n° "}[r.IntN(5)] + string(number)
}
