package app

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// writer is a signed-in person talking to the real route table through
// app.Test, with the session cookie and the session's CSRF token.
type writer struct {
	ts     *testSite
	user   *models.User
	cookie string
	csrf   string
}

// signIn creates a user with role and a session for them.
func (ts *testSite) signIn(t *testing.T, handle, role string) *writer {
	t.Helper()
	ctx := context.Background()
	u := &models.User{Name: strings.ToUpper(handle[:1]) + handle[1:], Handle: handle, Role: role}
	if err := ts.store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	token, err := ts.store.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := ts.store.SessionByToken(ctx, token, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return &writer{ts: ts, user: u, cookie: "doleances_session=" + token, csrf: sess.CSRF}
}

// reply is a response with its body read.
type reply struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

func (w *writer) send(t *testing.T, req *http.Request) reply {
	t.Helper()
	if w.cookie != "" {
		req.Header.Set("Cookie", w.cookie)
	}
	resp, err := w.app().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{Status: resp.StatusCode, Body: string(b), Location: resp.Header.Get("Location"), Header: resp.Header}
}

func (w *writer) app() interface {
	Test(*http.Request, ...int) (*http.Response, error)
} {
	return w.ts.srv.web.app
}

func (w *writer) get(t *testing.T, path string) reply {
	t.Helper()
	return w.send(t, httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends a form with the session's CSRF token.
func (w *writer) post(t *testing.T, path string, form url.Values) reply {
	t.Helper()
	f := url.Values{"csrf": {w.csrf}}
	for k, v := range form {
		f[k] = v
	}
	return w.postRaw(t, path, f)
}

// postRaw sends a form as it is, without adding a token.
func (w *writer) postRaw(t *testing.T, path string, form url.Values) reply {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return w.send(t, req)
}

// anonymous is a visitor without a session on the same site.
func (ts *testSite) anonymous() *writer {
	return &writer{ts: ts}
}

func wantStatus(t *testing.T, what string, r reply, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d\n%.2000s", what, r.Status, status, r.Body)
	}
}

func wantIn(t *testing.T, what, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("%s lacks %q", what, p)
		}
	}
}
