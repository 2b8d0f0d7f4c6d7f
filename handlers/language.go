package handlers

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/handlers/i18n"
	"doleances/models"
)

// langCookie remembers the language a visitor chose with the switch.
const langCookie = "doleances_lang"

const localeLocal = "i18n.locale"

// Alternate is the same page in another language, for hreflang links.
type Alternate struct {
	Lang string // "en", "fr", or "x-default"
	URL  string
}

// languages picks the language of each request: ?lang= (the page in that
// language, linked from hreflang alternates; it sets nothing), then the
// visitor's choice (the cookie set by POST /lang), then Accept-Language,
// then the site's. Every answer varies with those headers, so that a
// shared cache never hands one visitor's language to another.
func languages(b *i18n.Bundle) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(localeLocal, chooseLocale(c, b))
		c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
		return c.Next()
	}
}

func chooseLocale(c *fiber.Ctx, b *i18n.Bundle) *i18n.Locale {
	if q := c.Query("lang"); q != "" && b.Known(q) {
		return b.Locale(q)
	}
	if v := c.Cookies(langCookie); v != "" && b.Known(v) {
		return b.Locale(v)
	}
	return b.Accept(c.Get(fiber.HeaderAcceptLanguage))
}

// locale is the language of the request.
func locale(c *fiber.Ctx) *i18n.Locale {
	if l, ok := c.Locals(localeLocal).(*i18n.Locale); ok {
		return l
	}
	return fallbackLocale
}

// fallbackLocale serves requests that ran before the language was chosen
// (a panic in the outer middleware).
var fallbackLocale = func() *i18n.Locale {
	b, err := i18n.New(i18n.Options{})
	if err != nil {
		panic(err) // the embedded English catalogue is part of the binary
	}
	return b.Default()
}()

// tr translates an interface text into the request's language.
func tr(c *fiber.Ctx, key string, args ...any) string { return locale(c).T(key, args...) }

// chooseLanguage remembers the visitor's choice: POST /lang (field lang),
// then back to the page (field next) in that language.
func chooseLanguage(b *i18n.Bundle, secure bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		code := c.FormValue("lang")
		if !b.Known(code) {
			return fiber.NewError(fiber.StatusUnprocessableEntity, "This language is not one of the site's.")
		}
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: code, Path: "/", MaxAge: 365 * 24 * 3600,
			Expires: time.Now().Add(365 * 24 * time.Hour), Secure: secure, HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
		return c.Redirect(withoutLang(switchedFrom(c)), fiber.StatusSeeOther)
	}
}

// switchedFrom is the page the switch was on: the Referer when it is a page of
// this site (with its query: a search stays a search), else the form's
// next (the page's path alone, so that no page repeats a query that
// another site wrote into its address).
func switchedFrom(c *fiber.Ctx) string {
	if ref, err := url.Parse(c.Get(fiber.HeaderReferer)); err == nil && ref.Host == c.Hostname() && ref.Path != "" {
		return safeNext(ref.RequestURI())
	}
	return safeNext(c.FormValue("next"))
}

// withoutLang removes the lang parameter from a path and query, as the
// switch and the canonical links want it.
func withoutLang(uri string) string {
	path, query, ok := strings.Cut(uri, "?")
	if !ok {
		return uri
	}
	var kept []string
	for _, p := range strings.Split(query, "&") {
		if !strings.HasPrefix(p, "lang=") && p != "" {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return path
	}
	return path + "?" + strings.Join(kept, "&")
}

// withLang adds lang=code to a path and query.
func withLang(uri, code string) string {
	if strings.Contains(uri, "?") {
		return uri + "&lang=" + code
	}
	return uri + "?lang=" + code
}

// localFields translates a ValidationError's field messages, which the
// models write in English from their catalogue formats.
func localFields(c *fiber.Ctx, fields map[string]string) map[string]string {
	if len(fields) == 0 {
		return fields
	}
	loc := locale(c)
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		out[k] = loc.Text(v)
	}
	return out
}

// localSummary is a ValidationError's messages in one translated text.
func localSummary(c *fiber.Ctx, ve *models.ValidationError) string {
	return (&models.ValidationError{Fields: localFields(c, ve.Fields)}).Summary()
}
