package app

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"doleances/models"
)

var editLinkRe = regexp.MustCompile(`^/stories/([a-z0-9-]+)/edit\?saved=(\w+)$`)

// storyForm is a filled-in editor.
func storyForm(title, body, action string) url.Values {
	return url.Values{"title": {title}, "body": {body}, "tags": {"Refund, fibre, refund"},
		"company": {" ORANGE "}, "city": {"Lyon"}, "resolution": {"open"}, "action": {action}}
}

// TestWriteEditUpdateUnpublishDelete walks a story's whole life through the
// real routes: write, preview, save a draft, publish, retitle (the old
// address answers 301), append an update, unpublish, delete.
func TestWriteEditUpdateUnpublishDelete(t *testing.T) {
	ts := newTestSite(t, false)
	ctx := context.Background()
	cat := &models.Category{Name: "Telecom"}
	if err := ts.store.CreateCategory(ctx, cat); err != nil {
		t.Fatal(err)
	}
	orange, err := ts.store.FindOrCreateCompany(ctx, "Orange SA")
	if err != nil {
		t.Fatal(err)
	}
	w := ts.signIn(t, "alice", models.RoleAuthor)

	r := w.get(t, "/write")
	wantStatus(t, "GET /write", r, http.StatusOK)
	wantIn(t, "/write", r.Body, `name="title"`, `<textarea id="body" name="body"`, "Telecom",
		`<datalist id="companies">`, `>Publish</button>`, `name="csrf" value="`+w.csrf+`"`, "/static/editor.")

	f := storyForm("Fibre, at last", "The *technician* came.\n\n<script>alert(1)</script>", "preview")
	f.Add("categories", "1")
	r = w.post(t, "/write", f)
	wantStatus(t, "preview", r, http.StatusOK)
	wantIn(t, "preview", r.Body, "<em>technician</em>", "Fibre, at last", "The *technician* came.", `value="1" checked`)
	if strings.Contains(r.Body, "<script>alert(1)") {
		t.Error("the preview lets raw HTML through")
	}

	f.Set("action", "draft")
	r = w.post(t, "/write", f)
	wantStatus(t, "save draft", r, http.StatusSeeOther)
	m := editLinkRe.FindStringSubmatch(r.Location)
	if m == nil || m[2] != "draft" || !strings.HasPrefix(m[1], "draft-") {
		t.Fatalf("save draft went to %q", r.Location)
	}
	draftSlug := m[1]
	if s, _, _ := ts.get(t, "/stories/"+draftSlug); s != http.StatusNotFound {
		t.Errorf("a draft is public: %d", s)
	}
	r = w.get(t, r.Location)
	wantIn(t, "the draft's editor", r.Body, "Your draft is saved.", `value="Fibre, at last"`, "refund, fibre", `value="Orange SA"`, `value="1" checked`,
		`<option value="Orange SA">`) // the writer's own draft's company is suggested to them

	// Publish from the editor: an author skips review.
	f.Set("action", "publish")
	r = w.post(t, "/stories/"+draftSlug+"/edit", f)
	wantStatus(t, "publish", r, http.StatusSeeOther)
	if r.Location != "/stories/fibre-at-last" {
		t.Fatalf("publish went to %q", r.Location)
	}
	st, body, _ := ts.get(t, "/stories/fibre-at-last")
	if st != http.StatusOK || !strings.Contains(body, "<em>technician</em>") || strings.Contains(body, "Edit this story") {
		t.Fatalf("published story: %d, edit link or body wrong", st)
	}
	co, err := ts.store.CompanyBySlug(ctx, orange.Slug)
	if err != nil || co.ID != orange.ID {
		t.Fatalf("“ ORANGE ” did not land on Orange SA: %v", err)
	}
	if r := w.get(t, "/stories/fibre-at-last"); !strings.Contains(r.Body, `href="/stories/fibre-at-last/edit"`) {
		t.Error("the author's story page has no Edit link")
	}

	// Retitle: the old address answers 301.
	f.Set("title", "Fibre, finally")
	f.Set("action", "save")
	r = w.post(t, "/stories/fibre-at-last/edit", f)
	wantStatus(t, "retitle", r, http.StatusSeeOther)
	if r.Location != "/stories/fibre-finally" {
		t.Fatalf("retitle went to %q", r.Location)
	}
	resp, err := ts.srv.web.app.Test(newGet("/stories/fibre-at-last"), -1)
	if err != nil || resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/stories/fibre-finally" {
		t.Fatalf("old slug: %v %v", resp.StatusCode, resp.Header.Get("Location"))
	}
	r = w.get(t, "/stories/fibre-finally/history")
	wantStatus(t, "history", r, http.StatusOK)
	wantIn(t, "history", r.Body, "“Fibre, at last”", "Alice")

	// An update, with a new resolution.
	r = w.post(t, "/stories/fibre-finally/updates", url.Values{"body": {"Refund **received**."}, "resolution": {"resolved"}})
	wantStatus(t, "update", r, http.StatusSeeOther)
	_, body, _ = ts.get(t, "/stories/fibre-finally")
	wantIn(t, "story with its update", body, "Update, <time", "Refund <strong>received</strong>.", "badge resolution resolved")
	if _, front, _ := ts.get(t, "/"); !strings.Contains(front, `class="card is-resolved"`) {
		t.Error("the front page does not mark the resolved story")
	}
	r = w.post(t, "/stories/fibre-finally/updates", url.Values{"body": {"   "}})
	wantStatus(t, "empty update", r, http.StatusUnprocessableEntity)
	wantIn(t, "empty update", r.Body, "The update is empty.")

	// Unpublish: gone from the site, still in my stories.
	r = w.post(t, "/stories/fibre-finally/unpublish", nil)
	wantStatus(t, "unpublish", r, http.StatusSeeOther)
	if s, _, _ := ts.get(t, "/stories/fibre-finally"); s != http.StatusNotFound {
		t.Errorf("unpublished story answers %d", s)
	}
	r = w.get(t, "/me/stories")
	wantIn(t, "my stories", r.Body, "Fibre, finally", "status-draft")

	// Delete asks for confirmation first.
	wantStatus(t, "delete page", w.get(t, "/stories/fibre-finally/delete"), http.StatusOK)
	wantStatus(t, "delete unconfirmed", w.post(t, "/stories/fibre-finally/delete", nil), http.StatusUnprocessableEntity)
	r = w.post(t, "/stories/fibre-finally/delete", url.Values{"confirm": {"yes"}})
	wantStatus(t, "delete", r, http.StatusSeeOther)
	if r := w.get(t, "/stories/fibre-finally/edit"); r.Status != http.StatusNotFound {
		t.Errorf("deleted story's editor answers %d", r.Status)
	}
	if r := w.get(t, "/me/stories"); strings.Contains(r.Body, "Fibre, finally") {
		t.Error("a deleted story is still listed")
	}
}

