package models

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

func TestShardsOfASpan(t *testing.T) {
	for _, c := range []struct {
		lo, hi uint
		want   []searchShard
	}{
		{1, 1000, []searchShard{{0, 1, 1000}}},
		{3000, 4095, []searchShard{{0, 3000, 4095}}},
		{4000, 4999, []searchShard{{1, 4096, 4999}, {0, 4000, 4095}}},
		{4096, 5095, []searchShard{{1, 4096, 5095}}},
		{1, 9000, []searchShard{{2, 8192, 9000}, {1, 4096, 8191}, {0, 1, 4095}}},
	} {
		if got := sqliteDialect.shards(c.lo, c.hi); !reflect.DeepEqual(got, c.want) {
			t.Errorf("shards(%d, %d) = %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
	if got := postgresDialect.shards(4000, 4999); !reflect.DeepEqual(got, []searchShard{{0, 4000, 4999}}) {
		t.Errorf("on PostgreSQL, shards(4000, 4999) = %v, want the whole span", got)
	}
}

// storyIDsFrom makes the next story's id next.
func storyIDsFrom(t *testing.T, s *Store, next uint) {
	t.Helper()
	if s.d == postgresDialect {
		must(t, s.w.Exec("SELECT setval(pg_get_serial_sequence('stories', 'id'), ?)", next-1).Error)
		return
	}
	must(t, s.w.Exec("DELETE FROM sqlite_sequence WHERE name = 'stories'").Error)
	must(t, s.w.Exec("INSERT INTO sqlite_sequence(name, seq) VALUES ('stories', ?)", next-1).Error)
}

// shardedWorld publishes stories 4090 to 4101 ("Guichet n", the word in
// the title, one approved comment each saying "rappel n"), across the
// first two shards.
func shardedWorld(t *testing.T) *world {
	w := newWorld(t)
	w.story(t, "Premier guichet", "Il y a longtemps.", "", "") // id 1, shard 0
	storyIDsFrom(t, w.s, 4090)
	for i := range 12 {
		st := w.story(t, fmt.Sprintf("Guichet %d", 4090+i), "Une file d'attente.", "", "")
		if st.ID != uint(4090+i) {
			t.Fatalf("story id %d, want %d", st.ID, 4090+i)
		}
		_, err := w.s.AddComment(context.Background(), CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.com",
			Body: fmt.Sprintf("Un rappel %d", st.ID), Status: CommentApproved})
		must(t, err)
	}
	return w
}

// inOwnShards checks on SQLite that each row of both index tables is found
// in the shard of its story, and only there.
func inOwnShards(t *testing.T, s *Store) {
	t.Helper()
	if s.d == postgresDialect {
		return
	}
	for _, q := range []string{
		`SELECT count(*) FROM story_search_text x WHERE NOT EXISTS (SELECT 1 FROM story_search
			WHERE story_search MATCH 'guichet OR premier' AND lid = x.docid >> 12 AND docid = x.docid)`,
		`SELECT count(*) FROM comment_search_text x WHERE NOT EXISTS (SELECT 1 FROM comment_search
			WHERE comment_search MATCH 'rappel' AND lid = x.docid >> 44 AND docid = x.docid)`,
	} {
		var n int64
		must(t, s.r.Raw(q).Scan(&n).Error)
		if n != 0 {
			t.Errorf("%d rows not found in their shard: %s", n, q)
		}
	}
	var n int64
	must(t, s.r.Raw("SELECT count(*) FROM story_search WHERE story_search MATCH 'guichet' AND lid = 0").Scan(&n).Error)
	if n != 7 { // 1 and 4090-4095
		t.Errorf("shard 0 holds %d stories with the word, want 7", n)
	}
}

// TestSearchAcrossShards: a search whose span, or whose window, crosses a
// shard's edge finds the stories of both shards, newest first, by their
// text and by their comments.
func TestSearchAcrossShards(t *testing.T) {
	w := shardedWorld(t)
	indexIsSound(t, w.s)
	inOwnShards(t, w.s)
	// The span of 1,000 stories back from the newest holds 4090 to 4101,
	// ranked alike and so newest first by publication (4090 is the newest).
	var want []string
	for id := 4090; id <= 4101; id++ {
		want = append(want, fmt.Sprintf("Guichet %d", id))
	}
	res, err := w.s.Search(context.Background(), SearchQuery{Text: "guichet", PerPage: 50})
	must(t, err)
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.Story.Title)
	}
	if !slices.Equal(got, want) || res.Older != 4101-SearchSpan+1 {
		t.Errorf("a search across two shards found %q, older %d; want %q, the span's first", got, res.Older, want)
	}
	if got := titles(t, w.s, SearchQuery{Text: "guichet", Before: res.Older}); !slices.Equal(got, []string{"Premier guichet"}) {
		t.Errorf("the next, older span: %q", got)
	}
	for _, q := range []string{"4094", "4097"} { // a comment each side of the edge
		if got := titles(t, w.s, SearchQuery{Text: "rappel " + q}); !slices.Equal(got, []string{"Guichet " + q}) {
			t.Errorf("the comment of story %s: found %q", q, got)
		}
	}

	// A window smaller than the span ends in the older shard, and the
	// next search starts where it ended.
	defer func(n int) { searchWindow = n }(searchWindow)
	searchWindow = 8
	res, err = w.s.Search(context.Background(), SearchQuery{Text: "file"})
	must(t, err)
	if res.Total != 8 || !res.More || res.Older != 4094 {
		t.Fatalf("a window of 8: %d stories, more %v, older %d; want 8, true, 4094", res.Total, res.More, res.Older)
	}
	res, err = w.s.Search(context.Background(), SearchQuery{Text: "file", Before: res.Older})
	must(t, err)
	if res.Total != 4 || res.More {
		t.Errorf("the next window: %d stories, more %v; want 4 (4090-4093), false", res.Total, res.More)
	}

	// Writes that move a story's rows keep them in its shard.
	ctx := context.Background()
	must(t, w.s.UnpublishStory(ctx, 4097, w.author.ID))
	_, err = w.s.SubmitStory(ctx, 4097, w.author.ID)
	must(t, err)
	indexIsSound(t, w.s)
	inOwnShards(t, w.s)
	if got := titles(t, w.s, SearchQuery{Text: "rappel 4097"}); !slices.Equal(got, []string{"Guichet 4097"}) {
		t.Errorf("after unpublishing and publishing again: found %q", got)
	}
}

