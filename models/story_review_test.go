package models

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A reader's story waits in the queue and is public only once approved.
func TestReaderStoryWaitsForReview(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	rea := newUser(t, s, "rea", RoleReader)
	aut := newUser(t, s, "aut", RoleAuthor)
	adm := newUser(t, s, "adm", RoleAdmin)
	st := newDraft(t, s, rea, "Prefecture appointment")
	sub, err := s.SubmitStory(ctx, st.ID, rea.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Status != StatusReview || sub.PublishedAt != nil || sub.Slug != st.Slug {
		t.Fatalf("submitted: %s, %v, %q", sub.Status, sub.PublishedAt, sub.Slug)
	}
	if p, _ := s.PublishedStories(ctx, StoryFilter{}, 1); p.Total != 0 {
		t.Errorf("a story in review is listed: %d", p.Total)
	}
	clock.Add(time.Minute)
	later := newDraft(t, s, rea, "Later one")
	if _, err := s.SubmitStory(ctx, later.ID, rea.ID); err != nil {
		t.Fatal(err)
	}
	queue, err := s.ReviewQueue(ctx)
	if err != nil || len(queue) != 2 || queue[0].ID != st.ID || queue[1].ID != later.ID || queue[0].Author.Handle != "rea" {
		t.Fatalf("queue, longest waiting first: %+v, %v", queue, err)
	}
	for _, u := range []*User{rea, aut} {
		if _, err := s.ApproveStory(ctx, st.ID, u.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("approved by %s: %v", u.Handle, err)
		}
	}
	clock.Add(time.Hour)
	ok, err := s.ApproveStory(ctx, st.ID, adm.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ok.Status != StatusPublished || ok.Slug != "prefecture-appointment" || !ok.PublishedAt.Equal(clock.Now()) {
		t.Errorf("approved: %s %q %v", ok.Status, ok.Slug, ok.PublishedAt)
	}
	if _, err := s.PublishedStory(ctx, "prefecture-appointment"); err != nil {
		t.Errorf("approved story not public: %v", err)
	}
	if _, err := s.ApproveStory(ctx, st.ID, adm.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("approved twice: %v", err)
	}
	if queue, _ := s.ReviewQueue(ctx); len(queue) != 1 || queue[0].ID != later.ID {
		t.Errorf("queue after approval: %d", len(queue))
	}
}

func TestSendBackWithNote(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	rea := newUser(t, s, "rea", RoleReader)
	adm := newUser(t, s, "adm", RoleAdmin)
	st := newDraft(t, s, rea, "Landlord kept my deposit")
	if err := s.SendBack(ctx, st.ID, adm.ID, "Why?"); !errors.Is(err, ErrConflict) {
		t.Errorf("sent back a draft: %v", err)
	}
	if _, err := s.SubmitStory(ctx, st.ID, rea.ID); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		by   uint
		note string
		ok   func(error) bool
	}{
		{adm.ID, "  ", func(err error) bool { return fieldsOf(err)["note"] != "" }},
		{adm.ID, string(make([]rune, MaxNoteLen+1)), func(err error) bool { return fieldsOf(err)["note"] != "" }},
		{rea.ID, "Looks fine to me", func(err error) bool { return errors.Is(err, ErrNotFound) }},
	} {
		if err := s.SendBack(ctx, st.ID, tt.by, tt.note); !tt.ok(err) {
			t.Errorf("send back by %d with %q: %v", tt.by, tt.note, err)
		}
	}
	if err := s.SendBack(ctx, st.ID, adm.ID, "Please remove the landlord's phone number."); err != nil {
		t.Fatal(err)
	}
	mine, err := s.StoriesOf(ctx, rea.ID)
	if err != nil || len(mine) != 1 || mine[0].Status != StatusDraft || mine[0].ReviewNote != "Please remove the landlord's phone number." {
		t.Fatalf("author's list: %+v, %v", mine, err)
	}
	again, err := s.SubmitStory(ctx, st.ID, rea.ID)
	if err != nil || again.Status != StatusReview || again.ReviewNote != "" {
		t.Errorf("submitted again: %+v, %v", again, err)
	}
	// The author can withdraw it from review.
	if err := s.UnpublishStory(ctx, st.ID, rea.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.StoryForEdit(ctx, st.ID, rea.ID); got.Status != StatusDraft {
		t.Errorf("withdrawn: %s", got.Status)
	}
}

func TestPromoteUser(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	rea := newUser(t, s, "rea", RoleReader)
	aut := newUser(t, s, "aut", RoleAuthor)
	adm := newUser(t, s, "adm", RoleAdmin)
	for _, tt := range []struct {
		name          string
		admin, target uint
		role          string
		ok            func(error) bool
	}{
		{"by an author", aut.ID, rea.ID, RoleAuthor, func(err error) bool { return errors.Is(err, ErrNotFound) }},
		{"unknown role", adm.ID, rea.ID, "king", func(err error) bool { return fieldsOf(err)["role"] != "" }},
		{"unknown user", adm.ID, 999, RoleAuthor, func(err error) bool { return errors.Is(err, ErrNotFound) }},
		{"last admin steps down", adm.ID, adm.ID, RoleReader, func(err error) bool { return errors.Is(err, ErrConflict) }},
		{"reader to author", adm.ID, rea.ID, RoleAuthor, func(err error) bool { return err == nil }},
	} {
		if err := s.PromoteUser(ctx, tt.admin, tt.target, tt.role); !tt.ok(err) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// Promoted, the former reader publishes directly.
	st := newDraft(t, s, rea, "Now I publish")
	if got, err := s.SubmitStory(ctx, st.ID, rea.ID); err != nil || got.Status != StatusPublished {
		t.Errorf("promoted user's story: %+v, %v", got, err)
	}
	// With a second admin, the first may step down.
	if err := s.PromoteUser(ctx, adm.ID, aut.ID, RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := s.PromoteUser(ctx, adm.ID, adm.ID, RoleAuthor); err != nil {
		t.Errorf("stepping down with another admin: %v", err)
	}
}

func TestStoriesOf(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	ana, bob := newUser(t, s, "ana", RoleAuthor), newUser(t, s, "bob", RoleAuthor)
	var want []string
	var second uint
	for _, title := range []string{"First", "Second", "Third"} {
		clock.Add(time.Minute)
		if st := newDraft(t, s, ana, title); title == "Second" {
			second = st.ID
		}
		want = append([]string{title}, want...)
	}
	if _, err := s.SubmitStory(ctx, second, ana.ID); err != nil {
		t.Fatal(err)
	}
	newDraft(t, s, bob, "Bob's")
	mine, err := s.StoriesOf(ctx, ana.ID)
	if err != nil || len(mine) != 3 {
		t.Fatalf("%d stories, %v", len(mine), err)
	}
	for i, st := range mine {
		if st.Title != want[i] || st.Body != "" {
			t.Errorf("story %d: %q (body %q), want %q", i, st.Title, st.Body, want[i])
		}
	}
	if mine[1].Status != StatusPublished || mine[0].Status != StatusDraft {
		t.Errorf("statuses: %s %s", mine[0].Status, mine[1].Status)
	}
}

// Revisions say who changed what, when; the newest comes first.
func TestRevisions(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	ana := newUser(t, s, "ana", RoleAuthor)
	adm := newUser(t, s, "adm", RoleAdmin)
	tel := &Category{Name: "Telecom"}
	if err := s.CreateCategory(ctx, tel); err != nil {
		t.Fatal(err)
	}
	st, err := s.CreateStory(ctx, StoryInput{Title: "v1", Body: "one", AuthorID: ana.ID, CategoryIDs: []uint{tel.ID}, Tags: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	t1 := clock.Now().Add(time.Hour)
	clock.Add(time.Hour)
	if _, err := s.UpdateStory(ctx, st.ID, ana.ID, StoryInput{Title: "v2", Body: "two"}); err != nil {
		t.Fatal(err)
	}
	// Saving without a change keeps no revision.
	if _, err := s.UpdateStory(ctx, st.ID, ana.ID, StoryInput{Title: "v2", Body: "two"}); err != nil {
		t.Fatal(err)
	}
	clock.Add(time.Hour)
	if _, err := s.UpdateStory(ctx, st.ID, adm.ID, StoryInput{Title: "v3", Body: "three", Resolution: ResolutionAbandoned}); err != nil {
		t.Fatal(err)
	}
	rs, err := s.Revisions(ctx, st.ID)
	if err != nil || len(rs) != 2 {
		t.Fatalf("%d revisions, %v", len(rs), err)
	}
	if r := rs[0]; r.Title != "v2" || r.Body != "two" || r.Editor.Handle != "adm" || !r.CreatedAt.Equal(t1.Add(time.Hour)) || r.Categories != "" {
		t.Errorf("newest revision: %+v", r)
	}
	if r := rs[1]; r.Title != "v1" || r.Body != "one" || r.Editor.Handle != "ana" || !r.CreatedAt.Equal(t1) ||
		r.Categories != "Telecom" || r.Tags != "a, b" || r.Status != StatusDraft || r.Resolution != ResolutionOpen {
		t.Errorf("oldest revision: %+v", r)
	}
}

// A reader's change to their published story waits; with nothing waiting,
// approval is a conflict; unpublishing folds the waiting change into the
// draft, so that the writer's text is not lost.
func TestReaderChangeWaitsAndFoldsIntoDraft(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	rea := newUser(t, s, "rea", RoleReader)
	adm := newUser(t, s, "adm", RoleAdmin)
	st := newDraft(t, s, rea, "Bank transfer")
	if _, err := s.SubmitStory(ctx, st.ID, rea.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApproveStory(ctx, st.ID, adm.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApproveStory(ctx, st.ID, adm.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("approving a story with nothing waiting: %v, want ErrConflict", err)
	}
	ed, err := s.UpdateStory(ctx, st.ID, rea.ID, StoryInput{Title: "Bank transfer", Body: "Rewritten.", Tags: []string{"waiting"}})
	if err != nil {
		t.Fatal(err)
	}
	if ed.Pending == nil || ed.Pending.Body != "Rewritten." || ed.Body == "Rewritten." {
		t.Fatalf("the reader's edit is not held: pending %+v, body %q", ed.Pending, ed.Body)
	}
	if _, err := s.TagBySlug(ctx, "waiting"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the tag of a held change is public: %v", err)
	}
	u, err := s.AddStoryUpdate(ctx, st.ID, rea.ID, "Still waiting.", ResolutionAbandoned)
	if err != nil || !u.Pending {
		t.Fatalf("the reader's update is not held: %+v, %v", u, err)
	}
	if pub, err := s.PublishedStory(ctx, ed.Slug); err != nil || len(pub.Updates) != 0 || pub.Resolution != ResolutionOpen {
		t.Fatalf("the held update shows: %+v, %v", pub, err)
	}
	if err := s.UnpublishStory(ctx, st.ID, rea.ID); err != nil {
		t.Fatal(err)
	}
	dr, err := s.StoryForEdit(ctx, st.ID, rea.ID)
	if err != nil || dr.Pending != nil || dr.Body != "Rewritten." || len(dr.Updates) != 1 || dr.Updates[0].Pending ||
		dr.Resolution != ResolutionAbandoned {
		t.Errorf("the waiting change is not in the draft: %+v, %v", dr, err)
	}
}
