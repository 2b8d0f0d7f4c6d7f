package models

import (
	"html"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Snippets are made here rather than by FTS4's snippet(), which reads every
// match of the query's words in the index before it can mark one row: for a
// common word that cost more than the whole search. The words are folded as
// the index's tokenizer folds them (lower case, no diacritics), so what is
// marked is what matched.

// snippetWords is how many words a snippet shows.
const snippetWords = 32

// snippetTerm is a term of a query: its folded words, and whether its last
// word is a prefix.
type snippetTerm struct {
	words  []string
	prefix bool
}

// snippetTerms reads the terms back from a MATCH expression of ParseSearch:
// quoted words, a final * for a prefix.
func snippetTerms(match string) []snippetTerm {
	var terms []snippetTerm
	for _, part := range strings.Split(match, `"`) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		t := snippetTerm{prefix: strings.HasSuffix(part, "*")}
		t.words = strings.Fields(fold(strings.TrimSuffix(part, "*")))
		if len(t.words) > 0 {
			terms = append(terms, t)
		}
	}
	return terms
}

// fold lowers s and removes its diacritics, as unicode61 remove_diacritics=2 does.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// token is a word of a text: its bytes and its folded form.
type token struct {
	from, to int
	folded   string
}

func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/6)
	from := -1
	plain := true // the word so far is lower-case ASCII: it is its own folded form
	add := func(to int) {
		w := s[from:to]
		if !plain {
			w = fold(w)
		}
		toks = append(toks, token{from, to, w})
		from, plain = -1, true
	}
	for i, r := range s {
		ascii := r < utf8.RuneSelf
		in := ascii && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') ||
			!ascii && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
		switch {
		case in && from < 0:
			from = i
		case !in && from >= 0:
			add(i)
		}
		if in && !(ascii && (r < 'A' || r > 'Z')) {
			plain = false
		}
	}
	if from >= 0 {
		add(len(s))
	}
	return toks
}

// marks returns, for each token, the index+1 of the term that a match
// starting or continuing there belongs to (0: none).
func marks(toks []token, terms []snippetTerm) []int {
	m := make([]int, len(toks))
	for k := range toks {
		for ti, t := range terms {
			if termAt(toks, k, t) {
				for w := range t.words {
					m[k+w] = ti + 1
				}
			}
		}
	}
	return m
}

// termAt says whether term t matches toks from the k-th token on.
func termAt(toks []token, k int, t snippetTerm) bool {
	if k+len(t.words) > len(toks) {
		return false
	}
	for w, word := range t.words {
		got := toks[k+w].folded
		if !(got == word || t.prefix && w == len(t.words)-1 && strings.HasPrefix(got, word)) {
			return false
		}
	}
	return true
}

// highlightAll is s escaped, with every match of terms in a <mark> element.
func highlightAll(s string, terms []snippetTerm) string {
	toks := tokenize(s)
	return renderSnippet(s, toks, marks(toks, terms), 0, len(toks), false)
}

// snippetHead is how much of a text a snippet looks at first: most texts
// have every term there, and need not be read further.
const snippetHead = 2048

// snippet is at most n words of s around the place where most of the
// terms are, escaped, matches marked, "…" where text is left out.
func snippet(s string, terms []snippetTerm, n int) string {
	head := s
	if len(s) > snippetHead {
		if i := strings.IndexByte(s[snippetHead:], ' '); i >= 0 {
			head = s[:snippetHead+i]
		}
	}
	toks := tokenize(head)
	m := marks(toks, terms)
	best, found := bestWindow(toks, m, len(terms), n)
	if found < len(terms) && len(head) < len(s) {
		head = s
		toks = tokenize(s)
		m = marks(toks, terms)
		best, _ = bestWindow(toks, m, len(terms), n)
	}
	out := renderSnippet(head, toks, m, best, min(best+n, len(toks)), true)
	if len(head) < len(s) && !strings.HasSuffix(out, "…") {
		out += "…"
	}
	return out
}

// bestWindow returns where the n tokens with the most distinct terms
// start, and how many terms they hold: the first place with all of them.
func bestWindow(toks []token, m []int, terms, n int) (best, found int) {
	for k := range toks {
		if m[k] == 0 || (k > 0 && m[k-1] == m[k]) {
			continue
		}
		start := max(0, k-3)
		var seen uint64 // terms are at most maxQueryWords
		for j := start; j < min(start+n, len(toks)); j++ {
			if m[j] != 0 {
				seen |= 1 << (m[j] % 64)
			}
		}
		if c := bits.OnesCount64(seen); c > found {
			best, found = start, c
			if c == terms {
				break
			}
		}
	}
	return best, found
}

// renderSnippet writes tokens from to to of s with the text between them.
func renderSnippet(s string, toks []token, m []int, from, to int, ellipsis bool) string {
	if from >= to {
		return html.EscapeString(s)
	}
	var b strings.Builder
	if ellipsis && from > 0 {
		b.WriteString("…")
	}
	at := toks[from].from
	if !ellipsis || from == 0 {
		at = 0
	}
	for k := from; k < to; k++ {
		b.WriteString(html.EscapeString(s[at:toks[k].from]))
		word := html.EscapeString(s[toks[k].from:toks[k].to])
		if m[k] != 0 {
			word = "<mark>" + word + "</mark>"
		}
		b.WriteString(word)
		at = toks[k].to
	}
	if !ellipsis || to == len(toks) {
		b.WriteString(html.EscapeString(s[at:]))
	} else {
		b.WriteString("…")
	}
	return b.String()
}
