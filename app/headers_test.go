package app

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/handlers"
	"doleances/models"
	"doleances/views"
)

// wantSecurityHeaders checks the headers every response carries, and HSTS
// exactly when the site is served over https.
func wantSecurityHeaders(t *testing.T, what string, h http.Header, https bool) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "style-src 'self'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: Content-Security-Policy %q lacks %s", what, csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: Content-Security-Policy allows inline code: %q", what, csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
		t.Errorf("%s: X-Content-Type-Options %q, Referrer-Policy %q", what, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
	}
	hsts := h.Get("Strict-Transport-Security")
	if https && !strings.HasPrefix(hsts, "max-age=") {
		t.Errorf("%s: an https site without HSTS (%q)", what, hsts)
	}
	if !https && hsts != "" {
		t.Errorf("%s: HSTS %q on an http site: it would lock browsers out of a site without https", what, hsts)
	}
}

// Pages, feeds, error pages and refusals all carry the headers, over https
// with HSTS and over http without.
func TestSecurityHeaders(t *testing.T) {
	for _, base := range []string{testBase, "http://127.0.0.1:3000"} {
		https := strings.HasPrefix(base, "https://")
		cs := newSite(t, withComments(), withConfig(func(c *Config) { c.BaseURL = base }))
		for _, path := range []string{"/", "/stories/" + cs.story.Slug, "/feed", "/nowhere", "/search?q=box", "/static/style.css"} {
			res, _ := cs.get(nil, path)
			wantSecurityHeaders(t, base+path, res.Header, https)
		}
		res, _ := cs.do(nil, http.MethodPost, "/me", url.Values{"x": {"y"}}, "Content-Encoding", "gzip")
		wantSecurityHeaders(t, base+" 415", res.Header, https)
	}
	// Refused before any middleware ran: a body over the hard cap.
	s := newSite(t, listening())
	status, _, h := rawPost(t, s.URL, "/me", 3<<20)
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("3 MB: status %d", status)
	}
	wantSecurityHeaders(t, "413 over the hard cap", h, false)
}

var (
	inlineScript = regexp.MustCompile(`<script\b[^>]*>`)
	inlineStyle  = regexp.MustCompile(`(?i)<style\b|\sstyle\s*=`)
	eventAttr    = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)
)

// inlineCode lists what in an HTML text would need 'unsafe-inline': script
// elements without src (JSON-LD data blocks are not run), style elements
// and attributes, and event-handler attributes.
func inlineCode(text string) []string {
	var found []string
	for _, s := range inlineScript.FindAllString(text, -1) {
		if !strings.Contains(s, " src=") && !strings.Contains(s, `type="application/ld+json"`) {
			found = append(found, s)
		}
	}
	found = append(found, inlineStyle.FindAllString(text, -1)...)
	return append(found, eventAttr.FindAllString(text, -1)...)
}

// No template, and no page as served (error pages included), has inline
// script or style, which the Content-Security-Policy would block.
func TestNoInlineScriptOrStyle(t *testing.T) {
	err := fs.WalkDir(views.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(views.FS, path)
		if err != nil {
			return err
		}
		for _, f := range inlineCode(string(b)) {
			t.Errorf("%s has inline code: %s", path, f)
		}
		return nil
	})
	check(t, err)
	s := newSite(t, withBase(plainBase), withConfig(func(c *Config) {
		c.Demo = true
		c.testRoutes = func(r fiber.Router) { r.Get("/test/panic", func(*fiber.Ctx) error { panic("boom") }) }
	}))
	b := s.browser()
	for _, path := range []string{"/", "/stories/nowhere", "/search?q=%22", "/login", "/test/panic", "/feeds", "/write"} {
		p := b.get(s.URL + path)
		for _, f := range inlineCode(p.Body) {
			t.Errorf("%s (%d) has inline code: %s", path, p.Status, f)
		}
	}
}

// Cookies are HttpOnly and SameSite=Lax, and Secure on an https site: the
// session cookie of a sign-in and the guest cookie of a first comment.
func TestCookiesOnAnHTTPSSite(t *testing.T) {
	cs := newSite(t, withComments()) // base URL https://
	uid := cs.readers[0].ID
	token, err := cs.store.CreateOneTimeToken(context.Background(), models.PurposeSignIn, &uid, time.Hour)
	check(t, err)
	res, body := cs.do(nil, http.MethodPost, "/signin/"+token, url.Values{})
	wantCode(t, res, body, http.StatusSeeOther)
	res2, body := cs.comment(guest(), cs.story, "Bonjour.", "name", "Claire", "email", "claire@example.org")
	wantCode(t, res2, body, http.StatusSeeOther)
	for name, r := range map[string]*http.Response{"doleances_session": res, "doleances_guest": res2} {
		var found *http.Cookie
		for _, c := range r.Cookies() {
			if c.Name == name {
				found = c
			}
		}
		if found == nil {
			t.Errorf("no %s cookie", name)
			continue
		}
		if !found.Secure || !found.HttpOnly || found.SameSite != http.SameSiteLaxMode {
			t.Errorf("%s: Secure %v, HttpOnly %v, SameSite %v", name, found.Secure, found.HttpOnly, found.SameSite)
		}
	}
}

