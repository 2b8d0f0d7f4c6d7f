// Package i18n is the site's one translation layer: message catalogues per
// language (locales/*.json, embedded), plural rules, numbers, dates and
// times in the site's time zone, and the choice of a visitor's language.
//
// Messages are keyed by their English text, as the templates and handlers
// write it ({{t "Search"}}, loc.T("%d comments", n)): the English catalogue
// holds only what differs from its key (plurals, date order), every other
// catalogue holds every key. Formatting goes through golang.org/x/text's
// message printer, which gives CLDR plural categories and grouped numbers
// ("10 000" in French, "10,000" in English).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

//go:embed locales/*.json
var files embed.FS

// Pseudo is the code of the test locale whose every message is the French
// one between ⟦ and ⟧, so that a test sees text that did not go through
// the catalogue.
const Pseudo = "xx"

// catalogueFile is the shape of a locales/*.json file.
type catalogueFile struct {
	Name       string                     `json:"name"`       // the language's own name, on the switch
	Typography string                     `json:"typography"` // "fr": spaces before : ; ! ? and inside « »
	Messages   map[string]json.RawMessage `json:"messages"`   // a string, or plural forms by CLDR category
}

// Locale formats messages, numbers and dates in one language.
type Locale struct {
	Code string // "en", "fr"
	Name string // "English", "Français"
	Tag  language.Tag
	p    *message.Printer
	keys map[string]string // the messages without plural forms
	// values are the translations (Text leaves them alone); patterns the
	// formats read backwards (see Text).
	values   map[string]bool
	patterns []pattern
	zone     *time.Location
	// wrap marks every message (the pseudo-locale); nil: none.
	wrap func(string) string
	miss func(code, key string)
}

// Bundle holds the locales of the site and chooses one per visitor.
type Bundle struct {
	locales map[string]*Locale
	codes   []string // sorted, without the pseudo-locale
	def     *Locale
	matcher language.Matcher
	tags    []*Locale // in matcher order
	accept  sync.Map  // Accept-Language header -> *Locale
	nAccept int       // entries in accept (bounded), guarded by mu
	mu      sync.Mutex
}

// Options configure a Bundle.
type Options struct {
	Default string         // the site's language; "" is English
	Zone    *time.Location // the site's time zone; nil is UTC
	// Pseudo adds the pseudo-locale (tests only).
	Pseudo bool
	// Missing is told of each key a locale lacks (tests fail on it); nil: ignored.
	Missing func(code, key string)
}

// New loads every catalogue.
func New(o Options) (*Bundle, error) {
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	names, err := fs.Glob(files, "locales/*.json")
	if err != nil {
		return nil, err
	}
	b := &Bundle{locales: map[string]*Locale{}}
	cat := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, name := range names {
		code := strings.TrimSuffix(path.Base(name), ".json")
		l, err := load(cat, name, code)
		if err != nil {
			return nil, err
		}
		l.zone, l.miss = o.Zone, o.Missing
		b.locales[code] = l
		b.codes = append(b.codes, code)
	}
	sort.Strings(b.codes)
	var formats map[string]string // the keys of every catalogue
	if fr, ok := b.locales["fr"]; ok {
		formats = fr.keys
	}
	for _, l := range b.locales {
		l.p = message.NewPrinter(l.Tag, message.Catalog(cat))
		l.patterns = patterns(formats)
		l.values = map[string]bool{}
		for _, v := range l.keys {
			l.values[v] = true
		}
	}
	if o.Pseudo {
		fr, ok := b.locales["fr"]
		if !ok {
			return nil, fmt.Errorf("the pseudo-locale needs the French catalogue")
		}
		x := *fr
		x.Code, x.Name = Pseudo, "Pseudo"
		x.wrap = func(s string) string { return "⟦" + s + "⟧" }
		b.locales[Pseudo] = &x
	}
	def := o.Default
	if def == "" {
		def = "en"
	}
	if b.def = b.locales[def]; b.def == nil {
		return nil, fmt.Errorf("language %q: want one of %s", def, strings.Join(b.codes, ", "))
	}
	// The site's language first: the matcher falls back to its first tag.
	tags := []language.Tag{b.def.Tag}
	b.tags = []*Locale{b.def}
	for _, c := range b.codes {
		if c != def {
			tags, b.tags = append(tags, b.locales[c].Tag), append(b.tags, b.locales[c])
		}
	}
	b.matcher = language.NewMatcher(tags)
	return b, nil
}

