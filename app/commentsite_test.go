package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"doleances/handlers"
	"doleances/models"
)

// commentSite is a site with two published stories, an author, an admin and
// two readers, served through the real route table on a clock the test moves.
type commentSite struct {
	t       *testing.T
	store   *models.Store
	web     *web
	clock   *testClock
	story   *models.Story // by author
	other   *models.Story // by admin
	author  *models.User
	admin   *models.User
	readers []*models.User
	dbPath  string // the SQLite file, for counting rows
}

// visitor is a browser as the tests play it: its cookies, and a CSRF token
// when signed in.
type visitor struct {
	cookies map[string]string
	csrf    string
}

// commentStart is the tests' clock start: a round ten seconds, so that the
// form stamp of a page rendered then is exactly then.
var commentStart = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newCommentSite(t *testing.T, edit ...func(*Config)) *commentSite {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: commentStart}
	dbPath := filepath.Join(t.TempDir(), "t.db")
	store, err := models.Open(dbPath, models.Options{Now: clock.now})
	check(t, err)
	t.Cleanup(func() { store.Close() })
	cs := &commentSite{t: t, store: store, clock: clock, dbPath: dbPath}
	mk := func(handle, name, role string) *models.User {
		u := &models.User{Handle: handle, Name: name, Role: role}
		check(t, store.CreateUser(ctx, u))
		return u
	}
	cs.author, cs.admin = mk("margot", "Margot Lefèvre", models.RoleAuthor), mk("root", "Admin", models.RoleAdmin)
	cs.readers = []*models.User{mk("paul", "Paul Martin", models.RoleReader), mk("ines", "Inès Haddad", models.RoleReader)}
	cat := &models.Category{Name: "Telecom"}
	check(t, store.CreateCategory(ctx, cat))
	at := commentStart.Add(-48 * time.Hour)
	story := func(title string, author *models.User) *models.Story {
		st, err := store.CreateStory(ctx, models.StoryInput{Title: title, Body: "Il était une fois une box.", AuthorID: author.ID,
			CategoryIDs: []uint{cat.ID}, Status: models.StatusPublished, PublishedAt: &at})
		check(t, err)
		return st
	}
	cs.story, cs.other = story("Résilier chez Orange", cs.author), story("Un vélo en panne", cs.admin)
	cfg := Config{Addr: "127.0.0.1:0", BaseURL: testBase, Data: t.TempDir(), PostRate: 10000, HoldWords: "casino, viagra"}
	for _, e := range edit {
		e(&cfg)
	}
	w, err := newWeb(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)),
		func(d *handlers.Deps) { d.Now = clock.now })
	check(t, err)
	cs.web = w
	return cs
}

// signIn opens a session for u.
func (cs *commentSite) signIn(u *models.User) *visitor {
	cs.t.Helper()
	ctx := context.Background()
	token, err := cs.store.CreateSession(ctx, u.ID, time.Hour)
	check(cs.t, err)
	sess, err := cs.store.SessionByToken(ctx, token, time.Hour)
	check(cs.t, err)
	return &visitor{cookies: map[string]string{"doleances_session": token}, csrf: sess.CSRF}
}

func guest() *visitor { return &visitor{cookies: map[string]string{}} }

// do sends a request as v (nil: a visitor without cookies); form is sent
// as the body of a POST, with v's CSRF token.
func (cs *commentSite) do(v *visitor, method, path string, form url.Values, headers ...string) (*http.Response, string) {
	cs.t.Helper()
	var body io.Reader
	if form != nil {
		if v != nil && v.csrf != "" && form.Get("csrf") == "" {
			form.Set("csrf", v.csrf)
		}
		body = strings.NewReader(form.Encode())
	}
	ctype := "application/x-www-form-urlencoded"
	if form.Has(uploadField) {
		body, ctype = multipartForm(cs.t, form)
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", ctype)
	}
	return cs.send(v, req, headers...)
}

// doFile posts form as multipart with a file in field, as the picture forms are sent.
func (cs *commentSite) doFile(v *visitor, path string, form url.Values, field string, data []byte, headers ...string) (*http.Response, string) {
	cs.t.Helper()
	if v != nil && v.csrf != "" && form.Get("csrf") == "" {
		form.Set("csrf", v.csrf)
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, val := range vs {
			_ = mw.WriteField(k, val)
		}
	}
	fw, _ := mw.CreateFormFile(field, "picture.png")
	_, _ = fw.Write(data)
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return cs.send(v, req, headers...)
}

// send sends req as visitor v (with its cookies, keeping those it is given).
func (cs *commentSite) send(v *visitor, req *http.Request, headers ...string) (*http.Response, string) {
	cs.t.Helper()
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if v != nil {
		for k, val := range v.cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: val})
		}
	}
	res, err := cs.web.app.Test(req, -1)
	if err != nil {
		cs.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if v != nil {
		for _, c := range res.Cookies() {
			if c.MaxAge < 0 {
				delete(v.cookies, c.Name)
			} else {
				v.cookies[c.Name] = c.Value
			}
		}
	}
	return res, string(b)
}

func (cs *commentSite) get(v *visitor, path string) (*http.Response, string) {
	cs.t.Helper()
	return cs.do(v, http.MethodGet, path, nil)
}

var stampRe = regexp.MustCompile(`name="stamp" value="([^"]+)"`)

// form reads the stamp of the comment form of a story page as v sees it,
// then lets time pass as a person would.
func (cs *commentSite) form(v *visitor, st *models.Story) url.Values {
	cs.t.Helper()
	_, body := cs.get(v, "/stories/"+st.Slug)
	m := stampRe.FindStringSubmatch(body)
	if m == nil {
		cs.t.Fatalf("no comment form stamp on %s", st.Slug)
	}
	// A person takes a while: past the stamp's step and the minimum time.
	cs.clock.add(13 * time.Second)
	return url.Values{"stamp": {m[1]}}
}

// comment posts body on st as v, with extra fields as pairs, and returns
// the response; the clock moves past the flood interval first.
func (cs *commentSite) comment(v *visitor, st *models.Story, body string, fields ...string) (*http.Response, string) {
	cs.t.Helper()
	cs.clock.add(models.FloodInterval)
	f := cs.form(v, st)
	f.Set("body", body)
	for i := 0; i+1 < len(fields); i += 2 {
		f.Set(fields[i], fields[i+1])
	}
	return cs.do(v, http.MethodPost, "/stories/"+st.Slug+"/comments", f)
}

// lastComment is the newest comment in the database.
func (cs *commentSite) lastComment() models.Comment {
	cs.t.Helper()
	q, err := cs.store.ModerationQueue(context.Background(), cs.admin.ID, models.CommentApproved, 1)
	check(cs.t, err)
	p, err := cs.store.ModerationQueue(context.Background(), cs.admin.ID, models.CommentPending, 1)
	check(cs.t, err)
	all := append(q.Comments, p.Comments...)
	if len(all) == 0 {
		cs.t.Fatal("no comment")
	}
	last := all[0]
	for _, c := range all {
		if c.ID > last.ID {
			last = c
		}
	}
	return last
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

// uploadField is the form key whose value do sends as an uploaded file
// (named upload.xml), in a multipart form.
const uploadField = "file"

// multipartForm encodes form as multipart/form-data, its uploadField as a file.
func multipartForm(t testing.TB, form url.Values) (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			var err error
			if k == uploadField {
				var w io.Writer
				if w, err = mw.CreateFormFile(k, "upload.xml"); err == nil {
					_, err = io.WriteString(w, v)
				}
			} else {
				err = mw.WriteField(k, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}