// A panic in a handler is the 500 page, with the request id to quote and
// nothing of the panic; the log has one line with the id and the stack;
// the server keeps serving.
func TestPanicBecomesThe500Page(t *testing.T) {
	s := newSite(t, withBase(plainBase), withConfig(func(c *Config) {
		c.testRoutes = func(r fiber.Router) {
			r.Get("/test/panic", func(*fiber.Ctx) error {
				panic("SELECT secret FROM users: database error at /work/models/users.go:42")
			})
		}
	}))
	b := s.browser()
	p := b.get(s.URL + "/test/panic")
	id := p.Header.Get("X-Request-Id")
	if p.Status != http.StatusInternalServerError || id == "" {
		t.Fatalf("status %d, request id %q", p.Status, id)
	}
	if !strings.Contains(p.Body, id) || !strings.Contains(p.Body, "Something went wrong") {
		t.Errorf("the 500 page does not show the request id %s", id)
	}
	for _, leak := range []string{"SELECT", "secret", "users.go", "goroutine", "panic"} {
		if strings.Contains(p.Body, leak) {
			t.Errorf("the 500 page shows %q", leak)
		}
	}
	var lines []string
	for _, l := range strings.Split(s.Log.String(), "\n") {
		if strings.Contains(l, id) {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "level=ERROR") || !strings.Contains(lines[0], "stack=") ||
		!strings.Contains(lines[0], "SELECT secret") {
		t.Errorf("want one ERROR line with the panic and its stack for request %s, got %d:\n%s", id, len(lines), strings.Join(lines, "\n"))
	}
	if p := b.get(s.URL + "/"); p.Status != http.StatusOK {
		t.Errorf("after a panic, the front page answers %d", p.Status)
	}
}

// The request id shown on the 500 page and logged is the server's own: a
// client's X-Request-Id is not taken (a trusted proxy's is).
func TestRequestIDIsTheServers(t *testing.T) {
	panicking := func(c *Config) {
		c.testRoutes = func(r fiber.Router) { r.Get("/test/panic", func(*fiber.Ctx) error { panic("boom") }) }
	}
	get := func(s *testSite, id string) string {
		res, _ := s.get(nil, "/test/panic", "X-Request-Id", id)
		return res.Header.Get("X-Request-Id")
	}
	direct := newSite(t, withBase(plainBase), withConfig(panicking))
	if got := get(direct, "forged-id-1"); got == "forged-id-1" || got == "" {
		t.Errorf("a client's request id was taken: %q", got)
	}
	proxied := newSite(t, withBase(plainBase), withConfig(func(c *Config) { panicking(c); c.TrustedProxies = testPeer }))
	if got := get(proxied, "proxy-id-1"); got != "proxy-id-1" {
		t.Errorf("the trusted proxy's request id was replaced by %q", got)
	}
	if got := get(proxied, "not an id <script>"); got == "not an id <script>" {
		t.Error("a request id that is not one was kept")
	}
}

// Every request's work has a deadline (handlers.RequestTimeout), which
// its handler passes to the store, ended once the request is answered.
func TestRequestsHaveADeadline(t *testing.T) {
	var kept context.Context
	cs := newSite(t, withComments(), withConfig(func(c *Config) {
		c.testRoutes = func(r fiber.Router) {
			r.Get("/test/deadline", func(c *fiber.Ctx) error {
				kept = c.UserContext()
				dl, ok := kept.Deadline()
				return c.SendString(fmt.Sprint(ok && time.Until(dl) > 0 && time.Until(dl) <= handlers.RequestTimeout))
			})
		}
	}))
	res, body := cs.do(nil, http.MethodGet, "/test/deadline", nil)
	if res.StatusCode != http.StatusOK || body != "true" {
		t.Errorf("status %d: the request's context has a deadline within handlers.RequestTimeout: %s", res.StatusCode, body)
	}
	if kept == nil || kept.Err() == nil {
		t.Error("the request's context runs on after its answer")
	}
}
