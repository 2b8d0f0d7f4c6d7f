package app

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"doleances/models"
)

// writer is the call style of the pictures tests, which landed with the
// old helpers: one reply per request. It is a visitor of a testSite and
// sends through testSite.send like every other request.
// The pictures tests still call it; moving them to testSite.do would let it go.
type writer struct {
	ts   *testSite
	v    *visitor
	user *models.User
	csrf string
}

// reply is a response with its body read.
type reply struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

// writerAs creates a user with role and signs them in.
func (ts *testSite) writerAs(handle, role string) *writer {
	ts.t.Helper()
	v := ts.signIn(ts.newUser(handle, strings.ToUpper(handle[:1])+handle[1:], role))
	return &writer{ts: ts, v: v, user: v.user, csrf: v.csrf}
}

// anonymous is a visitor without a session.
func (ts *testSite) anonymous() *writer { return &writer{ts: ts, v: guest()} }

func (w *writer) send(t *testing.T, req *http.Request) reply {
	t.Helper()
	res := w.ts.send(w.v, req)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{Status: res.StatusCode, Body: string(b), Location: res.Header.Get("Location"), Header: res.Header}
}

func (w *writer) get(t *testing.T, path string) reply {
	t.Helper()
	return w.send(t, w.ts.newRequest(http.MethodGet, path, nil))
}

// post sends a form with the session's CSRF token.
func (w *writer) post(t *testing.T, path string, form url.Values) reply {
	t.Helper()
	f := url.Values{"csrf": {w.csrf}}
	for k, v := range form {
		f[k] = v
	}
	return w.send(t, w.ts.newRequest(http.MethodPost, path, f))
}

func wantStatus(t *testing.T, what string, r reply, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d\n%.2000s", what, r.Status, status, r.Body)
	}
}
