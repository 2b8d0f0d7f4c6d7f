package app

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"doleances/handlers/i18n"
	"doleances/models"
)

// renderer holds, for each language, one template set per page: the layout
// and partials plus that page's file, so that pages can define the same
// blocks ("content"). Each language's set has its own "t", "date"... bound
// to its locale, so that partials translate without being handed it.
type renderer struct {
	langs   *i18n.Bundle
	locales map[string]*localeViews
}

type localeViews struct {
	pages    map[string]*template.Template
	partials *template.Template // the layouts and partials alone
}

func newRenderer(fsys fs.FS, langs *i18n.Bundle, funcs func(*i18n.Locale) template.FuncMap) (*renderer, error) {
	r := &renderer{langs: langs, locales: map[string]*localeViews{}}
	locales := langs.All()
	if langs.Known(i18n.Pseudo) {
		locales = append(locales, langs.Locale(i18n.Pseudo))
	}
	for _, l := range locales {
		lv, err := parseViews(fsys, funcs(l))
		if err != nil {
			return nil, err
		}
		r.locales[l.Code] = lv
	}
	return r, nil
}

func parseViews(fsys fs.FS, funcs template.FuncMap) (*localeViews, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(fsys, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layouts: %w", err)
	}
	files, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, err
	}
	lv := &localeViews{pages: map[string]*template.Template{}, partials: base}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		lv.pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return lv, nil
}

func (r *renderer) views(lang string) *localeViews {
	if lv, ok := r.locales[lang]; ok {
		return lv
	}
	return r.locales[r.langs.Default().Code]
}

// Render executes page in the base layout, in language lang.
func (r *renderer) Render(w io.Writer, lang, page string, data any) error {
	t, ok := r.views(lang).pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	return t.ExecuteTemplate(w, "base", data)
}

// Partial executes the partial template name alone, in language lang.
func (r *renderer) Partial(w io.Writer, lang, name string, data any) error {
	return r.views(lang).partials.ExecuteTemplate(w, name, data)
}

// templateFuncs are the helpers the templates use, in the language of l.
func templateFuncs(a *assets, siteLang string) func(l *i18n.Locale) template.FuncMap {
	return func(l *i18n.Locale) template.FuncMap {
		return template.FuncMap{
			// storyLang is the language a story is written in: its own, or the site's.
			"storyLang": func(s string) string { return cmp.Or(s, siteLang) },
			"asset":     a.url,
			// t translates an interface text (its key is the English text).
			"t": l.T,
			// text translates a text kept in English (a follow's label).
			"text": l.Text,
			"lang": func() string { return l.Code },
			"date": func(v any) string { return withTime(v, l.Date) },
			// clock is a time of day with its zone ("14:02 CET"), for times a
			// visitor may read from another zone.
			"clock":    func(v any) string { return withTime(v, l.ClockZone) },
			"datetime": func(v any) string { return withTime(v, l.DateTime) },
			"iso": func(v any) string {
				return withTime(v, func(t time.Time) string { return t.UTC().Format(time.RFC3339) })
			},
			"number": func(n any) string { return l.Number(toInt(n)) },
			// monthName names a month of a year: a time, or "2026-01".
			"monthName": func(v any) string {
				t, ok := v.(time.Time)
				if s, isText := v.(string); isText {
					t, ok = parseMonth(s)
				}
				if !ok {
					return fmt.Sprint(v)
				}
				return l.Month(t.Year(), t.Month())
			},
			// html marks HTML that the models rendered and sanitised at save time.
			"html":    func(s string) template.HTML { return template.HTML(s) }, //nolint:gosec // rendered by models without raw HTML
			"safeURL": models.SafeURLAbsolute,
			// maxlen is a form field's limit in the models, so that a
			// maxlength attribute and the server's limit are one number.
			"maxlen": maxLen,
			// media reads the URL of one of the site's pictures, for its srcset,
			// width and height; nil for any other URL.
			"media": func(u string) *models.MediaRef {
				if r, ok := models.ParseMediaURL(u); ok {
					return &r
				}
				return nil
			},
			// plural counts n things: the catalogue's "%d many" has the forms.
			"plural":       func(n any, _, many string) string { return l.T("%d "+many, toInt(n)) },
			"resolution":   func(r string) string { return l.T(resolution(r)) },
			"after":        func(days int) string { return l.T("after %d days", days) },
			"replyKind":    func(k string) string { return l.T(models.ReplyKindLabel(k)) },
			"replyKinds":   func() []string { return models.ReplyKinds },
			"noticeReason": func(r string) string { return l.T(models.NoticeReasonLabel(r)) },
			"decision":     func(d string) string { return l.T(models.DecisionLabel(d)) },
			// hours shows a handling time: "3.5 hours", "2 days".
			"hours": func(d time.Duration) string {
				if h := d.Hours(); h < 48 {
					return l.T("%s hours", l.Decimal(h))
				}
				return l.T("%s days", l.Decimal(d.Hours()/24))
			},
			// reaction is the data of one like or "me too" button.
			"reaction": func(slug, kind string, on bool, count int, csrf string) map[string]any {
				return map[string]any{"Slug": slug, "Kind": kind, "On": on, "Count": count, "CSRF": csrf}
			},
			"initial": initial,
			// uiText is the scripts' messages in l's language, as JSON
			// (static/*.js read it from the body's data-ui-text: no inline script).
			"uiText": func() (string, error) {
				m := make(map[string]string, len(scriptMessages))
				for _, k := range scriptMessages {
					m[k] = l.T(k)
				}
				b, err := json.Marshal(m)
				return string(b), err
			},
		}
	}
}

