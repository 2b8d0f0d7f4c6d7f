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

// TestCommentPIIMasked: a guest's comment keeps what they typed in Body,
// and publishes its personal data masked; a date and a price are left alone.
func TestCommentPIIMasked(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	a := newUser(t, s, "ann", RoleAuthor)
	st := newStory(t, s, a, "Story", time.Time{})
	body := "Appelez-moi au 06 12 34 56 78, contrat n° AB123456. Le 12/03/2026, 49,99 €."
	c, err := s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.org", Body: body, Status: CommentApproved})
	if err != nil {
		t.Fatal(err)
	}
	if c.Body != body {
		t.Errorf("the original is lost: %q", c.Body)
	}
	for _, bad := range []string{"06 12 34 56 78", "AB123456"} {
		if strings.Contains(c.HTML, bad) {
			t.Errorf("the published comment shows %q: %s", bad, c.HTML)
		}
	}
	for _, want := range []string{"06 •• •• •• 78", "12/03/2026", "49,99 €"} {
		if !strings.Contains(c.HTML, want) {
			t.Errorf("the published comment lacks %q: %s", want, c.HTML)
		}
	}
}

// TestMaskCommentsSaved: the migration step masks the comments saved
// before comments were masked, and leaves the others as they were.
func TestMaskCommentsSaved(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	a := newUser(t, s, "ann", RoleAuthor)
	st := newStory(t, s, a, "Story", time.Time{})
	var ids []uint
	for _, b := range []string{"Call 06 12 34 56 78", "Nothing here"} {
		c, err := s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "G", AuthorEmail: "g@example.org", Body: "x", Status: CommentApproved})
		must(t, err)
		must(t, s.w.Exec("UPDATE comments SET body = ?, html = ? WHERE id = ?", b, "<p>"+b+"</p>", c.ID).Error)
		ids = append(ids, c.ID)
	}
	must(t, s.w.Transaction(func(tx *gorm.DB) error { return maskCommentsSaved(ctx, tx, sqliteDialect) }))
	var htmls []string
	must(t, s.r.Model(&Comment{}).Where("id IN ?", ids).Order("id").Pluck("html", &htmls).Error)
	if !strings.Contains(htmls[0], "06 •• •• •• 78") || htmls[1] != "<p>Nothing here</p>" {
		t.Errorf("after the step: %q", htmls)
	}
}

// TestCommentSnippetMasked: a search that finds a comment shows its
// snippet masked, as the comment's page does, not the text as typed.
func TestCommentSnippetMasked(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	a := newUser(t, s, "ann", RoleAuthor)
	st := newStory(t, s, a, "Story", time.Time{})
	_, err := s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.org",
		Body: "Le conseiller zorglub m'a rappelé au 06 12 34 56 78.", Status: CommentApproved})
	must(t, err)
	res, err := s.Search(ctx, SearchQuery{Text: "zorglub"})
	must(t, err)
	if len(res.Hits) != 1 || !res.Hits[0].InComments {
		t.Fatalf("hits: %+v", res.Hits)
	}
	if sn := res.Hits[0].Snippet; strings.Contains(sn, "06 12 34 56 78") || !strings.Contains(sn, "06 •• •• •• 78") {
		t.Errorf("the snippet shows the number as typed: %q", sn)
	}
}