// load reads one catalogue file into cat.
func load(cat *catalog.Builder, name, code string) (*Locale, error) {
	data, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var f catalogueFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	tag, err := language.Parse(code)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	l := &Locale{Code: code, Name: f.Name, Tag: tag, keys: map[string]string{}}
	for key, raw := range f.Messages {
		if err := l.add(cat, f.Typography, key, raw); err != nil {
			return nil, fmt.Errorf("%s: %q: %w", name, key, err)
		}
	}
	return l, nil
}

// add puts one message into the catalogue.
func (l *Locale) add(cat *catalog.Builder, typo, key string, raw json.RawMessage) error {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		s = typeset(typo, s)
		l.keys[key] = s
		return cat.SetString(l.Tag, key, s)
	}
	var forms map[string]string
	if err := json.Unmarshal(raw, &forms); err != nil {
		return fmt.Errorf("want a string or plural forms: %w", err)
	}
	arg := 1
	if a, ok := forms["arg"]; ok {
		n, err := strconv.Atoi(a)
		if err != nil {
			return fmt.Errorf("arg %q: %w", a, err)
		}
		arg = n
		delete(forms, "arg")
	}
	var cases []any
	for _, cat := range []string{"=0", "=1", "zero", "one", "two", "few", "many", "other"} {
		if v, ok := forms[cat]; ok {
			cases = append(cases, cat, typeset(typo, v))
		}
	}
	if len(cases) == 0 {
		return fmt.Errorf("no plural forms")
	}
	l.keys[key] = "" // known; formatted by the printer
	return cat.Set(l.Tag, key, plural.Selectf(arg, "%d", cases...))
}

// typeset applies a language's typography to a message: French puts a
// no-break space before : and ; ! ? (a narrow one before the last three)
// and inside « ».
func typeset(typo, s string) string {
	if typo != "fr" {
		return s
	}
	return frTypography.Replace(s)
}

var frTypography = strings.NewReplacer(
	" :", "\u00a0:", " ;", "\u202f;", " !", "\u202f!", " ?", "\u202f?",
	"« ", "«\u00a0", " »", "\u00a0»")

// Locale returns the locale of code, or the site's when there is none.
func (b *Bundle) Locale(code string) *Locale {
	if l, ok := b.locales[code]; ok {
		return l
	}
	return b.def
}

// Known says whether code is a language of the site.
func (b *Bundle) Known(code string) bool {
	_, ok := b.locales[code]
	return ok
}

// Default is the site's language.
func (b *Bundle) Default() *Locale { return b.def }

// All are the site's locales in a fixed order (the switch lists them).
func (b *Bundle) All() []*Locale {
	out := make([]*Locale, 0, len(b.codes))
	for _, c := range b.codes {
		out = append(out, b.locales[c])
	}
	return out
}

// maxAccept bounds the Accept-Language headers remembered: browsers send a
// few dozen different ones; a client sending random ones must not grow it.
const maxAccept = 4096

// Accept returns the locale that best fits an Accept-Language header, the
// site's when none fits. Headers seen before are answered from a map: the
// page cache asks on every hit.
func (b *Bundle) Accept(header string) *Locale {
	if header == "" {
		return b.def
	}
	if l, ok := b.accept.Load(header); ok {
		return l.(*Locale)
	}
	l := b.def
	if prefs, _, err := language.ParseAcceptLanguage(header); err == nil && len(prefs) > 0 {
		_, i, conf := b.matcher.Match(prefs...)
		if conf != language.No {
			l = b.tags[i]
		}
	}
	b.mu.Lock()
	if b.nAccept < maxAccept {
		b.nAccept++
		b.accept.Store(strings.Clone(header), l)
	}
	b.mu.Unlock()
	return l
}
