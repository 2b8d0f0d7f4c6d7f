package app

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"doleances/models"
)

// renderer holds one template set per page: the layout and partials plus
// that page's file, so that pages can define the same blocks ("content").
type renderer struct {
	pages    map[string]*template.Template
	partials *template.Template // the layouts and partials alone
}

func newRenderer(fsys fs.FS, funcs template.FuncMap) (*renderer, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(fsys, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layouts: %w", err)
	}
	files, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, err
	}
	r := &renderer{pages: map[string]*template.Template{}, partials: base}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		r.pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return r, nil
}

// Render executes page in the base layout.
func (r *renderer) Render(w io.Writer, page string, data any) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	return t.ExecuteTemplate(w, "base", data)
}

// Partial executes the partial template name alone.
func (r *renderer) Partial(w io.Writer, name string, data any) error {
	return r.partials.ExecuteTemplate(w, name, data)
}

// templateFuncs are the helpers the templates use.
// Dates and clock times are shown in loc, the site's time zone, and a clock
// time names its zone ("14:02 CET"); iso stays in UTC for machines.
func templateFuncs(a *assets, loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"asset": a.url,
		"date":  func(v any) string { return formatTime(v, loc, "2 January 2006") },
		"clock": func(v any) string { return formatTime(v, loc, "15:04 MST") },
		"iso":   func(v any) string { return formatTime(v, time.UTC, time.RFC3339) },
		// html marks HTML that the models rendered and sanitised at save time.
		"html":    func(s string) template.HTML { return template.HTML(s) }, //nolint:gosec // rendered by models without raw HTML
		"safeURL": models.SafeURLAbsolute,
		// media reads the URL of one of the site's pictures, for its srcset,
		// width and height; nil for any other URL.
		"media": func(u string) *models.MediaRef {
			if r, ok := models.ParseMediaURL(u); ok {
				return &r
			}
			return nil
		},
		// maxlen is a form field's limit in the models, so that a
		// maxlength attribute and the server's limit are one number.
		"maxlen": maxLen,
		"plural": func(n any, one, many string) string {
			s := fmt.Sprint(n)
			if s == "1" {
				return "1 " + one
			}
			return s + " " + many
		},
		"resolution": func(r string) string {
			switch r {
			case models.ResolutionResolved:
				return "Resolved"
			case models.ResolutionAbandoned:
				return "Gave up"
			}
			return "Still open"
		},
		// after says how long after publication something happened.
		"after": func(days int) string {
			switch days {
			case 0:
				return "the same day"
			case 1:
				return "after 1 day"
			}
			return fmt.Sprintf("after %d days", days)
		},
		"replyKind":    models.ReplyKindLabel,
		"replyKinds":   func() []string { return models.ReplyKinds },
		"noticeReason": models.NoticeReasonLabel,
		"decision":     models.DecisionLabel,
		// hours shows a handling time: "3.5 hours", "2 days".
		"hours": func(d time.Duration) string {
			if h := d.Hours(); h < 48 {
				return strconv.FormatFloat(h, 'f', 1, 64) + " hours"
			}
			return strconv.FormatFloat(d.Hours()/24, 'f', 1, 64) + " days"
		},
		// reaction is the data of one like or "me too" button.
		"reaction": func(slug, kind string, on bool, count int, csrf string) map[string]any {
			return map[string]any{"Slug": slug, "Kind": kind, "On": on, "Count": count, "CSRF": csrf}
		},
		"initial": func(name string) string {
			for _, r := range name {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					return strings.ToUpper(string(r))
				}
			}
			return "?"
		},
	}
}

// formatTime is the one place pages format a time: in loc, with layout.
func formatTime(v any, loc *time.Location, layout string) string {
	switch t := v.(type) {
	case time.Time:
		return t.In(loc).Format(layout)
	case *time.Time:
		if t != nil {
			return t.In(loc).Format(layout)
		}
	}
	return ""
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