// scriptMessages are the messages static/*.js show, keyed by their English
// text; %s stands for what the script puts in.
var scriptMessages = []string{
	"Saved at %s", "Kept on this device at %s: press “Save changes” to publish them.", "Not saved on the server.",
	"Kept on this device at %s.", "Not saved on the server (no connection?). Kept on this device at %s.", "Unsaved changes…",
	"This device kept text you wrote here at %s that was not saved.", "Restore it", "Discard it",
	"Cancel the reply", "Reply to %s", "Reply", "Post the reply", "Copied", "Press Ctrl+C to copy",
}

func initial(name string) string {
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return strings.ToUpper(string(r))
		}
	}
	return "?"
}

// resolution is how a story's resolution reads, in English (the key).
func resolution(r string) string {
	switch r {
	case models.ResolutionResolved:
		return "Resolved"
	case models.ResolutionAbandoned:
		return "Gave up"
	}
	return "Still open"
}

func parseMonth(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01", s)
	return t, err == nil
}

func withTime(v any, f func(time.Time) string) string {
	switch t := v.(type) {
	case time.Time:
		return f(t)
	case *time.Time:
		if t != nil {
			return f(*t)
		}
	}
	return ""
}

func toInt(n any) int {
	switch v := n.(type) {
	case int:
		return v
	case int64:
		return int(v)
	case uint:
		return int(v)
	case int32:
		return int(v)
	case uint64:
		return int(v)
	}
	i, _ := strconv.Atoi(fmt.Sprint(n))
	return i
}

// fieldLimits are the models' limits of the short fields, by what they hold.
var fieldLimits = map[string]int{
	"title": models.MaxTitleLen, "company": models.MaxCompanyNameLen, "city": models.MaxCityLen,
	"name": models.MaxNameLen, "handle": models.MaxHandleLen, "email": models.MaxEmailLen, "url": models.MaxURLLen,
	"category": models.MaxCategoryNameLen, "description": models.MaxDescriptionLen, "note": models.MaxNoteLen,
	"alt": models.MaxAltLen,
}

// maxLen is the limit of a kind of field; an unknown kind is a template
// error at render time, which the page tests catch.
func maxLen(kind string) (int, error) {
	n, ok := fieldLimits[kind]
	if !ok {
		return 0, fmt.Errorf("maxlen: no limit for %q", kind)
	}
	return n, nil
}
