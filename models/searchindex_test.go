package models

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// indexIsSound runs FTS4's integrity check on both index tables: each must
// hold exactly the words of its text table, which the triggers keep (an
// external-content index whose text changed before its words were removed
// would fail it).
func indexIsSound(t *testing.T, s *Store) {
	t.Helper()
	if s.d == postgresDialect {
		return // the words are a generated column of the text: always in step
	}
	for _, table := range []string{"story_search", "comment_search"} {
		if err := s.w.Exec("INSERT INTO " + table + "(" + table + ") VALUES('integrity-check')").Error; err != nil {
			t.Errorf("%s: %v", table, err)
		}
	}
}

// TestCommentIndexFollowsWrites checks comment_search: approved comments of
// published stories only, following moderation, edits, unpublishing and
// deletion.
func TestCommentIndexFollowsWrites(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	st := w.story(t, "Le compteur", "Il tourne trop vite.", "", "")
	rows := func() (n int64) {
		must(t, w.s.r.Raw("SELECT count(*) FROM comment_search").Scan(&n).Error)
		return n
	}
	find := func(q string) int {
		indexIsSound(t, w.s)
		return len(titles(t, w.s, SearchQuery{Text: q}))
	}
	c, err := w.s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.com", Body: "Le technicien est venu", Status: CommentApproved})
	must(t, err)
	held, err := w.s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.com", Body: "Un plombier aussi", Status: CommentPending})
	must(t, err)
	if find("technicien") != 1 || find("plombier") != 0 || rows() != 1 {
		t.Fatalf("approved found %d, held found %d, %d rows: want 1, 0, 1", find("technicien"), find("plombier"), rows())
	}
	must(t, w.s.UnpublishStory(ctx, st.ID, w.author.ID))
	if find("technicien") != 0 || rows() != 0 {
		t.Errorf("the comments of an unpublished story: found %d, %d rows", find("technicien"), rows())
	}
	_, err = w.s.SubmitStory(ctx, st.ID, w.author.ID)
	must(t, err)
	if find("technicien") != 1 || find("plombier") != 0 || rows() != 1 {
		t.Errorf("published again: found %d and %d, %d rows", find("technicien"), find("plombier"), rows())
	}
	must(t, w.s.SetCommentStatus(ctx, held.ID, CommentApproved))
	must(t, w.s.SetCommentStatus(ctx, c.ID, CommentTrash))
	if find("technicien") != 0 || find("plombier") != 1 || rows() != 1 {
		t.Errorf("after moderation: found %d and %d, %d rows", find("technicien"), find("plombier"), rows())
	}
	must(t, w.s.DeleteStory(ctx, st.ID, w.author.ID))
	if rows() != 0 {
		t.Errorf("%d comment rows left after the story was deleted", rows())
	}
}

// TestSearchTermsInStoryOrInOneComment pins what comment_search changed: a
// story matches when its own text holds every term, or one of its comments
// does; terms split between the story and a comment no longer match.
func TestSearchTermsInStoryOrInOneComment(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	st := w.story(t, "Le guichet", "Fermé le lundi.", "", "")
	_, err := w.s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.com", Body: "Et le mardi, le guichet était fermé aussi.", Status: CommentApproved})
	must(t, err)
	res, err := w.s.Search(ctx, SearchQuery{Text: "mardi guichet"})
	must(t, err)
	if len(res.Hits) != 1 || !res.Hits[0].InComments || res.Hits[0].Snippet == "" {
		t.Fatalf("terms in one comment: %+v", res.Hits)
	}
	if got := titles(t, w.s, SearchQuery{Text: "mardi lundi"}); len(got) != 0 {
		t.Errorf("terms split between story and comment matched: %q", got)
	}
	if got := titles(t, w.s, SearchQuery{Text: "guichet"}); len(got) != 1 {
		t.Errorf("a story matched by itself and a comment is listed %d times", len(got))
	}
}