// TestOthersCannotSeeOrTouchADraft: every way into someone else's story
// answers 404, for GET and POST, and nothing changes.
func TestOthersCannotSeeOrTouchADraft(t *testing.T) {
	ts := newTestSite(t, false)
	alice := ts.signIn(t, "alice", models.RoleReader)
	bob := ts.signIn(t, "bob", models.RoleReader)
	r := alice.post(t, "/write", storyForm("My secret draft", "Nobody reads this.", "draft"))
	m := editLinkRe.FindStringSubmatch(r.Location)
	if m == nil {
		t.Fatalf("save draft went to %q", r.Location)
	}
	slug := m[1]
	for _, path := range []string{"/stories/" + slug + "/edit", "/stories/" + slug + "/history", "/stories/" + slug + "/delete", "/stories/" + slug} {
		if r := bob.get(t, path); r.Status != http.StatusNotFound || strings.Contains(r.Body, "My secret draft") {
			t.Errorf("GET %s by another reader: %d", path, r.Status)
		}
	}
	for _, path := range []string{"/edit", "/publish", "/unpublish", "/delete", "/updates"} {
		f := storyForm("Hacked", "Hacked", "publish")
		f.Set("confirm", "yes")
		if r := bob.post(t, "/stories/"+slug+path, f); r.Status != http.StatusNotFound {
			t.Errorf("POST %s by another reader: %d", path, r.Status)
		}
	}
	r = alice.get(t, "/stories/"+slug+"/edit")
	wantIn(t, "alice's draft after bob's attempts", r.Body, `value="My secret draft"`, "Nobody reads this.")
	if r := ts.anonymous().get(t, "/write"); r.Status != http.StatusSeeOther || r.Location != "/login?next=/write" {
		t.Errorf("/write for a visitor: %d %q", r.Status, r.Location)
	}
}

