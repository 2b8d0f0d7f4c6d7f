package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"doleances/app/mail/mailtest"
)

// startMailSite runs the server with a real SMTP server on 127.0.0.1.
func startMailSite(t *testing.T, edits ...func(*Config)) (*testSite, *mailtest.Server) {
	t.Helper()
	mb := mailtest.Start(t)
	s := newSite(t, listening(), withConfig(func(c *Config) {
		c.SMTPURL, c.mailPoll, c.AdminEmails = mb.URL(), 50*time.Millisecond, "root@example.org"
		for _, e := range edits {
			e(c)
		}
	}))
	return s, mb
}

// linkIn returns the first link of the site under path in a mail's text.
func linkIn(t *testing.T, s *testSite, m mailtest.Message, path string) string {
	t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(s.URL+path) + `[A-Za-z0-9_.\-]+`)
	l := re.FindString(m.Text())
	if l == "" {
		t.Fatalf("no %s link in the mail:\n%s", path, m.Text())
	}
	if !strings.Contains(m.HTML(), `href="`+l+`"`) {
		t.Errorf("the HTML part lacks the link %s:\n%s", l, m.HTML())
	}
	return l
}

// signInByEmail signs b in by email through the real mail, returning the
// page it ends on.
func signInByEmail(t *testing.T, s *testSite, mb *mailtest.Server, b *browser, addr, next string) page {
	t.Helper()
	n := len(mb.Messages())
	p := b.post(s.URL+"/login/email", url.Values{"email": {addr}, "next": {next}})
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Check your mail") {
		t.Fatalf("POST /login/email: %d\n%s", p.Status, p.Body)
	}
	link := linkIn(t, s, mb.Next(t, n), "/login/email/")
	form := b.get(link)
	if form.Status != http.StatusOK || !strings.Contains(form.Body, `method="post" action="/login/email/`) {
		t.Fatalf("GET of the link: %d, no button\n%s", form.Status, form.Body)
	}
	return b.post(link, url.Values{})
}

// TestEmailSignIn: /login offers email beside nothing else; the mailed link
// shows a button (a GET signs nobody in), the POST signs in, creates a
// reader with a handle that says nothing of the address, and goes back to
// where the visitor was; the link works once and for 15 minutes.
func TestEmailSignIn(t *testing.T) {
	s, mb := startMailSite(t)
	b := s.browser()
	login := b.get(s.URL + "/login?next=/feeds")
	if !strings.Contains(login.Body, `action="/login/email"`) || !strings.Contains(login.Body, `name="next" value="/feeds"`) {
		t.Fatalf("/login has no email form keeping next:\n%s", login.Body)
	}
	p := b.post(s.URL+"/login/email", url.Values{"email": {"Ada.Lovelace@Example.org"}, "next": {"/feeds"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Check your mail") {
		t.Fatalf("POST /login/email: %d\n%s", p.Status, p.Body)
	}
	m := mb.Wait(t, "ada.lovelace@example.org", "sign-in link")
	link := linkIn(t, s, m, "/login/email/")
	if got := b.get(link); got.Status != http.StatusOK || b.signedInAs() != "" {
		t.Fatalf("opening the link: %d, signed in as %q (a GET must not sign in)", got.Status, b.signedInAs())
	}
	p = b.post(link, url.Values{})
	if u, _ := url.Parse(p.URL); p.Status != http.StatusOK || u.Path != "/feeds" {
		t.Fatalf("after the button: %s (%d), want /feeds", p.URL, p.Status)
	}
	handle := b.signedInAs()
	if handle == "" || strings.Contains(handle, "ada") || strings.Contains(handle, "lovelace") {
		t.Errorf("signed in as %q: want a new reader whose handle does not show the address", handle)
	}
	// Used: another browser gets a clear page and no session.
	b2 := s.browser()
	if p := b2.post(link, url.Values{}); p.Status != http.StatusNotFound || !strings.Contains(p.Body, "no longer works") || b2.signedInAs() != "" {
		t.Errorf("a used link: %d, signed in as %q\n%s", p.Status, b2.signedInAs(), p.Body)
	}
	// The same address signs in to the same account.
	if p := signInByEmail(t, s, mb, b2, "ada.lovelace@example.org", "/"); p.Status != http.StatusOK || b2.signedInAs() != handle {
		t.Errorf("a second sign-in with the same address is %q, want %q", b2.signedInAs(), handle)
	}
	// Expired after 15 minutes.
	b3 := s.browser()
	b3.post(s.URL+"/login/email", url.Values{"email": {"late@example.org"}})
	link = linkIn(t, s, mb.Wait(t, "late@example.org", "sign-in link"), "/login/email/")
	s.clock.add(16 * time.Minute)
	if p := b3.post(link, url.Values{}); p.Status != http.StatusNotFound || b3.signedInAs() != "" {
		t.Errorf("an expired link: %d, signed in as %q", p.Status, b3.signedInAs())
	}
}