// TestSearchLongerWordsOnlyWhenNothingMatches: a word typed alone finds
// longer words only when no story holds the word itself.
func TestSearchLongerWordsOnlyWhenNothingMatches(t *testing.T) {
	w := newWorld(t)
	w.story(t, "Les guichets", "Tous fermés.", "", "")
	for range 3 {
		w.story(t, "Un guichet", "Fermé.", "", "")
	}
	if got := titles(t, w.s, SearchQuery{Text: "guichet"}); len(got) != 3 {
		t.Errorf("guichet: %q, want the three stories with the word itself", got)
	}
	if got := titles(t, w.s, SearchQuery{Text: "guich"}); len(got) != 4 {
		t.Errorf("guich: %q, want the four stories with words that begin so", got)
	}
	if got := titles(t, w.s, SearchQuery{Text: `"guich"`}); len(got) != 0 {
		t.Errorf(`"guich" (quoted: the word itself): %q`, got)
	}
}

// TestOldSearchIndexIsRebuilt opens a database from before schema versions
// whose index is the one-table FTS4 of earlier releases: it is replaced
// once, comments included.
func TestOldSearchIndexIsRebuilt(t *testing.T) {
	onPostgres(t, "the FTS4 index of SQLite releases from before schema versions")
	w := newWorld(t)
	var path string
	must(t, w.s.r.Raw("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path).Error)
	ctx := context.Background()
	st := w.story(t, "Le facteur", "Il est passé.", "", "")
	_, err := w.s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.com", Body: "Un recommandé perdu", Status: CommentApproved})
	must(t, err)
	must(t, w.s.w.Exec("DROP TABLE story_search").Error)
	must(t, w.s.w.Exec("DROP TABLE comment_search").Error)
	must(t, w.s.w.Exec(`CREATE VIRTUAL TABLE story_search USING fts4(title, body, tags, company, comments)`).Error)
	must(t, w.s.w.Exec("DROP TABLE schema_version").Error)
	must(t, w.s.Close())
	s, err := Open(path, Options{})
	must(t, err)
	defer s.Close()
	for _, q := range []string{"facteur", "recommande"} {
		if got := titles(t, s, SearchQuery{Text: q}); len(got) != 1 {
			t.Errorf("%s after the rebuild: %q", q, got)
		}
	}
}

func TestSnippet(t *testing.T) {
	match, _ := ParseSearch(`resili "lettre recommandee" ou`)
	terms := snippetTerms(match)
	for _, tc := range []struct{ in, want string }{
		{"J'ai résilié par lettre recommandée, ou presque.", "J&#39;ai <mark>résilié</mark> par <mark>lettre</mark> <mark>recommandée</mark>, <mark>ou</mark> presque."},
		{"Une lettre puis recommandée ? Non : où.", "Une lettre puis recommandée ? Non : <mark>où</mark>."},
		{"OUI", "OUI"},
	} {
		if got := highlightAll(tc.in, terms); got != tc.want {
			t.Errorf("highlightAll(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := "début " + strings.Repeat("mot ", 50) + "résilier " + strings.Repeat("fin ", 50)
	if got := snippet(long, terms, 8); !strings.HasPrefix(got, "…mot mot mot <mark>résilier</mark>") || !strings.HasSuffix(got, "fin…") {
		t.Errorf("snippet around the match: %q", got)
	}
	far := strings.Repeat("mot ", 1000) + "résilier fin"
	if got := snippet(far, terms, 8); !strings.HasSuffix(got, "mot <mark>résilier</mark> fin") {
		t.Errorf("snippet of a match past the head: %q", got)
	}
	if got := snippet("résilier "+far, terms, 8); got != "<mark>résilier</mark> mot mot mot mot mot mot mot…" {
		t.Errorf("snippet of a match in the head of a long text: %q", got)
	}
	if got := snippet("court", terms, 8); got != "court" {
		t.Errorf("snippet without a match: %q", got)
	}
}

// TestSearchCommentsRankLast: a story found by its comments only ranks
// below the stories found by their text, and is left out when those fill
// the window.
func TestSearchCommentsRankLast(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	defer func(n int) { searchWindow = n }(searchWindow)
	searchWindow = 3
	w.story(t, "Premier", "Un guichet.", "", "")
	w.story(t, "Deuxième", "Le guichet.", "", "")
	st := w.story(t, "Troisième", "Rien.", "", "")
	for range 4 {
		_, err := w.s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.com", Body: "Guichet, guichet, guichet.", Status: CommentApproved})
		must(t, err)
	}
	if got := titles(t, w.s, SearchQuery{Text: "guichet"}); len(got) != 3 || got[2] != "Troisième" {
		t.Errorf("comments-only match: %q, want it last", got)
	}
	w.story(t, "Quatrième", "Guichet.", "", "")
	w.story(t, "Cinquième", "Guichet.", "", "")
	res, err := w.s.Search(ctx, SearchQuery{Text: "guichet"})
	must(t, err)
	for _, h := range res.Hits {
		if h.Story.ID == st.ID {
			t.Errorf("the stories' text fills the window, yet the comments-only match is listed")
		}
	}
	if !res.More {
		t.Error("more stories match than the window holds: More is false")
	}
}

// TestSearchSpans: a search reads one span of stories back from the newest
// and says where the next, older one begins; following Older reaches every
// match once, comments included, and the last span says it is the last.
func TestSearchSpans(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.s.span = 3
	var stories []*Story // oldest first
	for i, body := range []string{"Un guichet.", "Rien.", "Le guichet.", "Rien.", "Rien.", "Rien.", "Un guichet.", "Rien."} {
		stories = append(stories, w.story(t, fmt.Sprintf("Histoire %d", i), body, "", ""))
	}
	// A comment on a story of the middle span: found with that span only.
	_, err := w.s.AddComment(ctx, CommentInput{StoryID: stories[4].ID, AuthorName: "Guest", AuthorEmail: "g@example.com", Body: "Quel guichet !", Status: CommentApproved})
	must(t, err)
	var found []string
	var before uint
	for step := 0; ; step++ {
		res, err := w.s.Search(ctx, SearchQuery{Text: "guichet", Before: before})
		must(t, err)
		for _, h := range res.Hits {
			found = append(found, h.Story.Title)
		}
		if (before == 0) != res.Until.IsZero() {
			t.Errorf("step %d: until %v, want a date on every span but the first", step, res.Until)
		}
		if (res.Older == 0) != res.Since.IsZero() {
			t.Errorf("step %d: since %v, older %d: want a date on every span but the last", step, res.Since, res.Older)
		}
		if res.Older == 0 {
			break
		}
		if before != 0 && res.Older >= before || step > 3 {
			t.Fatalf("step %d: older %d after before %d", step, res.Older, before)
		}
		before = res.Older
	}
	// In the middle span, the story found by its text ranks above the one
	// found by a comment.
	want := []string{"Histoire 6", "Histoire 2", "Histoire 4", "Histoire 0"}
	if strings.Join(found, ",") != strings.Join(want, ",") {
		t.Errorf("spans found %q, want %q", found, want)
	}
	// The first span holds stories 5 to 7: one match, and older stories.
	res, err := w.s.Search(ctx, SearchQuery{Text: "guichet"})
	must(t, err)
	if res.Total != 1 || res.More || res.Older != stories[5].ID {
		t.Errorf("first span: total %d, more %v, older %d: want 1, false, %d", res.Total, res.More, res.Older, stories[5].ID)
	}
	// A span with no match still leads to the older ones.
	res, err = w.s.Search(ctx, SearchQuery{Text: "histoire 0"})
	must(t, err)
	if res.Total != 0 || res.Older != stories[5].ID {
		t.Errorf("histoire 0 in the first span: total %d, older %d, want 0, %d", res.Total, res.Older, stories[5].ID)
	}
	res, err = w.s.Search(ctx, SearchQuery{Text: "histoire", Before: stories[0].ID})
	must(t, err)
	if res.Total != 0 || res.Older != 0 {
		t.Errorf("before the oldest story: total %d, older %d, want nothing", res.Total, res.Older)
	}
}

// TestSearchWindowEndsTheSpan: when the window fills before the span ends,
// the next search starts below the oldest story ranked, so nothing is
// skipped or listed twice.
func TestSearchWindowEndsTheSpan(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	defer func(n int) { searchWindow = n }(searchWindow)
	searchWindow = 2
	for i := range 5 {
		w.story(t, fmt.Sprintf("Guichet %d", i), "Fermé.", "", "")
	}
	seen := map[string]bool{}
	var before uint
	for range 5 {
		res, err := w.s.Search(ctx, SearchQuery{Text: "guichet", Before: before})
		must(t, err)
		for _, h := range res.Hits {
			if seen[h.Story.Title] {
				t.Errorf("%s listed twice", h.Story.Title)
			}
			seen[h.Story.Title] = true
		}
		if res.Older == 0 {
			break
		}
		before = res.Older
	}
	if len(seen) != 5 {
		t.Errorf("found %d of 5 stories by following Older", len(seen))
	}
}
