package models

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A slug a story had stays its own: no new story takes it, and the story can
// take it back.
func TestOldSlugsStayReserved(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	ana := newUser(t, s, "ana", RoleAuthor)
	st := newStory(t, s, ana, "Bank fees", time.Time{})
	if _, err := s.UpdateStory(ctx, st.ID, ana.ID, StoryInput{Title: "Hidden bank fees", Body: "Text."}); err != nil {
		t.Fatal(err)
	}
	other := newStory(t, s, ana, "Bank fees", time.Time{})
	if other.Slug != "bank-fees-2" {
		t.Errorf("new story took slug %q", other.Slug)
	}
	// A draft published with the old title gets a fresh slug too.
	d := newDraft(t, s, ana, "Bank fees")
	if d, err := s.SubmitStory(ctx, d.ID, ana.ID); err != nil || d.Slug != "bank-fees-3" {
		t.Errorf("published draft: %q, %v", d.Slug, err)
	}
	// Back to the first title: the first slug is current again, the second redirects.
	back, err := s.UpdateStory(ctx, st.ID, ana.ID, StoryInput{Title: "Bank fees!", Body: "Text."})
	if err != nil {
		t.Fatal(err)
	}
	if back.Slug != "bank-fees" {
		t.Errorf("back to the first title: slug %q", back.Slug)
	}
	if to, err := s.StoryRedirect(ctx, "hidden-bank-fees"); err != nil || to != "bank-fees" {
		t.Errorf("redirect = %q, %v", to, err)
	}
	if _, err := s.StoryRedirect(ctx, "bank-fees"); !errors.Is(err, ErrNotFound) {
		t.Errorf("current slug is also a redirect: %v", err)
	}
	// Same words, other spelling: the slug does not move.
	same, err := s.UpdateStory(ctx, st.ID, ana.ID, StoryInput{Title: "BANK fees", Body: "Text."})
	if err != nil || same.Slug != "bank-fees" {
		t.Errorf("recased title: %q, %v", same.Slug, err)
	}
}
