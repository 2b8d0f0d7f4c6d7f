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
	ts := newSite(t)
	ctx := context.Background()
	cat := &models.Category{Name: "Telecom"}
	if err := ts.store.CreateCategory(ctx, cat); err != nil {
		t.Fatal(err)
	}
	orange, err := ts.store.FindOrCreateCompany(ctx, "Orange SA")
	if err != nil {
		t.Fatal(err)
	}
	w := ts.signIn(ts.newUser("alice", "Alice", models.RoleAuthor))

	r, body := ts.get(w, "/write")
	wantCode(t, r, body, http.StatusOK)
	wantIn(t, "/write", body, `name="title"`, `<textarea id="body" name="body"`, "Telecom",
		`<datalist id="companies">`, `>Publish</button>`, `name="csrf" value="`+w.csrf+`"`, "/static/editor.")

	f := storyForm("Fibre, at last", "The *technician* came.\n\n<script>alert(1)</script>", "preview")
	f.Add("categories", "1")
	r, body = ts.do(w, http.MethodPost, "/write", f)
	wantCode(t, r, body, http.StatusOK)
	wantIn(t, "preview", body, "<em>technician</em>", "Fibre, at last", "The *technician* came.", `value="1" checked`)
	if strings.Contains(body, "<script>alert(1)") {
		t.Error("the preview lets raw HTML through")
	}

	f.Set("action", "draft")
	r, body = ts.do(w, http.MethodPost, "/write", f)
	wantCode(t, r, body, http.StatusSeeOther)
	m := editLinkRe.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil || m[2] != "draft" || !strings.HasPrefix(m[1], "draft-") {
		t.Fatalf("save draft went to %q", r.Header.Get("Location"))
	}
	draftSlug := m[1]
	if res, _ := ts.get(nil, "/stories/"+draftSlug); res.StatusCode != http.StatusNotFound {
		t.Errorf("a draft is public: %d", res.StatusCode)
	}
	r, body = ts.get(w, r.Header.Get("Location"))
	wantIn(t, "the draft's editor", body, "Your draft is saved.", `value="Fibre, at last"`, "refund, fibre", `value="Orange SA"`, `value="1" checked`,
		`<option value="Orange SA">`) // the writer's own draft's company is suggested to them

	// Publish from the editor: an author skips review.
	f.Set("action", "publish")
	r, body = ts.do(w, http.MethodPost, "/stories/"+draftSlug+"/edit", f)
	wantCode(t, r, body, http.StatusSeeOther)
	if r.Header.Get("Location") != "/stories/fibre-at-last?published=1" { // with the author's confirmation
		t.Fatalf("publish went to %q", r.Header.Get("Location"))
	}
	res, body := ts.get(nil, "/stories/fibre-at-last")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "<em>technician</em>") || strings.Contains(body, "Edit this story") {
		t.Fatalf("published story: %d, edit link or body wrong", res.StatusCode)
	}
	co, err := ts.store.CompanyBySlug(ctx, orange.Slug)
	if err != nil || co.ID != orange.ID {
		t.Fatalf("“ ORANGE ” did not land on Orange SA: %v", err)
	}
	if _, body := ts.get(w, "/stories/fibre-at-last"); !strings.Contains(body, `href="/stories/fibre-at-last/edit"`) {
		t.Error("the author's story page has no Edit link")
	}

	// Retitle: the old address answers 301.
	f.Set("title", "Fibre, finally")
	f.Set("action", "save")
	r, body = ts.do(w, http.MethodPost, "/stories/fibre-at-last/edit", f)
	wantCode(t, r, body, http.StatusSeeOther)
	if r.Header.Get("Location") != "/stories/fibre-finally" {
		t.Fatalf("retitle went to %q", r.Header.Get("Location"))
	}
	resp, _ := ts.get(nil, "/stories/fibre-at-last")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/stories/fibre-finally" {
		t.Fatalf("old slug: %v %v", resp.StatusCode, resp.Header.Get("Location"))
	}
	r, body = ts.get(w, "/stories/fibre-finally/history")
	wantCode(t, r, body, http.StatusOK)
	wantIn(t, "history", body, "“Fibre, at last”", "Alice")

	// An update, with a new resolution.
	r, body = ts.do(w, http.MethodPost, "/stories/fibre-finally/updates", url.Values{"body": {"Refund **received**."}, "resolution": {"resolved"}})
	wantCode(t, r, body, http.StatusSeeOther)
	_, body = ts.get(nil, "/stories/fibre-finally")
	wantIn(t, "story with its update", body, "Update, <time", "Refund <strong>received</strong>.", "badge resolution resolved")
	if _, front := ts.get(nil, "/"); !strings.Contains(front, `class="card is-resolved"`) {
		t.Error("the front page does not mark the resolved story")
	}
	r, body = ts.do(w, http.MethodPost, "/stories/fibre-finally/updates", url.Values{"body": {"   "}})
	wantCode(t, r, body, http.StatusUnprocessableEntity)
	wantIn(t, "empty update", body, "The update is empty.")

	// Unpublish: gone from the site, still in my stories.
	r, body = ts.do(w, http.MethodPost, "/stories/fibre-finally/unpublish", url.Values{})
	wantCode(t, r, body, http.StatusSeeOther)
	if res, _ := ts.get(nil, "/stories/fibre-finally"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished story answers %d", res.StatusCode)
	}
	r, body = ts.get(w, "/me/stories")
	wantIn(t, "my stories", body, "Fibre, finally", "status-draft")

	// Delete asks for confirmation first.
	r, body = ts.get(w, "/stories/fibre-finally/delete")
	wantCode(t, r, body, http.StatusOK)
	r, body = ts.do(w, http.MethodPost, "/stories/fibre-finally/delete", url.Values{})
	wantCode(t, r, body, http.StatusUnprocessableEntity)
	r, body = ts.do(w, http.MethodPost, "/stories/fibre-finally/delete", url.Values{"confirm": {"yes"}})
	wantCode(t, r, body, http.StatusSeeOther)
	if r, _ := ts.get(w, "/stories/fibre-finally/edit"); r.StatusCode != http.StatusNotFound {
		t.Errorf("deleted story's editor answers %d", r.StatusCode)
	}
	if _, body := ts.get(w, "/me/stories"); strings.Contains(body, "Fibre, finally") {
		t.Error("a deleted story is still listed")
	}
}

