package models

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// The life of a story: draft, edit, publish, retitle twice, update, unpublish,
// publish again, delete.
func TestStoryWorkflow(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	ana := newUser(t, s, "ana", RoleAuthor)
	tel := &Category{Name: "Telecom"}
	bank := &Category{Name: "Banking"}
	for _, c := range []*Category{tel, bank} {
		if err := s.CreateCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
	}

	st := newDraft(t, s, ana, "Orange cut my line")
	if !strings.HasPrefix(st.Slug, "draft-") || st.Status != StatusDraft || st.PublishedAt != nil {
		t.Fatalf("new draft: slug %q, status %s, published %v", st.Slug, st.Status, st.PublishedAt)
	}
	provisional := st.Slug

	// Saving the draft again, retitled: the provisional slug stays.
	clock.Add(time.Hour)
	in := StoryInput{Title: "Orange cut my line for a month", Body: "It *started* in May.",
		CategoryIDs: []uint{tel.ID}, Tags: []string{"Fibre", "fibre ", "refund"}, City: " Lyon "}
	got, err := s.UpdateStory(ctx, st.ID, ana.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Slug != provisional || got.City != "Lyon" || !strings.Contains(got.HTML, "<em>started</em>") ||
		len(got.Categories) != 1 || len(got.Tags) != 2 {
		t.Fatalf("saved draft: %q %q %q cats %v tags %v", got.Slug, got.City, got.HTML, got.Categories, got.Tags)
	}

	// Publishing makes the slug from the title, and sets PublishedAt once.
	clock.Add(time.Hour)
	pub, err := s.SubmitStory(ctx, st.ID, ana.ID)
	if err != nil {
		t.Fatal(err)
	}
	firstPublished := clock.Now()
	if pub.Status != StatusPublished || pub.Slug != "orange-cut-my-line-for-a-month" || !pub.PublishedAt.Equal(firstPublished) {
		t.Fatalf("published: %s %q %v", pub.Status, pub.Slug, pub.PublishedAt)
	}
	if _, err := s.PublishedStory(ctx, pub.Slug); err != nil {
		t.Fatalf("public page: %v", err)
	}

	// Retitling twice: both old slugs lead to the current one.
	slugA := pub.Slug
	in.Title, in.CategoryIDs, in.Tags = "Orange cut my line for two months", []uint{bank.ID, bank.ID}, []string{"Box"}
	b, err := s.UpdateStory(ctx, st.ID, ana.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Title = "Orange: two months without internet"
	c, err := s.UpdateStory(ctx, st.ID, ana.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if b.Slug == slugA || c.Slug == b.Slug || c.Slug != "orange-two-months-without-internet" {
		t.Fatalf("slugs %q -> %q -> %q", slugA, b.Slug, c.Slug)
	}
	if len(c.Categories) != 1 || c.Categories[0].ID != bank.ID || len(c.Tags) != 1 || c.Tags[0].Name != "box" {
		t.Errorf("categories and tags not replaced: %v %v", c.Categories, c.Tags)
	}
	for _, old := range []string{slugA, b.Slug} {
		if to, err := s.StoryRedirect(ctx, old); err != nil || to != c.Slug {
			t.Errorf("redirect %q = %q, %v; want %q", old, to, err, c.Slug)
		}
	}
	if _, err := s.StoryRedirect(ctx, provisional); !errors.Is(err, ErrNotFound) {
		t.Errorf("the draft's provisional slug redirects: %v", err)
	}
	if _, err := s.PublishedStory(ctx, slugA); !errors.Is(err, ErrNotFound) {
		t.Errorf("old slug still a page: %v", err)
	}

	// An update marks it resolved; the story page shows updates in order.
	clock.Add(24 * time.Hour)
	if _, err := s.AddStoryUpdate(ctx, st.ID, ana.ID, "They called back.", ""); err != nil {
		t.Fatal(err)
	}
	clock.Add(24 * time.Hour)
	u, err := s.AddStoryUpdate(ctx, st.ID, ana.ID, "Refund **received**.", ResolutionResolved)
	if err != nil {
		t.Fatal(err)
	}
	if u.Resolution != ResolutionResolved || !strings.Contains(u.HTML, "<strong>received</strong>") {
		t.Errorf("update: %+v", u)
	}
	page, err := s.PublishedStory(ctx, c.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if page.Resolution != ResolutionResolved || len(page.Updates) != 2 ||
		page.Updates[0].Body != "They called back." || !page.Updates[1].CreatedAt.After(page.Updates[0].CreatedAt) {
		t.Errorf("story after updates: resolution %s, updates %+v", page.Resolution, page.Updates)
	}

	// Unpublished: gone from the public side, redirects included.
	if err := s.UnpublishStory(ctx, st.ID, ana.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishedStory(ctx, c.Slug); !errors.Is(err, ErrNotFound) {
		t.Errorf("unpublished story still public: %v", err)
	}
	if _, err := s.StoryRedirect(ctx, slugA); !errors.Is(err, ErrNotFound) {
		t.Errorf("redirect to an unpublished story: %v", err)
	}
	// Published again: same slug, same date.
	clock.Add(time.Hour)
	again, err := s.SubmitStory(ctx, st.ID, ana.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Slug != c.Slug || !again.PublishedAt.Equal(firstPublished) {
		t.Errorf("republished: %q at %v, want %q at %v", again.Slug, again.PublishedAt, c.Slug, firstPublished)
	}

	if err := s.DeleteStory(ctx, st.ID, ana.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StoryForEdit(ctx, st.ID, ana.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted story: %v", err)
	}
	for _, table := range []string{"story_categories", "story_tags", "story_updates", "revisions", "slug_redirects", "stories"} {
		var n int64
		if err := s.r.Table(table).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("%s: %d rows left, %v", table, n, err)
		}
	}
}

func TestUpdateStoryValidation(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	ana := newUser(t, s, "ana", RoleAuthor)
	st := newStory(t, s, ana, "Kept", time.Time{})
	many := func(n int, same bool) []string {
		var tags []string
		for i := range n {
			if same {
				tags = append(tags, strings.Repeat(" ", i)+"Refund")
			} else {
				tags = append(tags, string(rune('a'+i)))
			}
		}
		return tags
	}
	for _, tt := range []struct {
		name  string
		in    StoryInput
		field string // "" = valid
	}{
		{"empty title", StoryInput{Title: " \t"}, "title"},
		{"title of 201", StoryInput{Title: strings.Repeat("é", 201)}, "title"},
		{"title of 200", StoryInput{Title: strings.Repeat("é", 200), Body: "Text."}, ""},
		{"body too long", StoryInput{Title: "x", Body: strings.Repeat("a", MaxBodyLen+1)}, "body"},
		{"eleven tags", StoryInput{Title: "x", Tags: many(11, false)}, "tags"},
		{"eleven spellings of one tag", StoryInput{Title: "x", Body: "Text.", Tags: many(11, true)}, ""},
		{"tag too long", StoryInput{Title: "x", Tags: []string{strings.Repeat("t", 51)}}, "tags"},
		{"bad resolution", StoryInput{Title: "x", Resolution: "maybe"}, "resolution"},
		{"unknown category", StoryInput{Title: "x", CategoryIDs: []uint{999}}, "categories"},
		{"unknown company", StoryInput{Title: "x", CompanyID: new(uint(999))}, "company"},
	} {
		_, err := s.UpdateStory(ctx, st.ID, ana.ID, tt.in)
		fields := fieldsOf(err)
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.field != "" && (len(fields) != 1 || fields[tt.field] == ""):
			t.Errorf("%s: err %v, fields %v; want a message for %s", tt.name, err, fields, tt.field)
		}
	}
	got, err := s.StoryForEdit(ctx, st.ID, ana.ID)
	if err != nil || len(got.Tags) != 1 || got.Tags[0].Name != "refund" {
		t.Errorf("after the valid edits: %+v, %v", got, err)
	}
}

// Another reader or author cannot see or change someone's story, not even
// learn that it exists; an admin can.
func TestOthersCannotTouchAStory(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	ana := newUser(t, s, "ana", RoleReader)
	bob := newUser(t, s, "bob", RoleReader)
	eve := newUser(t, s, "eve", RoleAuthor)
	adm := newUser(t, s, "adm", RoleAdmin)
	st := newDraft(t, s, ana, "My secret draft")
	in := StoryInput{Title: "Defaced"}
	actions := map[string]func(uid uint) error{
		"load":     func(uid uint) error { _, err := s.StoryForEdit(ctx, st.ID, uid); return err },
		"by slug":  func(uid uint) error { _, err := s.StoryForEditBySlug(ctx, st.Slug, uid); return err },
		"edit":     func(uid uint) error { _, err := s.UpdateStory(ctx, st.ID, uid, in); return err },
		"submit":   func(uid uint) error { _, err := s.SubmitStory(ctx, st.ID, uid); return err },
		"update":   func(uid uint) error { _, err := s.AddStoryUpdate(ctx, st.ID, uid, "x", ""); return err },
		"withdraw": func(uid uint) error { return s.UnpublishStory(ctx, st.ID, uid) },
		"delete":   func(uid uint) error { return s.DeleteStory(ctx, st.ID, uid) },
	}
	for name, act := range actions {
		for _, u := range []*User{bob, eve, {ID: 999}} {
			if err := act(u.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s by %q: err = %v, want ErrNotFound", name, u.Handle, err)
			}
		}
	}
	got, err := s.StoryForEdit(ctx, st.ID, ana.ID)
	if err != nil || got.Title != "My secret draft" || got.Status != StatusDraft {
		t.Fatalf("after the attempts: %+v, %v", got, err)
	}
	if _, err := s.UpdateStory(ctx, st.ID, adm.ID, StoryInput{Title: "Fixed by an admin", Body: "Text."}); err != nil {
		t.Errorf("admin edit: %v", err)
	}
	if _, err := s.StoryForEditBySlug(ctx, st.Slug, adm.ID); err != nil {
		t.Errorf("admin load: %v", err)
	}
}

// Loading a story to edit or read takes the same queries however many
// updates and tags it has.
func TestStoryLoadsInFixedQueries(t *testing.T) {
	s, _ := newTestStore(t)
	qc := counter(s)
	ctx := context.Background()
	ana := newUser(t, s, "ana", RoleAuthor)
	// With one tag from the start: GORM skips the tags query when no story_tags row is found.
	st, err := s.CreateStory(ctx, StoryInput{Title: "Counted", AuthorID: ana.ID, Status: StatusPublished, Tags: []string{"z"}})
	if err != nil {
		t.Fatal(err)
	}
	count := func() (edit, read int64) {
		qc.n.Store(0)
		if _, err := s.StoryForEdit(ctx, st.ID, ana.ID); err != nil {
			t.Fatal(err)
		}
		edit = qc.n.Swap(0)
		if _, err := s.PublishedStory(ctx, st.Slug); err != nil {
			t.Fatal(err)
		}
		return edit, qc.n.Load()
	}
	edit1, read1 := count()
	for i := range 5 {
		if _, err := s.AddStoryUpdate(ctx, st.ID, ana.ID, strings.Repeat("x", i+1), ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.UpdateStory(ctx, st.ID, ana.ID, StoryInput{Title: "Counted", Tags: []string{"a", "b", "c"}}); err != nil {
		t.Fatal(err)
	}
	edit2, read2 := count()
	// Seven for the editor: the story, author, company, categories, tags,
	// updates, and a change waiting for review.
	if edit1 != edit2 || read1 != read2 || edit2 > 7 {
		t.Errorf("queries: edit %d then %d, read %d then %d", edit1, edit2, read1, read2)
	}
}
