package app

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"doleances/app/oauth"
)

// withGitHub points the GitHub provider at a fake through github-url.
func withGitHub(f *fakeProvider) func(*Config) {
	return func(c *Config) { c.GitHubKey, c.GitHubSecret, c.GitHubURL = "gh-client", "gh-secret", f.srv.URL }
}

func withOIDC(f *fakeProvider) func(*Config) {
	return func(c *Config) {
		c.OIDCIssuer, c.OIDCKey, c.OIDCSecret, c.OIDCName = f.srv.URL, "oidc-client", "oidc-secret", "Keycloak"
	}
}

func withX(f *fakeProvider) func(*Config) {
	return func(c *Config) {
		c.TwitterKey, c.TwitterSecret = "x-client", "x-secret"
		c.XEndpoints = &oauth.XEndpoints{AuthURL: f.srv.URL + "/authorize", TokenURL: f.srv.URL + "/token", ProfileURL: f.srv.URL + "/2/users/me"}
	}
}

func all(edits ...func(*Config)) func(*Config) {
	return func(c *Config) {
		for _, e := range edits {
			e(c)
		}
	}
}

var ada = fakeUser{ID: "1001", Login: "ada", Name: "Ada Lovelace", Email: "ada@example.org", Verified: true}

func TestSignInEndToEnd(t *testing.T) {
	gh := newFakeProvider(t, "github", ada)
	oidc := newFakeProvider(t, "oidc", fakeUser{ID: "sub-7", Login: "grace", Name: "Grace Hopper", Email: "grace@example.org", Verified: true})
	x := newFakeProvider(t, "x", fakeUser{ID: "x-42", Login: "linus", Name: "Linus T"})
	s := newSite(t, withBase(plainBase), withConfig(all(withGitHub(gh), withOIDC(oidc), withX(x))))

	login := s.browser().get(s.URL + "/login?next=/me")
	for _, want := range []string{`href="/auth/github?next=%2fme"`, `href="/auth/oidc?next=%2fme"`, `href="/auth/twitter?next=%2fme"`, "Continue with Keycloak", "Continue with X"} {
		if !strings.Contains(login.Body, want) {
			t.Errorf("/login lacks %s", want)
		}
	}
	for _, tc := range []struct{ provider, handle, name string }{
		{"github", "ada", "Ada Lovelace"}, {"oidc", "grace", "Grace Hopper"}, {"twitter", "linus", "Linus T"},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			b := s.browser()
			p := b.get(s.URL + "/auth/" + tc.provider + "?next=/me")
			if p.Status != http.StatusOK || !strings.HasSuffix(p.URL, "/me") || !strings.Contains(p.Body, tc.name) {
				t.Fatalf("ended on %s (%d), want a signed-in /me", p.URL, p.Status)
			}
			if got := b.signedInAs(); got != tc.handle {
				t.Errorf("signed in as %q, want %q", got, tc.handle)
			}
			if !strings.Contains(p.Body, `action="/logout"`) || strings.Contains(p.Body, `href="/login">Sign in`) {
				t.Error("the header does not show the signed-in person with a sign-out form")
			}
			// A second sign-in finds the same user instead of creating another.
			b2 := s.browser()
			b2.get(s.URL + "/auth/" + tc.provider)
			if got := b2.signedInAs(); got != tc.handle {
				t.Errorf("second sign-in as %q, want %q", got, tc.handle)
			}
		})
	}
	if !strings.Contains(s.Log.String(), "/setup/") {
		t.Error("a site without admin did not log its setup link")
	}
}

func TestSessionCookieFlags(t *testing.T) {
	gh := newFakeProvider(t, "github", ada)
	s := newSite(t, withBase(plainBase), withConfig(withGitHub(gh)))
	b := s.browser()
	var setCookies []string
	b.c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		setCookies = append(setCookies, req.Response.Header.Values("Set-Cookie")...)
		return nil
	}
	b.get(s.URL + "/auth/github")
	var session string
	for _, c := range setCookies {
		if strings.HasPrefix(c, "doleances_session=") {
			session = c
		}
	}
	if session == "" {
		t.Fatalf("no session cookie among %q", setCookies)
	}
	for _, want := range []string{"HttpOnly", "SameSite=Lax", "path=/", "expires="} {
		if !strings.Contains(session, want) {
			t.Errorf("session cookie %q lacks %s", session, want)
		}
	}
	if strings.Contains(session, "Secure") {
		t.Error("Secure cookie on an http:// site: browsers would drop it")
	}
	// An anonymous page carries nothing personal and sets no cookie.
	anon := s.browser().get(s.URL + "/")
	if anon.Header.Get("Set-Cookie") != "" || strings.Contains(anon.Body, "csrf") {
		t.Error("an anonymous page sets a cookie or carries a token")
	}
}

