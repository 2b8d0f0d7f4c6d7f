package models

import (
	"context"
	"slices"
	"testing"
	"time"
)

// maskedBody is a comment holding a phone number and an email address,
// which its page shows masked.
const maskedBody = "Same invoice trouble: call Jean on 06 12 34 56 78 or write to jean.dupont@example.org"

// maskedQueries find the comment's personal data, were it indexed as typed.
var maskedQueries = []string{`"12 34 56"`, "dupont"}

// TestSearchIndexHoldsCommentsMasked: the index holds a comment's text as
// its page shows it, personal data masked, whichever way it was saved or
// changed; its other words are found.
func TestSearchIndexHoldsCommentsMasked(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	reader := newUser(t, w.s, "bob", RoleReader)
	check := func(what string, want int) {
		t.Helper()
		indexIsSound(t, w.s)
		if n := len(titles(t, w.s, SearchQuery{Text: "invoice"})); n != want {
			t.Errorf("%s: the comment's words found in %d stories, want %d", what, n, want)
		}
		for _, q := range maskedQueries {
			if n := len(titles(t, w.s, SearchQuery{Text: q})); n != 0 {
				t.Errorf("%s: a search for %s, masked in the comment, found %d stories", what, q, n)
			}
		}
	}
	posted := w.story(t, "Hotline", "They hung up.", "", "")
	c, _, err := w.s.PostComment(ctx, CommentPost{StoryID: posted.ID, Poster: Poster{UserID: &reader.ID, IP: "192.0.2.1"}, Body: maskedBody})
	must(t, err)
	check("posted", 1)
	_, err = w.s.EditComment(ctx, c.ID, reader.ID, maskedBody+" (still waiting)", ModerationRules{})
	must(t, err)
	check("edited", 1)

	added := w.story(t, "Roaming", "A bill of 300 euros.", "", "")
	_, err = w.s.AddComment(ctx, CommentInput{StoryID: added.ID, AuthorName: "Guest", AuthorEmail: "g@example.com", Body: maskedBody, Status: CommentApproved})
	must(t, err)
	check("added", 2)
	must(t, w.s.UnpublishStory(ctx, added.ID, w.author.ID))
	_, err = w.s.SubmitStory(ctx, added.ID, w.author.ID) // its comments indexed again, by the story's trigger
	must(t, err)
	check("story published again", 2)
}

// TestMaskedIndexMigration: a database from before the step, whose index
// holds a comment as typed, has it masked by the step, and the current
// triggers.
func TestMaskedIndexMigration(t *testing.T) {
	path := testDatabase(t)
	s, err := Open(path, Options{})
	must(t, err)
	ctx := context.Background()
	author := newUser(t, s, "ada", RoleAuthor)
	st := newStory(t, s, author, "Hotline", time.Time{})
	_, err = s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.com", Body: maskedBody, Status: CommentApproved})
	must(t, err)
	// Back to the step before: step 1's triggers, which index the body.
	var stmts []string
	for _, tr := range searchTriggers {
		stmts = append(stmts, "DROP TRIGGER IF EXISTS "+searchTriggerVersion+tr.name)
	}
	for _, tr := range v4SearchTriggers {
		stmts = append(stmts, searchTriggerSQL(v4Triggers, tr))
	}
	stmts = append(stmts, "UPDATE comments SET body = body", "ALTER TABLE comments DROP COLUMN masked_body")
	must(t, execAll(s.w, stmts))
	step := slices.IndexFunc(migrations, func(m migration) bool { return m.Name == "the comment search index holds the masked text" })
	must(t, s.w.Exec("UPDATE schema_version SET version = ?", step).Error)
	if n := len(titles(t, s, SearchQuery{Text: "dupont"})); n != 1 {
		t.Fatalf("before the step, the comment as typed found in %d stories, want 1", n)
	}
	must(t, s.Close())

	s, err = Open(path, Options{})
	must(t, err)
	defer s.Close()
	indexIsSound(t, s)
	for _, q := range append(maskedQueries, "invoice") {
		want := 0
		if q == "invoice" {
			want = 1
		}
		if n := len(titles(t, s, SearchQuery{Text: q})); n != want {
			t.Errorf("after the step, a search for %s found %d stories, want %d", q, n, want)
		}
	}
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?"
	if s.d == postgresDialect {
		q = "SELECT count(*) FROM pg_trigger WHERE tgname LIKE ?"
	}
	var v4 int64
	must(t, s.r.Raw(q, v4Triggers+"%").Scan(&v4).Error)
	if v4 != 0 {
		t.Errorf("%d triggers of step 1 left", v4)
	}
}
