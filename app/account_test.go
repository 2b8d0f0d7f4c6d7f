package app

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestSetupLinkWorksOnce(t *testing.T) {
	s := newSite(t, withBase(plainBase))
	m := regexp.MustCompile(`url=(http://\S+/setup/\S+)`).FindStringSubmatch(s.Log.String())
	if m == nil {
		t.Fatalf("no setup link in the log:\n%s", s.Log.String())
	}
	link := m[1]
	b := s.browser()
	if p := b.get(link); p.Status != 200 || !strings.Contains(p.Body, "Create the first admin account") {
		t.Fatalf("setup form: %d", p.Status)
	}
	if p := b.post(link, url.Values{"name": {""}}); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("empty name: %d, want 422", p.Status)
	}
	p := b.post(link, url.Values{"name": {"Marianne"}})
	if !strings.HasSuffix(p.URL, "/me") || !strings.Contains(p.Body, "Role: admin") {
		t.Fatalf("after setup: %s %d", p.URL, p.Status)
	}
	for _, p := range []page{s.browser().get(link), s.browser().post(link, url.Values{"name": {"Eve"}})} {
		if p.Status != http.StatusNotFound {
			t.Errorf("used setup link answered %d, want 404", p.Status)
		}
	}
	if strings.Count(s.Log.String(), "/setup/") != 1 {
		t.Error("setup link logged more than once")
	}
}

func TestSigninLinkExpires(t *testing.T) {
	gh := newFakeProvider(t, "github", ada)
	s := newSite(t, withBase(plainBase), withConfig(withGitHub(gh)))
	s.browser().get(s.URL + "/auth/github") // creates @ada
	link := func(who string) string {
		var out bytes.Buffer
		env := func(k string) string {
			return map[string]string{"DOLEANCES_DATA": s.Data, "DOLEANCES_BASE_URL": s.URL, "DOLEANCES_DATABASE_URL": s.databaseURL()}[k]
		}
		if err := Run(context.Background(), []string{"doleances", "signin-link", who}, env, &out); err != nil {
			t.Fatalf("signin-link %s: %v", who, err)
		}
		m := regexp.MustCompile(`http://\S+/signin/\S+`).FindString(out.String())
		if m == "" {
			t.Fatalf("no link in %q", out.String())
		}
		return m
	}
	if err := Run(context.Background(), []string{"doleances", "signin-link", "nobody"}, func(k string) string {
		return map[string]string{"DOLEANCES_DATA": s.Data, "DOLEANCES_DATABASE_URL": s.databaseURL()}[k]
	}, &bytes.Buffer{}); err == nil {
		t.Error("signin-link for an unknown user succeeded")
	}

	b := s.browser()
	l := link("ada@example.org")
	if p := b.get(l); p.Status != 200 || !strings.Contains(p.Body, "Sign in as Ada Lovelace") {
		t.Fatalf("link page: %d", p.Status)
	}
	if p := b.post(l, nil); !strings.HasSuffix(p.URL, "/me") || b.signedInAs() != "ada" {
		t.Fatalf("link did not sign in: %s", p.URL)
	}
	if p := s.browser().post(l, nil); p.Status != http.StatusNotFound {
		t.Errorf("reused link: %d, want 404", p.Status)
	}

	late := link("ada")
	s.clock.add(16 * time.Minute)
	b2 := s.browser()
	if p := b2.post(late, nil); p.Status != http.StatusNotFound || b2.signedInAs() != "" {
		t.Errorf("expired link: %d, want 404 and nobody signed in", p.Status)
	}
}

func TestSessionExpiryAndSliding(t *testing.T) {
	gh := newFakeProvider(t, "github", ada)
	s := newSite(t, withBase(plainBase), withConfig(withGitHub(gh)))
	b := s.browser()
	b.get(s.URL + "/auth/github")
	for i := 0; i < 3; i++ { // 87 days of use, never 30 without a visit
		s.clock.add(29 * 24 * time.Hour)
		if b.signedInAs() != "ada" {
			t.Fatalf("signed out after %d visits 29 days apart: the expiry does not slide", i+1)
		}
	}
	s.clock.add(31 * 24 * time.Hour)
	if who := b.signedInAs(); who != "" {
		t.Errorf("still signed in after 31 idle days")
	}
}

func TestSignOutAndEverywhere(t *testing.T) {
	gh := newFakeProvider(t, "github", ada)
	s := newSite(t, withBase(plainBase), withConfig(withGitHub(gh)))
	a, b, c := s.browser(), s.browser(), s.browser()
	for _, x := range []*browser{a, b, c} {
		x.get(s.URL + "/auth/github")
	}
	old := a.cookie("doleances_session").Value
	a.post(s.URL+"/logout", url.Values{"csrf": {a.csrf()}})
	if a.signedInAs() != "" || b.signedInAs() != "ada" {
		t.Fatal("sign out ended the wrong sessions")
	}
	// The old cookie is dead in the database, not only forgotten by the browser.
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/me", nil)
	req.AddCookie(&http.Cookie{Name: "doleances_session", Value: old})
	if p := s.browser().do(req); strings.Contains(p.Body, "Ada Lovelace") {
		t.Error("a signed-out session token still works")
	}
	b.post(s.URL+"/me/sessions/delete", url.Values{"csrf": {b.csrf()}})
	if b.signedInAs() != "" || c.signedInAs() != "" {
		t.Error("sign out everywhere left a session")
	}
}

