package i18n

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Messages that come formatted from below the handlers (a model's
// ValidationError says "The title is 250 characters long; the limit is
// 200.") are matched against the catalogue's formats, which are the very
// format strings the models use, so that their arguments are put into the
// translated format.

// pattern is a catalogue format read backwards: a regexp and how to turn
// each group back into an argument.
type pattern struct {
	key   string
	re    *regexp.Regexp
	kinds []byte // 'd' an integer, 'x' a hexadecimal integer, 's' text, 'q' quoted text
}

var verbRE = regexp.MustCompile(`%(?:04X|[dsqv])`)

// patterns compiles the keys with printf verbs (not the positional ones
// the site's own dates use), longest first so the most specific wins.
func patterns(keys map[string]string) []pattern {
	var out []pattern
	for key := range keys {
		if !verbRE.MatchString(key) || strings.Contains(key, "%[") {
			continue
		}
		var b strings.Builder
		var kinds []byte
		b.WriteString("^")
		last := 0
		for _, loc := range verbRE.FindAllStringIndex(key, -1) {
			b.WriteString(regexp.QuoteMeta(key[last:loc[0]]))
			switch verb := key[loc[0]:loc[1]]; verb {
			case "%d":
				b.WriteString(`(-?\d{1,3}(?:,\d{3})+|-?\d+)`) // the models group thousands: 10,000
				kinds = append(kinds, 'd')
			case "%04X":
				b.WriteString(`([0-9A-F]{4,6})`)
				kinds = append(kinds, 'x')
			case "%q":
				b.WriteString(`("(?:[^"\\]|\\.)*")`)
				kinds = append(kinds, 'q')
			default:
				b.WriteString(`(.+?)`)
				kinds = append(kinds, 's')
			}
			last = loc[1]
		}
		b.WriteString(regexp.QuoteMeta(key[last:]) + "$")
		out = append(out, pattern{key: key, re: regexp.MustCompile(b.String()), kinds: kinds})
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].key) != len(out[j].key) {
			return len(out[i].key) > len(out[j].key)
		}
		return out[i].key < out[j].key
	})
	return out
}

// args reads the arguments of s, formatted with p's key; ok false when s
// was not.
func (p pattern) args(s string) ([]any, bool) {
	m := p.re.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	args := make([]any, len(p.kinds))
	for i, k := range p.kinds {
		v := m[i+1]
		switch k {
		case 'd':
			n, err := strconv.Atoi(strings.ReplaceAll(v, ",", ""))
			if err != nil {
				return nil, false
			}
			args[i] = n
		case 'x':
			n, err := strconv.ParseInt(v, 16, 32)
			if err != nil {
				return nil, false
			}
			args[i] = int(n)
		case 'q':
			u, err := strconv.Unquote(v)
			if err != nil {
				return nil, false
			}
			args[i] = u
		default:
			args[i] = v
		}
	}
	return args, true
}

// Text translates a message given in English, whole: a catalogue key, or
// a catalogue format with its arguments filled in. Text already in the
// locale's language is left as it is; anything else is reported missing
// and shown as given.
func (l *Locale) Text(s string) string {
	if t, ok := l.lookup(s, 2); ok {
		return t
	}
	return l.T(s)
}

// lookup is Text without reporting what is missing; the text put into a
// format is looked up too (a label in a sentence), depth levels down.
func (l *Locale) lookup(s string, depth int) (string, bool) {
	if s == "" {
		return "", true
	}
	if _, ok := l.keys[s]; ok || l.Code == "en" && !verbRE.MatchString(s) {
		return l.T(s), true
	}
	if l.values[s] || l.wrap != nil && strings.HasPrefix(s, "⟦") && strings.HasSuffix(s, "⟧") {
		return s, true
	}
	for _, p := range l.patterns {
		if args, ok := p.args(s); ok {
			for i, a := range args {
				if text, isText := a.(string); isText && depth > 0 {
					if t, found := l.lookup(text, depth-1); found {
						args[i] = t
					}
				}
			}
			return l.T(p.key, args...), true
		}
	}
	return "", false
}
