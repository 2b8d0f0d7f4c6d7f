package handlers

import (
	"crypto/subtle"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

const (
	sessionCookie = "doleances_session"
	sessionLocal  = "session"
)

// currentSession is the signed-in session of the request, or nil.
func currentSession(c *fiber.Ctx) *models.Session {
	s, _ := c.Locals(sessionLocal).(*models.Session)
	return s
}

// loadSession finds the session of the cookie, if any. A visitor without a
// session gets no cookie and nothing personal, so their pages can be cached.
func (a *auth) loadSession(c *fiber.Ctx) error {
	token := c.Cookies(sessionCookie)
	if token == "" {
		return c.Next()
	}
	sess, err := a.store.SessionByToken(c.UserContext(), token, a.ttl)
	switch {
	case errors.Is(err, models.ErrNotFound):
		a.clearSessionCookie(c)
		return c.Next()
	case err != nil:
		return err
	}
	c.Locals(sessionLocal, sess)
	if sess.Renewed {
		a.setSessionCookie(c, token, sess)
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Next()
}

// startSession signs user userID in with a new session id, ending the
// browser's previous session if it had one.
func (a *auth) startSession(c *fiber.Ctx, userID uint) error {
	if old := c.Cookies(sessionCookie); old != "" {
		if err := a.store.DeleteSession(c.UserContext(), old); err != nil {
			return err
		}
	}
	token, err := a.store.CreateSession(c.UserContext(), userID, a.ttl)
	if err != nil {
		return err
	}
	a.setSessionCookie(c, token, &models.Session{ExpiresAt: a.now().Add(a.ttl)})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return nil
}

func (a *auth) setSessionCookie(c *fiber.Ctx, token string, sess *models.Session) {
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: sess.ExpiresAt,
		HTTPOnly: true, Secure: a.secure, SameSite: fiber.CookieSameSiteLaxMode})
}

func (a *auth) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1,
		HTTPOnly: true, Secure: a.secure, SameSite: fiber.CookieSameSiteLaxMode})
}

// guard refuses state-changing requests that come from another site (for
// everyone) or that lack the session's CSRF token (for signed-in people).
func (a *auth) guard(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if a.crossSite(c) {
		return a.refuse(c, tr(c, "This form was sent from another website, so we did not act on it."))
	}
	if sess := currentSession(c); sess != nil {
		token := postedValue(c, "csrf")
		if token == "" {
			token = c.Get("X-CSRF-Token")
		}
		if subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRF)) != 1 {
			return a.refuse(c, tr(c, "This form was out of date (it may come from another tab or an earlier sign-in), so we did not act on it."))
		}
	}
	return c.Next()
}

// postedValue is the field name of the request's body (urlencoded or
// multipart), never of its query string: a token in an address is written to
// logs, history and Referer headers, where others read it.
func postedValue(c *fiber.Ctx, name string) string {
	if v := c.Request().PostArgs().Peek(name); len(v) > 0 {
		return string(v)
	}
	if f, err := c.MultipartForm(); err == nil && len(f.Value[name]) > 0 {
		return f.Value[name][0]
	}
	return ""
}

// crossSite says whether a browser sent the request from another origin.
// Browsers send Sec-Fetch-Site (or at least Origin) on every POST; a request
// with neither comes from a non-browser client, which cookies cannot be
// tricked into.
func (a *auth) crossSite(c *fiber.Ctx) bool {
	switch c.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
	default:
		return true // cross-site, same-site (a sibling subdomain)
	}
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return false
	}
	return !strings.EqualFold(origin, a.origin)
}

// Field is a submitted form field given back on the refusal page.
type Field struct {
	Name, Value string
	Long        bool
}

// ResubmitPage is the page of a refused form (403, 429): what was typed, in
// a form that sends it again, to the same address, with a fresh token. A
// form sent from another site is never offered again (Replay false): its
// fields were chosen by that site, and a button of ours that sends them with
// the visitor's token would do what the refusal prevented; the text is only
// shown, read-only, for a person to copy.
type ResubmitPage struct {
	Layout
	Status int
	Reason string
	Action string
	Replay bool
	Fields []Field
}

func (a *auth) refuse(c *fiber.Ctx, reason string) error {
	return a.resubmit(c, fiber.StatusForbidden, reason, !a.crossSite(c))
}

// resubmit answers status with the form as it was sent, to send it again
// when replay is true: never for a post that came from another site, whose
// fields that site chose.
func (p *pages) resubmit(c *fiber.Ctx, status int, reason string, replay bool) error {
	l, err := p.layout(c, tr(c, "Please confirm"), "", "")
	if err != nil {
		// What was typed matters more than the sidebar.
		l = p.bareLayout(c, tr(c, "Please confirm"), "")
	}
	l.Canonical = ""
	rp := ResubmitPage{Layout: l, Reason: reason, Action: safeNext(c.OriginalURL()), Replay: replay}
	args := c.Request().PostArgs()
	if f, err := c.MultipartForm(); err == nil && f != nil {
		for k, vs := range f.Value {
			for _, v := range vs {
				args.Add(k, v)
			}
		}
	}
	args.VisitAll(func(k, v []byte) {
		if name := string(k); name != "csrf" {
			val := string(v)
			rp.Fields = append(rp.Fields, Field{Name: name, Value: val, Long: len(val) > 80 || strings.Contains(val, "\n")})
		}
	})
	c.Set(fiber.HeaderCacheControl, "no-store")
	rp.Status = status
	return p.render(c, status, "resubmit", rp)
}
