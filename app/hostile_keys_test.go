package app

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
)

// Request ids are random: an id shown on an error page tells nothing of
// the ids of other people's requests.
func TestRequestIDsAreRandom(t *testing.T) {
	cs := newSite(t, withComments())
	hex16 := regexp.MustCompile(`^[0-9a-f]{16}$`)
	seen := map[string]bool{}
	for range 20 {
		res, _ := cs.get(nil, "/healthz")
		id := res.Header.Get("X-Request-Id")
		if !hex16.MatchString(id) {
			t.Fatalf("request id %q: want 16 hex digits", id)
		}
		if seen[id[:8]] {
			t.Fatalf("two request ids start with %s: they are not random", id[:8])
		}
		seen[id[:8]] = true
	}
}

// The CSRF token counts only in a form's body (urlencoded or multipart) or
// its header, never in the address, which logs and Referer headers keep.
func TestCSRFTokenNotFromQueryString(t *testing.T) {
	cs := newSite(t, withComments())
	reader := cs.signIn(cs.readers[0])
	noToken := &visitor{cookies: reader.cookies} // sends no token of its own in the body
	inQuery := url.Values{"name": {"Paul par l'adresse"}, "handle": {"paul"}}
	res, body := cs.do(noToken, http.MethodPost, "/me?csrf="+url.QueryEscape(reader.csrf), inQuery)
	wantCode(t, res, body, http.StatusForbidden)
	res, body = cs.do(reader, http.MethodPost, "/me", url.Values{"name": {"Paul par le corps"}, "handle": {"paul"}})
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.do(noToken, http.MethodPost, "/me", url.Values{"name": {"Paul par l'en-tête"}, "handle": {"paul"}},
		"X-CSRF-Token", reader.csrf)
	wantCode(t, res, body, http.StatusSeeOther)

	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	check(t, mw.WriteField("name", "Paul en plusieurs parties"))
	check(t, mw.WriteField("handle", "paul"))
	check(t, mw.WriteField("csrf", reader.csrf))
	check(t, mw.Close())
	req := httptest.NewRequest(http.MethodPost, "/me", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res = cs.send(reader, req)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("a multipart form with its token: %d", res.StatusCode)
	}
}

// Per-address limits count an IPv6 /64 as one client: one machine has all
// of its addresses. Another /64 is another client.
func TestRateLimitsCountIPv6Networks(t *testing.T) {
	cs := newSite(t, withComments(), withConfig(func(c *Config) { c.SearchRate, c.PostRate, c.TrustedProxies = 1, 1, "0.0.0.0/32" }))
	search := func(ip string) int {
		res, _ := cs.do(nil, http.MethodGet, "/search?q=box", nil, "X-Forwarded-For", ip)
		return res.StatusCode
	}
	post := func(ip string) int {
		res, _ := cs.do(guest(), http.MethodPost, "/stories/"+cs.story.Slug+"/comments", url.Values{"body": {"x"}}, "X-Forwarded-For", ip)
		return res.StatusCode
	}
	for _, tt := range []struct {
		name   string
		do     func(string) int
		ip     string
		refuse bool
	}{
		{"search", search, "2001:db8:1:2::a", false},
		{"search", search, "2001:db8:1:2:ffff:1:2:3", true},
		{"search", search, "2001:db8:1:3::a", false},
		{"post", post, "2001:db8:9:9::1", false},
		{"post", post, "2001:db8:9:9:8:7:6:5", true},
		{"post", post, "203.0.113.5", false},
	} {
		got := tt.do(tt.ip)
		if (got == http.StatusTooManyRequests) != tt.refuse {
			t.Errorf("%s from %s: %d, refused want %v", tt.name, tt.ip, got, tt.refuse)
		}
	}
}