// TestEditorKeepsTheText: refused input comes back with messages and the
// text as typed; so does a post after the session ended, and one the CSRF
// check refused.
func TestEditorKeepsTheText(t *testing.T) {
	ts := newTestSite(t, false)
	w := ts.signIn(t, "alice", models.RoleAuthor)
	long := strings.Repeat("é", models.MaxBodyLen+1)
	cases := []struct {
		name, title, body, msg string
	}{
		{"empty title", "  ", "My long story, kept.", "A story needs a title."},
		{"long title", strings.Repeat("t", 201), "My long story, kept.", "the limit is 200"},
		{"long body", "Title kept", long, "the limit is 100000"},
	}
	for _, c := range cases {
		r := w.post(t, "/write", storyForm(c.title, c.body, "draft"))
		wantStatus(t, c.name, r, http.StatusUnprocessableEntity)
		wantIn(t, c.name, r.Body, c.msg, `aria-invalid="true"`, "Lyon")
		if !strings.Contains(r.Body, c.body[:10]) {
			t.Errorf("%s: the body is lost", c.name)
		}
	}
	if cs, _ := ts.store.Companies(context.Background()); len(cs) != 0 {
		t.Errorf("refused stories created companies: %v", cs)
	}
	if sts, _ := ts.store.StoriesOf(context.Background(), w.user.ID); len(sts) != 0 {
		t.Errorf("refused stories were saved: %d", len(sts))
	}

	// The session ended: the form comes back filled, with a way to sign in.
	gone := &writer{ts: ts}
	r := gone.postRaw(t, "/write", storyForm("Written before lunch", "Two hours of typing.", "publish"))
	wantStatus(t, "signed out", r, http.StatusUnauthorized)
	wantIn(t, "signed out", r.Body, `value="Written before lunch"`, "Two hours of typing.", "/login?next=")

	// A stale token: the 403 page gives everything back.
	f := storyForm("Written in another tab", "Kept despite the token.", "draft")
	f.Set("csrf", "stale")
	r = w.postRaw(t, "/write", f)
	wantStatus(t, "csrf", r, http.StatusForbidden)
	wantIn(t, "csrf", r.Body, "Written in another tab", "Kept despite the token.", `action="/write"`, `value="`+w.csrf+`"`)
}

// TestPreviewIsSanitised: /preview renders like the save does, without raw
// HTML or javascript: links, and only for signed-in people.
func TestPreviewIsSanitised(t *testing.T) {
	ts := newTestSite(t, false)
	w := ts.signIn(t, "alice", models.RoleReader)
	r := w.post(t, "/preview", url.Values{"body": {"# Hi\n\n<img src=x onerror=alert(1)> [click](javascript:alert(1)) <b>bold</b>"}})
	wantStatus(t, "preview", r, http.StatusOK)
	wantIn(t, "preview", r.Body, `<h1 id="hi">Hi</h1>`)
	for _, bad := range []string{"<img", "onerror", "javascript:", "<b>"} {
		if strings.Contains(r.Body, bad) {
			t.Errorf("preview lets %q through: %s", bad, r.Body)
		}
	}
	if r := w.postRaw(t, "/preview", url.Values{"body": {"x"}}); r.Status != http.StatusForbidden {
		t.Errorf("preview without the token: %d", r.Status)
	}
	if r := ts.anonymous().postRaw(t, "/preview", url.Values{"body": {"x"}}); r.Status != http.StatusUnauthorized {
		t.Errorf("preview for a visitor: %d", r.Status)
	}
}
