package models

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// A bulk load runs only into a SQLite site without stories; after it, the
// site's triggers are back: a story written next is counted and found.
func TestBulkLoad(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	ann := newUser(t, s, "ann", RoleAuthor)
	bulk, err := s.BeginBulk(ctx)
	if s.d == postgresDialect {
		if !errors.Is(err, ErrBulkUnsupported) {
			t.Fatalf("bulk load on PostgreSQL: %v, want ErrBulkUnsupported", err)
		}
		return
	}
	must(t, err)
	when := testNow.Add(-time.Hour)
	b, err := PrepareImport([]ImportStory{{Story: StoryInput{Title: "Loaded in bulk", Body: "A ferry story.", AuthorID: ann.ID,
		Status: StatusPublished, PublishedAt: &when, Tags: []string{"ferry"}},
		Comments: []ImportComment{{Parent: -1, AuthorName: "Guest", Body: "Same on the lagoon.", Status: CommentApproved}}}})
	must(t, err)
	must(t, bulk.Add(ctx, b))
	must(t, bulk.Finish(ctx))
	if _, err := s.BeginBulk(ctx); !errors.Is(err, ErrBulkUnsupported) {
		t.Errorf("bulk load into a site with stories: %v, want ErrBulkUnsupported", err)
	}
	newStory(t, s, ann, "Written after the ferry", time.Time{})
	page, err := s.PublishedStories(ctx, StoryFilter{}, 1)
	must(t, err)
	if page.Total != 2 {
		t.Errorf("%d published stories counted, want 2", page.Total)
	}
	for q, want := range map[string]int{"ferry": 2, "lagoon": 1} {
		res, err := s.Search(ctx, SearchQuery{Text: q})
		must(t, err)
		if res.Total != want {
			t.Errorf("search %q: %d stories, want %d", q, res.Total, want)
		}
	}
}

// A bulk load cut short (here its Finish cancelled, as an interrupted seed
// is) leaves a file without its triggers and indexes, which Open refuses
// with what to do; a finished one opens.
func TestBulkLoadCutShortIsRefused(t *testing.T) {
	onPostgres(t, "a bulk load runs on SQLite alone")
	for _, finish := range []bool{false, true} {
		path := testDatabase(t)
		s, err := Open(path, Options{})
		must(t, err)
		ann := newUser(t, s, "ann", RoleAuthor)
		bulk, err := s.BeginBulk(t.Context())
		must(t, err)
		when := testNow.Add(-time.Hour)
		b, err := PrepareImport([]ImportStory{{Story: StoryInput{Title: "Half loaded", Body: "A ferry story.", AuthorID: ann.ID,
			Status: StatusPublished, PublishedAt: &when}}})
		must(t, err)
		must(t, bulk.Add(t.Context(), b))
		ctx, cancel := context.WithCancel(t.Context())
		if !finish {
			cancel()
		}
		if err := bulk.Finish(ctx); (err == nil) != finish {
			t.Fatalf("finish (cancelled %v): %v", !finish, err)
		}
		cancel()
		must(t, s.Close())
		s, err = Open(path, Options{})
		switch {
		case finish && err != nil:
			t.Errorf("a finished bulk load: %v", err)
		case !finish && (!errors.Is(err, ErrBulkUnfinished) || !strings.Contains(err.Error(), "seed again")):
			t.Errorf("a bulk load cut short opens with %v, want ErrBulkUnfinished", err)
		}
		if s != nil {
			must(t, s.Close())
		}
	}
}