// TestShardMigration: a database whose index is step 1's, in one piece,
// has it made again in shards by the step, and finds what it found before.
func TestShardMigration(t *testing.T) {
	onPostgres(t, "SQLite's index tables (PostgreSQL's step only replaces views and triggers, run by every test there)")
	w := shardedWorld(t)
	var path string
	must(t, w.s.r.Raw("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path).Error)
	// Back to the step before: step 1's tables and the triggers of the
	// masked comments, without the lid columns.
	var stmts []string
	for _, tr := range searchTriggers {
		stmts = append(stmts, "DROP TRIGGER "+searchTriggerVersion+tr.name)
	}
	stmts = append(stmts, "DROP TABLE story_search", "DROP TABLE comment_search",
		"ALTER TABLE story_search_text DROP COLUMN lid", "ALTER TABLE comment_search_text DROP COLUMN lid",
		searchTable, commentSearchTable,
		"INSERT INTO story_search(story_search) VALUES('rebuild')", "INSERT INTO comment_search(comment_search) VALUES('rebuild')")
	for _, tr := range v5SearchTriggers {
		stmts = append(stmts, searchTriggerSQL(v5Triggers, tr))
	}
	must(t, execAll(w.s.w, stmts))
	must(t, w.s.w.Exec("UPDATE schema_version SET version = ?", len(migrations)-1).Error)
	var n int64
	must(t, w.s.r.Raw("SELECT count(*) FROM story_search WHERE story_search MATCH 'guichet'").Scan(&n).Error)
	if n != 13 {
		t.Fatalf("before the step, the index in one piece finds %d stories, want 13", n)
	}
	must(t, w.s.Close())

	s, err := Open(path, Options{})
	must(t, err)
	defer s.Close()
	indexIsSound(t, s)
	inOwnShards(t, s)
	if got := titles(t, s, SearchQuery{Text: "guichet", PerPage: 50}); len(got) != 12 {
		t.Errorf("after the step, a search finds %d stories, want 12", len(got))
	}
	if got := titles(t, s, SearchQuery{Text: "guichet", Before: 4090}); !slices.Equal(got, []string{"Premier guichet"}) {
		t.Errorf("after the step, the older span: %q", got)
	}
	if got := titles(t, s, SearchQuery{Text: "rappel 4097"}); !slices.Equal(got, []string{"Guichet 4097"}) {
		t.Errorf("after the step, a comment's search found %q", got)
	}
	var old int64
	must(t, s.r.Raw("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?", v5Triggers+"%").Scan(&old).Error)
	if old != 0 {
		t.Errorf("%d triggers of the step before left", old)
	}
}
