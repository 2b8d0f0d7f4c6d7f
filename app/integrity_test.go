package app

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// A category deleted while the editor was open, or any category id that is
// not one (zero, negative, too large, not a number, unknown), gives the
// editor back with a message and the text, for a draft and for Publish.
func TestStoryWithUnknownCategoryKeepsTheText(t *testing.T) {
	ts := newSite(t)
	ctx := context.Background()
	cat := &models.Category{Name: "Banks"}
	check(t, ts.store.CreateCategory(ctx, cat))
	w := ts.signIn(ts.newUser("alice", "Alice", models.RoleAuthor))
	if r, _ := ts.get(w, "/write"); r.StatusCode != http.StatusOK {
		t.Fatalf("GET /write: %d", r.StatusCode)
	}
	check(t, ts.store.DeleteCategory(ctx, cat.ID))
	body := "Two hours on the phone with the bank, and the text must survive."
	for _, id := range []string{"1", "0", "-1", "99999999999999999999", "4294967296", "abc", "77"} {
		for _, action := range []string{"publish", "draft"} {
			f := storyForm("Deleted category", body, action)
			f.Add("categories", id)
			r, page := ts.do(w, http.MethodPost, "/write", f)
			wantCode(t, r, page, http.StatusUnprocessableEntity)
			wantIn(t, "category "+id, html.UnescapeString(page), body, "Pick categories from the list.")
		}
	}
	if r, page := ts.get(w, "/me/stories"); r.StatusCode != http.StatusOK || strings.Contains(page, "Deleted category") {
		t.Errorf("a refused story was saved (/me/stories: %d)", r.StatusCode)
	}
}

// While another process holds SQLite's write lock past the busy timeout,
// every form answers 503 with Retry-After and gives back what was typed.
func TestBusyDatabaseGivesTheFormBack(t *testing.T) {
	onPostgres(t, "another process holding SQLite's write lock")
	// A short busy timeout: a lock held by another connection answers in
	// milliseconds instead of 10 seconds.
	ts := newSite(t, withStore(func(o *models.Options) { o.BusyTimeout = 50 * time.Millisecond }))
	path := ts.dbPath
	ctx := context.Background()
	w := ts.signIn(ts.newUser("alice", "Alice", models.RoleAuthor))
	st, err := ts.store.CreateStory(ctx, models.StoryInput{Title: "Open story", Body: "Text.", AuthorID: w.user.ID, Status: models.StatusPublished})
	check(t, err)
	cm, err := ts.store.AddComment(ctx, models.CommentInput{StoryID: st.ID, UserID: &w.user.ID, AuthorName: "Alice",
		Body: "First words.", Status: models.CommentApproved})
	check(t, err)
	db, err := sql.Open("sqlite3", "file:"+path)
	check(t, err)
	defer db.Close()
	conn, err := db.Conn(ctx)
	check(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(ctx, "BEGIN IMMEDIATE") // what a sqlite3 shell or a long backup holds
	check(t, err)
	typed := "Typed while the database was locked, and not lost."
	for path, f := range map[string]url.Values{
		"/write":                                storyForm("Locked story", typed, "publish"),
		"/stories/" + st.Slug + "/edit":         storyForm("Open story", typed, "publish"),
		"/stories/" + st.Slug + "/updates":      {"body": {typed}},
		fmt.Sprintf("/comments/%d/edit", cm.ID): {"body": {typed}},
		"/me":                                   {"name": {typed}, "handle": {"alice"}},
	} {
		r, page := ts.do(w, http.MethodPost, path, f)
		if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
			t.Errorf("POST %s under a held lock: %d, Retry-After %q", path, r.StatusCode, r.Header.Get("Retry-After"))
		}
		wantIn(t, path, html.UnescapeString(page), typed, "busy")
	}
	_, err = conn.ExecContext(ctx, "ROLLBACK")
	check(t, err)
	r, page := ts.do(w, http.MethodPost, "/stories/"+st.Slug+"/updates", url.Values{"body": {typed}})
	wantCode(t, r, page, http.StatusSeeOther)
}