// TestOthersCannotSeeOrTouchADraft: every way into someone else's story
// answers 404, for GET and POST, and nothing changes.
func TestOthersCannotSeeOrTouchADraft(t *testing.T) {
	ts := newSite(t)
	alice := ts.signIn(ts.newUser("alice", "Alice", models.RoleReader))
	bob := ts.signIn(ts.newUser("bob", "Bob", models.RoleReader))
	r, body := ts.do(alice, http.MethodPost, "/write", storyForm("My secret draft", "Nobody reads this.", "draft"))
	m := editLinkRe.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil {
		t.Fatalf("save draft went to %q", r.Header.Get("Location"))
	}
	slug := m[1]
	for _, path := range []string{"/stories/" + slug + "/edit", "/stories/" + slug + "/history", "/stories/" + slug + "/delete", "/stories/" + slug} {
		if r, body := ts.get(bob, path); r.StatusCode != http.StatusNotFound || strings.Contains(body, "My secret draft") {
			t.Errorf("GET %s by another reader: %d", path, r.StatusCode)
		}
	}
	for _, path := range []string{"/edit", "/publish", "/unpublish", "/delete", "/updates"} {
		f := storyForm("Hacked", "Hacked", "publish")
		f.Set("confirm", "yes")
		if r, _ := ts.do(bob, http.MethodPost, "/stories/"+slug+path, f); r.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s by another reader: %d", path, r.StatusCode)
		}
	}
	r, body = ts.get(alice, "/stories/"+slug+"/edit")
	wantIn(t, "alice's draft after bob's attempts", body, `value="My secret draft"`, "Nobody reads this.")
	if r, _ := ts.get(guest(), "/write"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=/write" {
		t.Errorf("/write for a visitor: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
}

// TestEditorKeepsTheText: refused input comes back with messages and the
// text as typed; so does a post after the session ended, and one the CSRF
// check refused.
func TestEditorKeepsTheText(t *testing.T) {
	ts := newSite(t)
	w := ts.signIn(ts.newUser("alice", "Alice", models.RoleAuthor))
	long := strings.Repeat("é", models.MaxBodyLen+1)
	cases := []struct {
		name, title, body, msg string
	}{
		{"empty title", "  ", "My long story, kept.", "A story needs a title."},
		{"long title", strings.Repeat("t", 201), "My long story, kept.", "the limit is 200"},
		{"long body", "Title kept", long, "the limit is 100,000"},
	}
	for _, c := range cases {
		r, body := ts.do(w, http.MethodPost, "/write", storyForm(c.title, c.body, "draft"))
		wantCode(t, r, body, http.StatusUnprocessableEntity)
		wantIn(t, c.name, body, c.msg, `aria-invalid="true"`, "Lyon")
		if !strings.Contains(body, c.body[:10]) {
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
	gone := guest()
	r, body := ts.do(gone, http.MethodPost, "/write", storyForm("Written before lunch", "Two hours of typing.", "publish"))
	wantCode(t, r, body, http.StatusUnauthorized)
	wantIn(t, "signed out", body, `value="Written before lunch"`, "Two hours of typing.", "/login?next=")

	// A stale token: the 403 page gives everything back.
	f := storyForm("Written in another tab", "Kept despite the token.", "draft")
	f.Set("csrf", "stale")
	r, body = ts.do(noToken(w), http.MethodPost, "/write", f)
	wantCode(t, r, body, http.StatusForbidden)
	wantIn(t, "csrf", body, "Written in another tab", "Kept despite the token.", `action="/write"`, `value="`+w.csrf+`"`)
}

// TestPreviewIsSanitised: /preview renders like the save does, without raw
// HTML or javascript: links, and only for signed-in people.
func TestPreviewIsSanitised(t *testing.T) {
	ts := newSite(t)
	w := ts.signIn(ts.newUser("alice", "Alice", models.RoleReader))
	r, body := ts.do(w, http.MethodPost, "/preview", url.Values{"body": {"# Hi\n\n<img src=x onerror=alert(1)> [click](javascript:alert(1)) <b>bold</b>"}})
	wantCode(t, r, body, http.StatusOK)
	wantIn(t, "preview", body, `<h1 id="hi">Hi</h1>`)
	for _, bad := range []string{"<img", "onerror", "javascript:", "<b>"} {
		if strings.Contains(body, bad) {
			t.Errorf("preview lets %q through: %s", bad, body)
		}
	}
	if r, _ := ts.do(noToken(w), http.MethodPost, "/preview", url.Values{"body": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("preview without the token: %d", r.StatusCode)
	}
	if r, _ := ts.do(guest(), http.MethodPost, "/preview", url.Values{"body": {"x"}}); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("preview for a visitor: %d", r.StatusCode)
	}
}