func TestSignInFailures(t *testing.T) {
	gh := newFakeProvider(t, "github", ada)
	s := newSite(t, withBase(plainBase), withConfig(withGitHub(gh)))
	noRedirect := func(b *browser) {
		b.c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if strings.Contains(req.URL.Path, "/callback") {
				return http.ErrUseLastResponse
			}
			return nil
		}
	}
	// callbackURL runs the flow up to the provider's answer and returns it unvisited.
	callbackURL := func(b *browser) string {
		noRedirect(b)
		p := b.get(s.URL + "/auth/github")
		loc := p.Header.Get("Location")
		if loc == "" {
			t.Fatalf("the provider did not redirect to the callback (status %d)", p.Status)
		}
		b.c.CheckRedirect = nil
		return loc
	}
	cases := []struct {
		name   string
		run    func(b *browser) page
		status int
		says   string
	}{
		{"forged state", func(b *browser) page {
			return b.get(s.URL + "/auth/github/callback?state=forged&code=whatever")
		}, 400, "expired or was already used"},
		{"missing state", func(b *browser) page { return b.get(s.URL + "/auth/github/callback?code=x") }, 400, "did not say which sign-in"},
		{"other browser", func(b *browser) page {
			return s.browser().get(callbackURL(b)) // the attacker's callback in the victim's browser
		}, 400, "another browser"},
		{"reused state and code", func(b *browser) page {
			u := callbackURL(b)
			if first := b.get(u); first.Status != 200 {
				t.Fatalf("first callback: %d", first.Status)
			}
			b.post(s.URL+"/logout", url.Values{"csrf": {b.csrf()}})
			return b.get(u)
		}, 400, "expired or was already used"},
		{"denied consent", func(b *browser) page {
			gh.setDeny(true)
			defer gh.setDeny(false)
			return b.get(s.URL + "/auth/github")
		}, 400, "did not allow"},
		{"provider error", func(b *browser) page {
			u, _ := url.Parse(callbackURL(b))
			q := u.Query()
			q.Del("code")
			q.Set("error", "server_error")
			u.RawQuery = q.Encode()
			return b.get(u.String())
		}, 400, "did not sign you in"},
		{"bad code", func(b *browser) page {
			u, _ := url.Parse(callbackURL(b))
			q := u.Query()
			q.Set("code", "not-a-code")
			u.RawQuery = q.Encode()
			return b.get(u.String())
		}, 400, "could not confirm who you are"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := s.browser()
			p := tc.run(b)
			if p.Status != tc.status || !strings.Contains(p.Body, tc.says) || !strings.Contains(p.Body, `href="/login"`) {
				t.Errorf("status %d, want %d with %q and a link to /login; body:\n%.2000s", p.Status, tc.status, tc.says, p.Body)
			}
			if who := b.signedInAs(); who != "" {
				t.Errorf("signed in as %s after a failed sign-in", who)
			}
		})
	}
}

func TestProviderDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there any more: connection refused
	gh := newFakeProvider(t, "github", ada)
	s := newSite(t, withBase(plainBase), withConfig(all(withGitHub(gh), func(c *Config) {
		c.OIDCIssuer, c.OIDCKey = dead, "k"
	})))
	b := s.browser()
	if p := b.get(s.URL + "/auth/oidc"); p.Status != http.StatusBadGateway || !strings.Contains(p.Body, "cannot be reached") {
		t.Errorf("OIDC discovery down: %d\n%.1500s", p.Status, p.Body)
	}
	// GitHub answers the authorize step, then is gone when the code is exchanged.
	b.c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if strings.Contains(req.URL.Path, "/callback") {
			gh.srv.Close()
		}
		return nil
	}
	p := b.get(s.URL + "/auth/github")
	if p.Status != http.StatusBadGateway || !strings.Contains(p.Body, `href="/login"`) {
		t.Errorf("GitHub down at the token step: %d\n%.1500s", p.Status, p.Body)
	}
	b.c.CheckRedirect = nil
	if who := b.signedInAs(); who != "" {
		t.Errorf("signed in as %s", who)
	}
}

func TestAdminEmails(t *testing.T) {
	gh := newFakeProvider(t, "github", ada)
	s := newSite(t, withBase(plainBase), withConfig(all(withGitHub(gh), func(c *Config) { c.AdminEmails = " Boss@example.org , ada@example.org" })))
	cases := []struct {
		user fakeUser
		role string
	}{
		{fakeUser{ID: "1", Login: "boss", Name: "Boss", Email: "boss@example.org", Verified: true}, "admin"},
		{fakeUser{ID: "2", Login: "mallory", Name: "Mallory", Email: "ada@example.org", Verified: false}, "reader"},
		{fakeUser{ID: "3", Login: "eve", Name: "Eve", Email: "eve@example.org", Verified: true}, "reader"},
	}
	for _, tc := range cases {
		gh.setUser(tc.user)
		b := s.browser()
		p := b.get(s.URL + "/auth/github?next=/me")
		if !strings.Contains(p.Body, "Role: "+tc.role) {
			t.Errorf("%s (verified %v): want role %s on /me", tc.user.Email, tc.user.Verified, tc.role)
		}
		if !tc.user.Verified && strings.Contains(p.Body, "Role: reader · "+tc.user.Email) {
			t.Errorf("unverified email %s kept on the account", tc.user.Email)
		}
	}
}

func TestOpenRedirect(t *testing.T) {
	gh := newFakeProvider(t, "github", ada)
	s := newSite(t, withBase(plainBase), withConfig(withGitHub(gh)))
	for _, next := range []string{"https://evil.example", "//evil.example", `/\evil.example`, "evil.example", "/\r\nSet-Cookie:x", "javascript:alert(1)", "/\t/evil.example"} {
		b := s.browser()
		login := b.get(s.URL + "/login?next=" + url.QueryEscape(next))
		if strings.Contains(login.Body, "evil") || strings.Contains(login.Body, "javascript") {
			t.Errorf("next=%q kept on /login", next)
		}
		p := b.get(s.URL + "/auth/github?next=" + url.QueryEscape(next))
		if u, _ := url.Parse(p.URL); u.Host != strings.TrimPrefix(s.URL, "http://") || u.Path != "/" {
			t.Errorf("next=%q ended on %s, want the front page", next, p.URL)
		}
	}
	b := s.browser()
	if p := b.get(s.URL + "/auth/github?next=" + url.QueryEscape("/me?x=1")); !strings.HasSuffix(p.URL, "/me?x=1") {
		t.Errorf("a same-site next was not followed: %s", p.URL)
	}
}
