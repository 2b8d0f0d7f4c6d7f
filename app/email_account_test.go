package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestEmailAndOAuthAreNeverMerged: a provider's sign-in whose verified
// email is that of an email account gets an account of its own; an address
// is added to an account only by its owner, from /me, with a mailed link
// opened in the same browser, and never when another account has it.
func TestEmailAndOAuthAreNeverMerged(t *testing.T) {
	gh := newFakeProvider(t, "github", ada)
	s, mb := startMailSite(t, withGitHub(gh))
	byMail := s.browser()
	signInByEmail(t, s, mb, byMail, "ada@example.org", "/")
	mailHandle := byMail.signedInAs()
	byGitHub := s.browser()
	byGitHub.get(s.URL + "/auth/github")
	if got := byGitHub.signedInAs(); got == mailHandle || got != "ada" {
		t.Fatalf("GitHub with the same verified email signed in as %q (the email account is %q)", got, mailHandle)
	}
	addAddress := func(b *browser, addr string) string {
		t.Helper()
		n := len(mb.Messages())
		p := b.post(s.URL+"/me/email", url.Values{"email": {addr}, "csrf": {b.csrf()}})
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "Check your mail") {
			t.Fatalf("POST /me/email: %d\n%s", p.Status, p.Body)
		}
		return linkIn(t, s, mb.Next(t, n), "/login/email/")
	}
	link := addAddress(byGitHub, "ada@example.org")
	if p := byGitHub.post(link, url.Values{"csrf": {byGitHub.csrf()}}); p.Status != http.StatusConflict || !strings.Contains(p.Body, "already in use") {
		t.Errorf("adding the email account's address: %d, want 409", p.Status)
	}
	link = addAddress(byGitHub, "lovelace@example.org")
	if p := s.browser().post(link, url.Values{}); p.Status != http.StatusBadRequest {
		t.Errorf("the add-address link in another browser: %d, want 400", p.Status)
	}
	p := byGitHub.post(link, url.Values{"csrf": {byGitHub.csrf()}})
	if u, _ := url.Parse(p.URL); p.Status != http.StatusOK || u.Path != "/me" || !strings.Contains(p.Body, "lovelace@example.org") {
		t.Fatalf("adding a new address: %d at %s", p.Status, p.URL)
	}
	again := s.browser()
	signInByEmail(t, s, mb, again, "lovelace@example.org", "/")
	if got := again.signedInAs(); got != "ada" {
		t.Errorf("the added address signs in as %q, want ada", got)
	}
}

// TestGuestReactionComesBackAfterEmailSignIn: a guest who clicks "Me too"
// is sent to sign in, is offered email, lands back on the story with the
// "me too" offered as a form the page's script sends, and sends it.
func TestGuestReactionComesBackAfterEmailSignIn(t *testing.T) {
	s, mb := startMailSite(t)
	path := publishByMail(t, s, mb, s.browser(), "Orange again")
	g := s.browser()
	p := g.post(s.URL+path+"/metoo", url.Values{"on": {"1"}})
	if u, _ := url.Parse(p.URL); u.Path != "/login" || !strings.Contains(p.Body, `action="/login/email"`) ||
		!strings.Contains(p.Body, `name="next" value="`+path+`?react=metoo#reactions"`) {
		t.Fatalf("a guest's me-too went to %s without the email form keeping the story", p.URL)
	}
	p = signInByEmail(t, s, mb, g, "guest@example.org", path+"?react=metoo#reactions")
	if u, _ := url.Parse(p.URL); p.Status != http.StatusOK || u.Path != path {
		t.Fatalf("after signing in by email: %s, want %s", p.URL, path)
	}
	if !strings.Contains(p.Body, `<form class="pending-reaction" method="post" action="`+path+`/metoo" data-send="auto">`) {
		t.Fatal("the story does not offer the pending me-too to send")
	}
	p = g.post(s.URL+path+"/metoo", url.Values{"csrf": {g.csrf()}, "on": {"1"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "It happened to you too") || strings.Contains(p.Body, "pending-reaction") {
		t.Errorf("after sending the pending me-too: %d at %s", p.Status, p.URL)
	}
}

// TestWithoutSMTPMailIsLoggedAndKept: with no -smtp-url, a sign-in link is
// written to the log and kept in the outbox, which admins alone see.
func TestWithoutSMTPMailIsLoggedAndKept(t *testing.T) {
	s := newSite(t, listening(), withConfig(func(c *Config) { c.AdminEmails, c.mailPoll = "root@example.org", 20*time.Millisecond }))
	b := s.browser()
	b.post(s.URL+"/login/email", url.Values{"email": {"root@example.org"}})
	re := regexp.MustCompile(regexp.QuoteMeta(s.URL) + `/login/email/[A-Za-z0-9_-]+`)
	var link string
	waitFor(t, func() bool { link = re.FindString(s.Log.String()); return link != "" })
	b.post(link, url.Values{})
	if b.signedInAs() == "" {
		t.Fatal("the logged link did not sign in")
	}
	p := b.get(s.URL + "/admin/outbox")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "root@example.org") || !strings.Contains(p.Body, "<td>logged</td>") {
		t.Errorf("/admin/outbox: %d\n%s", p.Status, p.Body)
	}
	reader := s.browser()
	reader.post(s.URL+"/login/email", url.Values{"email": {"reader@example.org"}})
	if p := reader.get(s.URL + "/admin/outbox"); p.Status != http.StatusNotFound {
		t.Errorf("/admin/outbox for a visitor: %d", p.Status)
	}
}

// TestReplyBoxNeedsAnAddress: the comment form offers "Email me replies"
// to guests and to accounts with a verified address; an account without
// one is told how to add it instead.
func TestReplyBoxNeedsAnAddress(t *testing.T) {
	x := newFakeProvider(t, "x", fakeUser{ID: "x-77", Login: "noaddr", Name: "No Address"}) // X gives no email
	s, mb := startMailSite(t, withX(x))
	path := publishByMail(t, s, mb, s.browser(), "A story to answer")
	if p := s.browser().get(s.URL + path); !strings.Contains(p.Body, `name="notify"`) {
		t.Error("a guest is not offered replies by email")
	}
	b := s.browser()
	if p := b.get(s.URL + "/auth/twitter"); b.signedInAs() != "noaddr" {
		t.Fatalf("signed in as %q: %d %s", b.signedInAs(), p.Status, mainOf(p.Body))
	}
	p := b.get(s.URL + path)
	if strings.Contains(p.Body, `name="notify"`) || !strings.Contains(p.Body, `href="/me#email"`) {
		t.Errorf("an account without an address: the form offers replies by email, or not how to add one")
	}
}
