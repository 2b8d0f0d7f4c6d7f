package pii

import (
	"strings"
	"unicode"
)

// digitsOf returns the letters and digits of s, without separators.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if isAlnum(r) {
			return r
		}
		return -1
	}, s)
}

// validIBAN checks the length and the ISO 13616 mod-97 checksum.
func validIBAN(s string) bool {
	s = digitsOf(s)
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	rest := 0
	for _, r := range s[4:] + s[:4] {
		switch {
		case r >= '0' && r <= '9':
			rest = (rest*10 + int(r-'0')) % 97
		case r >= 'A' && r <= 'Z':
			rest = (rest*100 + int(r-'A') + 10) % 97
		default:
			return false
		}
	}
	return rest == 1
}

// validCard checks the Luhn checksum of 13 to 19 digits.
func validCard(s string) bool {
	s = digitsOf(s)
	if len(s) < 13 || len(s) > 19 || strings.Count(s, s[:1]) == len(s) {
		return false
	}
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// validNIR checks a French social security number's key: 97 minus the
// first 13 digits modulo 97, Corsica's 2A and 2B counting as 19 and 18.
func validNIR(s string) bool {
	s = digitsOf(s)
	if len(s) != 15 {
		return false
	}
	body := strings.NewReplacer("2A", "19", "2B", "18").Replace(s[:13])
	n, key := 0, 0
	for _, r := range body {
		if !unicode.IsDigit(r) {
			return false
		}
		n = n*10 + int(r-'0')
	}
	for _, r := range s[13:] {
		key = key*10 + int(r-'0')
	}
	return key == 97-n%97
}

// validE164 takes international numbers of 8 to 15 digits; shorter runs
// after a "+" are scores and temperatures more often than numbers.
func validE164(s string) bool {
	n := len(digitsOf(s))
	return n >= 8 && n <= 15
}

// validReference takes a customer or contract number only if it has
// six characters or more, four of them digits: "client mécontent" and
// "dossier 2024" are not one.
func validReference(s string) bool {
	if len(digitsOf(s)) < 6 {
		return false
	}
	d := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			d++
		}
	}
	return d >= 4
}
