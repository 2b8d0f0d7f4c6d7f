// Package mail sends the site's mail: it composes each kind of message, keeps
// them in the database's outbox, and a background sender hands them to an
// SMTP server (or to the log when none is configured), retrying with backoff.
package mail

import (
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"unicode"
	"unicode/utf8"

	"doleances/handlers/i18n"
	"doleances/models"
)

// Content is what one mail says, before it is rendered as plain text and
// simple HTML.
type Content struct {
	To, Kind   string
	Subject    string
	Paragraphs []string
	Quote      string // what someone wrote, quoted
	Action     string // the label of the one link the mail is about
	ActionURL  string
	Items      []Item // a digest's new items
	Why        string // why this address gets the mail
	// UnsubscribeURL ends the subscription in one click (RFC 8058); every
	// notification has one.
	UnsubscribeURL string
	// Lang is the language the mail is written in, and Unsubscribe the
	// label of its unsubscribe link in it; see Locale.
	Lang, Unsubscribe string
}

// Item is a line of a digest.
type Item struct{ Title, URL string }

var textMail = texttemplate.Must(texttemplate.New("text").Parse(`{{range .Paragraphs}}{{.}}

{{end}}{{if .Quote}}{{.Quote}}

{{end}}{{range .Items}}- {{.Title}}
  {{.URL}}
{{end}}{{if .Items}}
{{end}}{{if .ActionURL}}{{.Action}}:
{{.ActionURL}}

{{end}}-- 
{{.Why}}
{{if .UnsubscribeURL}}{{.Unsubscribe}}: {{.UnsubscribeURL}}
{{end}}`))

var htmlMail = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family:sans-serif;max-width:40em">
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{if .Quote}}<blockquote style="border-left:3px solid #ccc;margin-left:0;padding-left:1em">{{.Quote}}</blockquote>
{{end}}{{if .Items}}<ul>{{range .Items}}<li><a href="{{.URL}}">{{.Title}}</a></li>{{end}}</ul>
{{end}}{{if .ActionURL}}<p><a href="{{.ActionURL}}">{{.Action}}</a></p>
{{end}}<hr><p style="color:#666;font-size:smaller">{{.Why}}{{if .UnsubscribeURL}} <a href="{{.UnsubscribeURL}}">{{.Unsubscribe}}</a>{{end}}</p>
</body></html>
`))

// english writes the mails of senders given no language.
var english = func() *i18n.Locale {
	b, err := i18n.New(i18n.Options{})
	if err != nil {
		panic(err) // the embedded catalogues are part of the binary
	}
	return b.Default()
}()

// orEnglish is loc, or English when there is none.
func orEnglish(loc *i18n.Locale) *i18n.Locale {
	if loc == nil {
		return english
	}
	return loc
}

// Outbox renders c as an outbox row.
func (c Content) Outbox() (models.OutboxMail, error) {
	c.Subject = OneLine(c.Subject, 200)
	if c.Lang == "" {
		c.Lang, c.Unsubscribe = english.Code, english.T("Unsubscribe")
	}
	var t, h strings.Builder
	if err := textMail.Execute(&t, c); err != nil {
		return models.OutboxMail{}, err
	}
	if err := htmlMail.Execute(&h, c); err != nil {
		return models.OutboxMail{}, err
	}
	return models.OutboxMail{To: c.To, Kind: c.Kind, Subject: c.Subject, Text: t.String(), HTML: h.String(),
		Unsubscribe: c.UnsubscribeURL}, nil
}

// OneLine makes text fit a header: control characters (CR, LF...) become
// spaces, runs of spaces one, and it is cut to n characters. Names and
// titles typed by visitors reach subjects and display names through it, so
// that none can add a header.
func OneLine(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n-1]) + "…"
	}
	return s
}
