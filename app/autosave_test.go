package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"doleances/models"
)

// autosaveAnswer is the JSON an autosave answers.
type autosaveAnswer struct {
	SavedAt     string            `json:"saved_at"`
	EditURL     string            `json:"edit_url"`
	AutosaveURL string            `json:"autosave_url"`
	Key         string            `json:"key"`
	Error       string            `json:"error"`
	Fields      map[string]string `json:"fields"`
}

func (s *testSite) autosave(v *visitor, path string, form url.Values, want int) autosaveAnswer {
	s.t.Helper()
	r, body := s.do(v, http.MethodPost, path, form, "Accept", "application/json")
	if r.StatusCode != want {
		s.t.Fatalf("POST %s: status %d, want %d: %s", path, r.StatusCode, want, body)
	}
	var a autosaveAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		s.t.Fatalf("POST %s: %v: %s", path, err, body)
	}
	return a
}

// TestAutosaveDraft: the first autosave of a new story creates its draft
// and says where it lives; the next ones update it without a revision each
// time and without creating the company half typed.
func TestAutosaveDraft(t *testing.T) {
	s := newSite(t, withStories())
	ctx := context.Background()
	w := s.signIn(s.author)
	a := s.autosave(w, "/write/autosave", url.Values{"title": {"Half written"}, "body": {"I called on"}, "company": {"Bouyg"}}, http.StatusCreated)
	if !strings.HasSuffix(a.EditURL, "/edit") || !strings.HasSuffix(a.AutosaveURL, "/autosave") || a.SavedAt == "" || !strings.HasPrefix(a.Key, "story-") {
		t.Fatalf("first autosave answered %+v", a)
	}
	slug := strings.TrimSuffix(strings.TrimPrefix(a.EditURL, "/stories/"), "/edit")
	b := s.autosave(w, a.AutosaveURL, url.Values{"title": {"Half written"}, "body": {"I called on Monday."}, "company": {"Bouygues"}}, http.StatusOK)
	if b.EditURL != a.EditURL {
		t.Errorf("the second autosave moved the draft to %s", b.EditURL)
	}
	st, err := s.store.StoryForEditBySlug(ctx, slug, s.author.ID)
	check(t, err)
	if st.Status != models.StatusDraft || st.Body != "I called on Monday." || st.CompanyID != nil {
		t.Errorf("the draft is %s %q company %v", st.Status, st.Body, st.CompanyID)
	}
	if revs, err := s.store.Revisions(ctx, st.ID); err != nil || len(revs) != 0 {
		t.Errorf("autosaves wrote %d revisions (%v)", len(revs), err)
	}
	if _, err := s.store.CompanyBySlug(ctx, "bouyg"); err == nil {
		t.Error("an autosave created the company half typed")
	}
	// Someone else's draft is not found; a form without the token is refused.
	other := s.signIn(s.newUser("other", "Other", models.RoleAuthor))
	if r, _ := s.do(other, http.MethodPost, a.AutosaveURL, url.Values{"title": {"Mine"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("another author's autosave: %d", r.StatusCode)
	}
	if r, _ := s.do(noToken(w), http.MethodPost, a.AutosaveURL, url.Values{"title": {"X"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("an autosave without the CSRF token: %d", r.StatusCode)
	}
}

// TestAutosaveRefusals: without a title nothing is created and the answer
// says why (the script keeps the text on the device); a public story is
// never changed by an autosave, nor put in the review queue.
func TestAutosaveRefusals(t *testing.T) {
	s := newSite(t, withStories())
	ctx := context.Background()
	w := s.signIn(s.author)
	before, err := s.store.StoriesOf(ctx, s.author.ID)
	check(t, err)
	a := s.autosave(w, "/write/autosave", url.Values{"title": {""}, "body": {"Text typed first"}}, http.StatusUnprocessableEntity)
	if a.Error != "Not saved yet: A story needs a title." || a.Fields["title"] == "" {
		t.Errorf("autosave without a title answered %+v", a)
	}
	if after, _ := s.store.StoriesOf(ctx, s.author.ID); len(after) != len(before) {
		t.Errorf("a refused autosave created a story: %d → %d", len(before), len(after))
	}
	pub := s.stories["box"]
	a = s.autosave(w, "/stories/"+pub.Slug+"/autosave", url.Values{"title": {pub.Title}, "body": {"Half-typed chang"}}, http.StatusConflict)
	if !strings.Contains(a.Error, "kept on this device") {
		t.Errorf("autosave of a public story answered %+v", a)
	}
	st, err := s.store.StoryForEditBySlug(ctx, pub.Slug, s.author.ID)
	check(t, err)
	if st.Body != pub.Body || st.Pending != nil {
		t.Errorf("an autosave changed the public story: %q, pending %v", st.Body, st.Pending)
	}
}
