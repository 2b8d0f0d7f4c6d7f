package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// site is a running server for a test.
type site struct {
	URL   string
	Data  string
	Clock *testClock
	Log   *syncBuffer
}

// startSite runs the real server on 127.0.0.1:0 with cfg changed by edit.
func startSite(t *testing.T, edit func(*Config)) *site {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &site{URL: "http://" + ln.Addr().String(), Data: t.TempDir(), Clock: &testClock{t: time.Now()}, Log: &syncBuffer{}}
	cfg := Config{Addr: ln.Addr().String(), BaseURL: s.URL, Data: s.Data, LogLevel: "debug", now: s.Clock.now}
	if edit != nil {
		edit(&cfg)
	}
	log := slog.New(slog.NewTextHandler(s.Log, nil))
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := New(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		srv.Close()
	})
	return s
}

// browser is a cookie-jar client.
type browser struct {
	t *testing.T
	c *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, c: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
}

// page is a response with its body read.
type page struct {
	Status int
	URL    string // after redirects
	Body   string
	Header http.Header
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{Status: resp.StatusCode, URL: resp.Request.URL.String(), Body: string(body), Header: resp.Header}
}

func (b *browser) get(u string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

// post sends a form; headers are "Name: value" strings.
func (b *browser) post(u string, form url.Values, headers ...string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	return b.do(req)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from the account page.
func (b *browser) csrf(s *site) string {
	b.t.Helper()
	p := b.get(s.URL + "/me")
	m := csrfRe.FindStringSubmatch(p.Body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s (status %d)", p.URL, p.Status)
	}
	return m[1]
}

// signedInAs says whose account /me shows, or "" when /me sends to /login.
func (b *browser) signedInAs(s *site) string {
	b.t.Helper()
	p := b.get(s.URL + "/me")
	if u, _ := url.Parse(p.URL); p.Status != http.StatusOK || u.Path != "/me" {
		return ""
	}
	m := regexp.MustCompile(`<span class="handle">@([a-z0-9-]+)</span>`).FindStringSubmatch(p.Body)
	if m == nil {
		b.t.Fatalf("/me without a handle:\n%s", p.Body)
	}
	return m[1]
}

// cookie returns the jar's cookie of that name for the site.
func (b *browser) cookie(s *site, name string) *http.Cookie {
	u, _ := url.Parse(s.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}