// A request whose time ran out (handlers.RequestTimeout: the database or
// the CPU could not keep up, as 64 uncached searches did on a loaded
// PostgreSQL) is a busy site, not a failure: 503 with Retry-After and a
// page that says so, in the visitor's language, never the 500 page; a form
// comes back with what was typed.
func TestRequestOutOfTimeIsBusy(t *testing.T) {
	// No time for any request's work; the test's own set-up goes to the store.
	slow := newSite(t, withConfig(func(c *Config) { c.timeouts.request = time.Nanosecond }))
	w := slow.signIn(slow.newUser("alice", "Alice", models.RoleReader))
	st, err := slow.store.CreateStory(context.Background(), models.StoryInput{Title: "Open story", Body: "Text.",
		AuthorID: slow.newUser("bob", "Bob", models.RoleAuthor).ID, Status: models.StatusPublished})
	check(t, err)
	typed := "Typed while the site was overloaded, and not lost."
	for _, tc := range []struct {
		method, path, lang string
		form               url.Values
		want               []string
	}{
		{http.MethodGet, "/search?q=refund", "en", nil, []string{"The site is busy", "it has more requests than it can serve just now"}},
		{http.MethodGet, "/stories/" + st.Slug, "fr", nil, []string{"Le site est occupé", "il reçoit plus de demandes"}},
		{http.MethodPost, "/stories/" + st.Slug + "/comments", "en", url.Values{"body": {typed}}, []string{typed}},
	} {
		r, page := slow.do(w, tc.method, tc.path, tc.form, "Accept-Language", tc.lang)
		what := tc.method + " " + tc.path + " " + tc.lang
		if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "5" {
			t.Errorf("%s: %d, Retry-After %q; want 503 and 5", what, r.StatusCode, r.Header.Get("Retry-After"))
		}
		wantIn(t, what, html.UnescapeString(page), tc.want...)
		if strings.Contains(page, "Something went wrong on our side") {
			t.Errorf("%s: the 500 page", what)
		}
	}
}

// A story that shows nothing cannot be published, nor a published story
// edited into one; its draft may be a title alone. The text stays in the form.
func TestEmptyStoryIsNotPublished(t *testing.T) {
	ts := newSite(t)
	w := ts.signIn(ts.newUser("alice", "Alice", models.RoleAuthor))
	for name, body := range map[string]string{
		"title alone": "", "spaces": " \n\t\n ", "zero-width": "\u200b\u200d\u2060\ufeff",
		"a rule": "---", "an empty list": "-\n-\n", "raw html": "<div></div>", "an empty heading": "#", "filler": "\u3164 \u2800",
	} {
		title := "Empty " + name
		r, page := ts.do(w, http.MethodPost, "/write", storyForm(title, body, "publish"))
		wantCode(t, r, page, http.StatusUnprocessableEntity)
		wantIn(t, "publish "+name, html.UnescapeString(page), title, "A story needs some text", "Saved as a draft, not published")
		if strings.Contains(page, `action="/write"`) {
			t.Errorf("publish %s: the form posts to /write again, which would save a second draft", name)
		}
	}
	// Direction controls are refused by the long-text rule before anything
	// is saved: the form comes back to /write with the text and why.
	r0, page0 := ts.do(w, http.MethodPost, "/write", storyForm("Empty bidi", "\u202e\u2066", "publish"))
	wantCode(t, r0, page0, http.StatusUnprocessableEntity)
	wantIn(t, "publish bidi", html.UnescapeString(page0), "Empty bidi", "invisible control characters")
	if _, page := ts.get(nil, "/"); strings.Contains(page, "Empty title alone") {
		t.Error("an empty story is on the front page")
	}
	if r, _ := ts.do(w, http.MethodPost, "/write", storyForm("Just a title", "", "draft")); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a draft of a title alone: %d", r.StatusCode)
	}
	st, err := ts.store.CreateStory(context.Background(), models.StoryInput{Title: "Live", Body: "Some text.",
		AuthorID: w.user.ID, Status: models.StatusPublished})
	check(t, err)
	r, page := ts.do(w, http.MethodPost, "/stories/"+st.Slug+"/edit", storyForm("Live", "\u200b", "draft"))
	wantCode(t, r, page, http.StatusUnprocessableEntity)
	wantIn(t, "edit", page, "A story needs some text")
}