func TestCSRF(t *testing.T) {
	gh := newFakeProvider(t, "github", ada)
	s := newSite(t, withBase(plainBase), withConfig(withGitHub(gh)))
	b := s.browser()
	b.get(s.URL + "/auth/github")
	token := b.csrf()

	p := b.post(s.URL+"/me", url.Values{"name": {"Ada & Co"}, "handle": {"ada-co"}})
	if p.Status != http.StatusForbidden || !strings.Contains(p.Body, `value="Ada &amp; Co"`) ||
		!strings.Contains(p.Body, `action="/me"`) || !strings.Contains(p.Body, `name="csrf" value="`+token+`"`) {
		t.Errorf("no token: %d, want 403 with the form given back and a fresh token\n%.3000s", p.Status, p.Body)
	}
	if p := b.post(s.URL+"/me", url.Values{"name": {"Ada"}, "handle": {"ada-co"}, "csrf": {"wrong"}}); p.Status != http.StatusForbidden {
		t.Errorf("wrong token: %d", p.Status)
	}
	if p := b.post(s.URL+"/me", url.Values{"name": {"Ada"}, "handle": {"ada-co"}}, "X-CSRF-Token: "+token); !strings.Contains(p.Body, "@ada-co") {
		t.Errorf("token in the header refused: %d", p.Status)
	}

	long := strings.Repeat("The bank lost my file twice.\n", 10)
	anon := s.browser()
	for _, h := range []string{"Origin: https://evil.example", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Site: same-site"} {
		p := anon.post(s.URL+"/logout", url.Values{"comment": {long}}, h)
		if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "<textarea") || !strings.Contains(p.Body, "The bank lost my file twice.") {
			t.Errorf("%s: %d, want 403 with the text kept in a textarea", h, p.Status)
		}
	}
	for _, h := range []string{"Origin: " + s.URL, "Sec-Fetch-Site: same-origin"} {
		if p := anon.post(s.URL+"/logout", nil, h); p.Status != http.StatusOK {
			t.Errorf("%s: %d, want the same-site post accepted", h, p.Status)
		}
	}
}

func TestProfileUnlinkAndDelete(t *testing.T) {
	gh := newFakeProvider(t, "github", ada)
	oidc := newFakeProvider(t, "oidc", fakeUser{ID: "sub-1", Login: "ada2", Name: "Ada L.", Email: "ada@example.org", Verified: true})
	s := newSite(t, withBase(plainBase), withConfig(all(withGitHub(gh), withOIDC(oidc))))
	b := s.browser()
	b.get(s.URL + "/auth/github")
	s.browser().get(s.URL + "/auth/oidc") // another person, @ada2, by verified email too: not merged
	csrf := b.csrf()

	p := b.post(s.URL+"/me", url.Values{"csrf": {csrf}, "name": {"  "}, "handle": {"ada2"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "That handle is taken") && !strings.Contains(p.Body, "display name") {
		t.Errorf("invalid profile: %d", p.Status)
	}
	p = b.post(s.URL+"/me", url.Values{"csrf": {csrf}, "name": {"Ada"}, "handle": {"Bad Handle!"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `value="Bad Handle!"`) || !strings.Contains(p.Body, `aria-invalid="true"`) {
		t.Errorf("bad handle: %d, want 422 with the text kept and the field marked", p.Status)
	}

	me := b.get(s.URL + "/me")
	id := regexp.MustCompile(`/me/identities/(\d+)/unlink`).FindStringSubmatch(me.Body)
	if id != nil {
		t.Fatal("the only identity offers an unlink button")
	}
	if p := b.post(s.URL+"/me/identities/1/unlink", url.Values{"csrf": {csrf}}); p.Status != http.StatusConflict || !strings.Contains(p.Body, "only way to sign in") {
		t.Errorf("unlink last identity: %d, want 409", p.Status)
	}
	// Linking the OIDC account of the other person is refused.
	if p := b.post(s.URL+"/auth/oidc", url.Values{"csrf": {csrf}}); p.Status != http.StatusConflict {
		t.Errorf("linking someone else's account: %d, want 409", p.Status)
	}

	if p := b.post(s.URL+"/me/delete", url.Values{"csrf": {csrf}, "content": {"keep"}}); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("delete without confirmation: %d, want 422", p.Status)
	}
	if p := b.post(s.URL+"/me/delete", url.Values{"csrf": {csrf}, "content": {"keep"}, "confirm": {"yes"}}); p.Status != 200 || !strings.HasSuffix(p.URL, "/") {
		t.Errorf("delete: %s %d", p.URL, p.Status)
	}
	if b.signedInAs() != "" {
		t.Error("still signed in after deleting the account")
	}
	// Signing in again with the same GitHub account makes a new, empty account.
	b.get(s.URL + "/auth/github")
	if b.signedInAs() != "ada" {
		t.Error("the deleted account's identity was not freed")
	}
}
