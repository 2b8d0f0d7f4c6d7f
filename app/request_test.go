package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// The one family of request helpers: s.send is the only place a request
// reaches a test site; s.do and s.get send one request as a visitor, and a
// browser follows redirects (through fake sign-in providers too) with the
// same visitor's cookies.

// visitor is a person's browser as the tests play it: its cookies, and a
// CSRF token when signed in.
type visitor struct {
	cookies map[string]string
	csrf    string
	user    *models.User // nil for a guest
}

func guest() *visitor { return &visitor{cookies: map[string]string{}} }

// noToken is v's browser on a page without a CSRF token: its cookies, no token.
func noToken(v *visitor) *visitor { return &visitor{cookies: v.cookies, user: v.user} }

// signIn opens a session of an hour for u.
func (s *testSite) signIn(u *models.User) *visitor {
	s.t.Helper()
	return s.signInFor(u, time.Hour)
}

// signInFor opens a session of length ttl for u.
func (s *testSite) signInFor(u *models.User, ttl time.Duration) *visitor {
	s.t.Helper()
	ctx := context.Background()
	token, err := s.store.CreateSession(ctx, u.ID, ttl)
	check(s.t, err)
	sess, err := s.store.SessionByToken(ctx, token, ttl)
	check(s.t, err)
	return &visitor{cookies: map[string]string{"doleances_session": token}, csrf: sess.CSRF, user: u}
}

// roundTrip sends req as v (nil: a visitor without cookies) and keeps the
// cookies the site sets; the body is left to the caller. It fails no test,
// so that goroutines may use it.
func (s *testSite) roundTrip(v *visitor, req *http.Request) (*http.Response, error) {
	if v != nil {
		for k, val := range v.cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: val})
		}
	}
	var res *http.Response
	var err error
	if s.queries == nil { // listening: over the network
		res, err = http.DefaultTransport.RoundTrip(req)
	} else {
		res, err = s.web.app.Test(req, -1)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL, err)
	}
	res.Request = req
	if v != nil {
		for _, c := range res.Cookies() {
			if c.MaxAge < 0 || c.Value == "" {
				delete(v.cookies, c.Name)
			} else {
				v.cookies[c.Name] = c.Value
			}
		}
	}
	return res, nil
}

// send is roundTrip in the test's goroutine: an error fails the test.
func (s *testSite) send(v *visitor, req *http.Request) *http.Response {
	s.t.Helper()
	res, err := s.roundTrip(v, req)
	if err != nil {
		s.t.Fatal(err)
	}
	return res
}

// newRequest is a request to path on the site with headers as pairs; a
// form is its body, as a browser sends it: multipart when it has an
// uploadField.
func (s *testSite) newRequest(method, path string, form url.Values, headers ...string) *http.Request {
	var body io.Reader
	ctype := "application/x-www-form-urlencoded"
	if form.Has(uploadField) {
		body, ctype = multipartForm(s.t, form, uploadField, "upload.xml", nil)
	} else if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if s.queries == nil {
		req, _ = http.NewRequest(method, s.URL+path, body)
	}
	if form != nil {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req
}

// do sends a request as v (nil: a visitor without cookies) with headers as
// pairs; form is sent as the body of a POST, with v's CSRF token.
func (s *testSite) do(v *visitor, method, path string, form url.Values, headers ...string) (*http.Response, string) {
	s.t.Helper()
	if form != nil && v != nil && v.csrf != "" && form.Get("csrf") == "" {
		form.Set("csrf", v.csrf)
	}
	res := s.send(v, s.newRequest(method, path, form, headers...))
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	return res, string(b)
}

// doFile posts form as multipart with data as a file in field, as the
// picture forms are sent, with v's CSRF token.
func (s *testSite) doFile(v *visitor, path string, form url.Values, field string, data []byte, headers ...string) (*http.Response, string) {
	s.t.Helper()
	if v != nil && v.csrf != "" && form.Get("csrf") == "" {
		form.Set("csrf", v.csrf)
	}
	body, ctype := multipartForm(s.t, form, field, "picture.png", data)
	req := s.newRequest(http.MethodPost, path, nil, append([]string{"Content-Type", ctype}, headers...)...)
	req.Body, req.ContentLength = io.NopCloser(body), int64(body.Len())
	res := s.send(v, req)
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	check(s.t, err)
	return res, string(b)
}

// uploadField is the form key whose value do sends as an uploaded file
// (named upload.xml), in a multipart form.
const uploadField = "file"

// multipartForm encodes form as multipart/form-data, with field as a file
// named name holding data (or, when data is nil, form's value of field).
func multipartForm(t testing.TB, form url.Values, field, name string, data []byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		if k == field && data == nil {
			data = []byte(strings.Join(vs, ""))
			continue
		}
		for _, v := range vs {
			check(t, mw.WriteField(k, v))
		}
	}
	if data != nil {
		w, err := mw.CreateFormFile(field, name)
		check(t, err)
		_, err = w.Write(data)
		check(t, err)
	}
	check(t, mw.Close())
	return &buf, mw.FormDataContentType()
}

