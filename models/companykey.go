package models

import (
	"strings"
	"unicode/utf8"
)

// legalWords are company-form words that say nothing about which company it
// is: "Orange SA", "Orange S.A." and "Groupe Orange" are all Orange.
var legalWords = map[string]bool{
	"sa": true, "sas": true, "sasu": true, "sarl": true, "eurl": true, "sca": true, "snc": true,
	"se": true, "inc": true, "incorporated": true, "ltd": true, "limited": true, "llc": true,
	"plc": true, "gmbh": true, "ag": true, "bv": true, "nv": true, "spa": true, "srl": true,
	"corp": true, "corporation": true, "co": true, "cie": true, "group": true, "groupe": true,
	"holding": true,
}

// fuzzyMinLen is the shortest key matched with one typo: below it, names like
// "Free" and "Fnac" or "SFR" and "SNCF" are too close to tell apart.
const fuzzyMinLen = 5

// CompanyKey reduces a company's name to what identifies it, for matching:
// lowercase ASCII without accents, punctuation, spaces or legal-form words
// ("  Orange S.A. " -> "orange", "Société Générale" -> "societegenerale").
// Dotted initials join up ("S.N.C.F." -> "sncf"). A name made only of
// legal-form words keeps them; a name with nothing readable gives "".
func CompanyKey(name string) string {
	words := strings.Split(Slugify(name), "-")
	if len(words) == 1 && words[0] == "" {
		return ""
	}
	// Join runs of single letters: "s a" -> "sa", "s n c f" -> "sncf".
	var joined []string
	for i := 0; i < len(words); {
		j := i
		for j < len(words) && len(words[j]) == 1 {
			j++
		}
		if j-i >= 2 {
			joined = append(joined, strings.Join(words[i:j], ""))
			i = j
			continue
		}
		joined = append(joined, words[i])
		i++
	}
	for len(joined) > 1 && legalWords[joined[len(joined)-1]] {
		joined = joined[:len(joined)-1]
	}
	for len(joined) > 1 && (joined[0] == "group" || joined[0] == "groupe") {
		joined = joined[1:]
	}
	return strings.Join(joined, "")
}

// closeKeys reports whether two keys differ by at most one typo (an insertion,
// deletion, substitution or swap of neighbours), both being long enough for
// that to be safe.
func closeKeys(a, b string) bool {
	if utf8.RuneCountInString(a) < fuzzyMinLen || utf8.RuneCountInString(b) < fuzzyMinLen {
		return false
	}
	return editDistance(a, b) <= 1
}

// editDistance is the optimal-string-alignment distance: Levenshtein plus
// the swap of two neighbouring letters as one edit ("oragne" -> "orange").
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	// d[i][j] is the distance between x[:i] and y[:j]; three rows suffice.
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}
