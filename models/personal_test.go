package models

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestStoryShownPII: the original stays in Body, the published HTML is
// masked except what the author chose to show (and may), and a shown text
// removed from the story is forgotten, so that pasting it again masks it.
func TestStoryShownPII(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	a := newUser(t, s, "ann", RoleAuthor)
	body := "Dossier n° 77120045, carte 4111 1111 1111 1111, tel 06 12 34 56 78."
	st, err := s.CreateStory(ctx, StoryInput{Title: "T", Body: body, AuthorID: a.ID, Status: StatusPublished,
		ShowPII: []string{"77120045", "4111 1111 1111 1111", "06 12 34 56 78", "not in the story"}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Body != body || st.ShownPII != "77120045\n06 12 34 56 78" {
		t.Fatalf("body %q, shown %q", st.Body, st.ShownPII)
	}
	if !strings.Contains(st.HTML, "77120045") || !strings.Contains(st.HTML, "•••• •••• •••• 1111") || strings.Contains(st.PlainText, "4111 1111") {
		t.Errorf("html %q", st.HTML)
	}
	if res, err := s.Search(ctx, SearchQuery{Text: "4111"}); err != nil || res.Total != 0 {
		t.Errorf("search finds the story by its masked card number: %d (%v)", res.Total, err)
	}
	if res, err := s.Search(ctx, SearchQuery{Text: "77120045"}); err != nil || res.Total != 1 {
		t.Errorf("search does not find the number shown: %d (%v)", res.Total, err)
	}
	in := StoryInput{Title: "T", Body: "Dossier n° 77120046.", ShowPII: SplitShown(st.ShownPII)}
	st, err = s.UpdateStory(ctx, st.ID, a.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if st.ShownPII != "" || strings.Contains(st.HTML, "77120046") {
		t.Errorf("after the edit: shown %q, html %q", st.ShownPII, st.HTML)
	}
	// Choosing to show it changes the story even though the text is the same.
	in.ShowPII = []string{"77120046"}
	if st, err = s.UpdateStory(ctx, st.ID, a.ID, in); err != nil || !strings.Contains(st.HTML, "77120046") {
		t.Errorf("showing it: %v, html %q", err, st.HTML)
	}
}

// TestMaskStoriesSaved: the migration step masks the stories saved before
// masking existed, and leaves the others as they were.
func TestMaskStoriesSaved(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	a := newUser(t, s, "ann", RoleAuthor)
	old := newStory(t, s, a, "Old", time.Time{})
	clean := newStory(t, s, a, "Clean", time.Time{})
	must(t, s.w.Exec("UPDATE stories SET body = ?, html = ? WHERE id = ?", "Call 06 12 34 56 78", "<p>Call 06 12 34 56 78</p>", old.ID).Error)
	must(t, s.w.Exec("UPDATE stories SET html = ? WHERE id = ?", "<p>untouched</p>", clean.ID).Error)
	must(t, s.w.Transaction(func(tx *gorm.DB) error { return maskStoriesSaved(ctx, tx, s.d) }))
	var htmls []string
	must(t, s.r.Model(&Story{}).Order("id").Pluck("html", &htmls).Error)
	if !strings.Contains(htmls[0], "06 •• •• •• 78") || htmls[1] != "<p>untouched</p>" {
		t.Errorf("after the step: %q", htmls)
	}
}