// get fetches path as v, with headers as pairs.
func (s *testSite) get(v *visitor, path string, headers ...string) (*http.Response, string) {
	s.t.Helper()
	return s.do(v, http.MethodGet, path, nil, headers...)
}

// wantIn fails the test for each part body lacks.
func wantIn(t *testing.T, what, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("%s lacks %q", what, p)
		}
	}
}

// wantCode fails the test unless res has status want, showing the page.
func wantCode(t *testing.T, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		if i := strings.Index(body, `<main`); i >= 0 {
			body = body[i:]
		}
		t.Fatalf("status %d, want %d\n%.3000s", res.StatusCode, want, body)
	}
}

var stampRe = regexp.MustCompile(`name="stamp" value="([^"]+)"`)

// form reads the stamp of the comment form of a story page as v sees it,
// then lets time pass as a person would.
func (s *testSite) form(v *visitor, st *models.Story) url.Values {
	s.t.Helper()
	_, body := s.get(v, "/stories/"+st.Slug)
	m := stampRe.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatalf("no comment form stamp on %s", st.Slug)
	}
	// A person takes a while: past the stamp's step and the minimum time.
	s.clock.add(13 * time.Second)
	return url.Values{"stamp": {m[1]}}
}

// comment posts body on st as v, with extra fields as pairs, and returns
// the response; the clock moves past the flood interval first.
func (s *testSite) comment(v *visitor, st *models.Story, body string, fields ...string) (*http.Response, string) {
	s.t.Helper()
	s.clock.add(models.FloodInterval)
	f := s.form(v, st)
	f.Set("body", body)
	for i := 0; i+1 < len(fields); i += 2 {
		f.Set(fields[i], fields[i+1])
	}
	return s.do(v, http.MethodPost, "/stories/"+st.Slug+"/comments", f)
}

// lastComment is the newest comment in the database.
func (s *testSite) lastComment() models.Comment {
	s.t.Helper()
	q, err := s.store.ModerationQueue(context.Background(), s.admin.ID, models.CommentApproved, 1)
	check(s.t, err)
	p, err := s.store.ModerationQueue(context.Background(), s.admin.ID, models.CommentPending, 1)
	check(s.t, err)
	all := append(q.Comments, p.Comments...)
	if len(all) == 0 {
		s.t.Fatal("no comment")
	}
	last := all[0]
	for _, c := range all {
		if c.ID > last.ID {
			last = c
		}
	}
	return last
}

// browser is a visitor that follows redirects, as a person's browser does
// through a sign-in: requests to the site go through s.send, those to a fake
// provider over the network.
type browser struct {
	s *testSite
	v *visitor
	c *http.Client
}

// browser starts a new browser without cookies.
func (s *testSite) browser() *browser {
	b := &browser{s: s, v: guest()}
	b.c = &http.Client{Transport: b, Timeout: 20 * time.Second}
	return b
}

// RoundTrip sends a request of b's client.
func (b *browser) RoundTrip(req *http.Request) (*http.Response, error) {
	if u, _ := url.Parse(b.s.URL); req.URL.Host != u.Host {
		return http.DefaultTransport.RoundTrip(req)
	}
	return b.s.roundTrip(b.v, req)
}

// page is a response with its body read.
type page struct {
	Status int
	URL    string // after redirects
	Body   string
	Header http.Header
}

func (b *browser) do(req *http.Request) page {
	b.s.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.s.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{Status: resp.StatusCode, URL: resp.Request.URL.String(), Body: string(body), Header: resp.Header}
}

func (b *browser) get(u string) page {
	b.s.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

// post sends a form; headers are "Name: value" strings.
func (b *browser) post(u string, form url.Values, headers ...string) page {
	b.s.t.Helper()
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
func (b *browser) csrf() string {
	b.s.t.Helper()
	p := b.get(b.s.URL + "/me")
	m := csrfRe.FindStringSubmatch(p.Body)
	if m == nil {
		b.s.t.Fatalf("no CSRF token on %s (status %d)", p.URL, p.Status)
	}
	return m[1]
}

// signedInAs says whose account /me shows, or "" when /me sends to /login.
func (b *browser) signedInAs() string {
	b.s.t.Helper()
	p := b.get(b.s.URL + "/me")
	if u, _ := url.Parse(p.URL); p.Status != http.StatusOK || u.Path != "/me" {
		return ""
	}
	m := regexp.MustCompile(`<span class="handle">@([a-z0-9-]+)</span>`).FindStringSubmatch(p.Body)
	if m == nil {
		b.s.t.Fatalf("/me without a handle:\n%s", p.Body)
	}
	return m[1]
}

// cookie returns the browser's cookie of that name, or nil.
func (b *browser) cookie(name string) *http.Cookie {
	if v, ok := b.v.cookies[name]; ok {
		return &http.Cookie{Name: name, Value: v}
	}
	return nil
}
