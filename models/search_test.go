package models

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// world is a small site: one author, two categories, two companies.
type world struct {
	s          *Store
	author     *User
	cats       map[string]*Category
	companies  map[string]*Company
	storyCount int
}

func newWorld(t testing.TB) *world {
	t.Helper()
	s, _ := newTestStore(t)
	w := &world{s: s, cats: map[string]*Category{}, companies: map[string]*Company{}}
	ctx := context.Background()
	w.author = &User{Handle: "margot", Name: "Margot", Role: RoleAuthor}
	must(t, w.s.CreateUser(ctx, w.author))
	for _, n := range []string{"Telecom", "Transport"} {
		c := &Category{Name: n}
		must(t, w.s.CreateCategory(ctx, c))
		w.cats[c.Slug] = c
	}
	for _, n := range []string{"Orange", "Vélib'"} {
		c := &Company{Name: n}
		must(t, w.s.CreateCompany(ctx, c))
		w.companies[c.Slug] = c
	}
	return w
}

// story publishes a story; cat and company are slugs or "".
func (w *world) story(t testing.TB, title, body, cat, company string, tags ...string) *Story {
	t.Helper()
	w.storyCount++
	at := testNow.Add(-time.Duration(w.storyCount) * time.Hour)
	in := StoryInput{Title: title, Body: body, AuthorID: w.author.ID, Tags: tags, Status: StatusPublished, PublishedAt: &at}
	if c := w.cats[cat]; c != nil {
		in.CategoryIDs = []uint{c.ID}
	}
	if c := w.companies[company]; c != nil {
		in.CompanyID = &c.ID
	}
	st, err := w.s.CreateStory(context.Background(), in)
	must(t, err)
	return st
}

func titles(t *testing.T, s *Store, q SearchQuery) []string {
	t.Helper()
	res, err := s.Search(context.Background(), q)
	must(t, err)
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Story.Title)
	}
	return out
}

func TestParseSearch(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"  ?!*** ", ""},
		{`Orange box`, `"orange*" "box*"`},
		{`"résilié le contrat" orange`, `"résilié le contrat" "orange*"`},
		{`title:x AND NEAR(a b) -c*`, `"title*" "x" "and*" "near*" "a" "b" "c"`},
		{`"unclosed phrase`, `"unclosed phrase"`},
		{"caf\xff\xfeé", `"caf*" "é"`},
		{`""`, ``},
	} {
		if got, _ := ParseSearch(tc.in); got != tc.want {
			t.Errorf("ParseSearch(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long, _ := ParseSearch(strings.Repeat("mot ", 2000))
	if n := strings.Count(long, `"`) / 2; n != maxQueryWords {
		t.Errorf("a long query kept %d words, want %d", n, maxQueryWords)
	}
}

func TestSearchRankingAccentsPhrases(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.story(t, "Une box qui ne marche pas", "J'ai voulu résilier mon abonnement Livebox chez le fournisseur.", "telecom", "orange", "internet")
	w.story(t, "Résilier chez Orange", "Rien de spécial ici.", "telecom", "orange")
	w.story(t, "Un vélo en panne", "La borne refusait le vélo.", "transport", "velib", "vélo")
	w.story(t, "Contrat résilié", "Le contrat a été résilié sans préavis.", "telecom", "")

	// Title matches first, although the first story is newer than the second.
	if got := titles(t, w.s, SearchQuery{Text: "resilier"}); len(got) != 2 || got[0] != "Résilier chez Orange" {
		t.Errorf("resilier: %q, want the title match first", got)
	}
	// "resilie" is a word: it finds résilié, not the longer résilier.
	if got := titles(t, w.s, SearchQuery{Text: "resilie"}); len(got) != 1 || got[0] != "Contrat résilié" {
		t.Errorf("resilie (no accent): %q", got)
	}
	// A word alone that no story holds is taken as the start of longer
	// words: "resili" finds résilié and résilier, title matches first.
	if got := titles(t, w.s, SearchQuery{Text: "resili"}); len(got) != 3 || got[2] != "Une box qui ne marche pas" {
		t.Errorf("resili (a prefix): %q", got)
	}
	if got := titles(t, w.s, SearchQuery{Text: `"resilie"`}); len(got) != 1 || got[0] != "Contrat résilié" {
		t.Errorf(`"resilie" (quoted: the word itself): %q`, got)
	}
	if got := titles(t, w.s, SearchQuery{Text: "velib"}); len(got) != 1 || got[0] != "Un vélo en panne" {
		t.Errorf("velib finds the company Vélib': %q", got)
	}
	if got := titles(t, w.s, SearchQuery{Text: `"été résilié"`}); len(got) != 1 {
		t.Errorf("phrase: %q", got)
	}
	if got := titles(t, w.s, SearchQuery{Text: `"résilié été"`}); len(got) != 0 {
		t.Errorf("words out of order are not the phrase: %q", got)
	}
	if got := titles(t, w.s, SearchQuery{Text: "internet"}); len(got) != 1 {
		t.Errorf("tags are searched: %q", got)
	}
	if got := titles(t, w.s, SearchQuery{Text: "contrat", CompanyID: w.companies["orange"].ID}); len(got) != 0 {
		t.Errorf("company filter: %q", got)
	}
	if got := titles(t, w.s, SearchQuery{Text: "vélo", CategoryID: w.cats["telecom"].ID}); len(got) != 0 {
		t.Errorf("category filter: %q", got)
	}
	if got := titles(t, w.s, SearchQuery{Text: "vélo", CategoryID: w.cats["transport"].ID}); len(got) != 1 {
		t.Errorf("category filter keeps: %q", got)
	}
	res, err := w.s.Search(ctx, SearchQuery{Text: "résilier"})
	must(t, err)
	if h := res.Hits[1]; !strings.Contains(h.Snippet, "<mark>résilier</mark>") {
		t.Errorf("snippet %q lacks the highlighted word", h.Snippet)
	}
	if h := res.Hits[0]; h.Title != "<mark>Résilier</mark> chez Orange" {
		t.Errorf("title %q", h.Title)
	}
}

func TestSearchEscapesSnippets(t *testing.T) {
	w := newWorld(t)
	w.story(t, "<b>bold</b> & co", "Some `<script>alert(1)</script>` in code and the word target.", "", "")
	res, err := w.s.Search(context.Background(), SearchQuery{Text: "target script"})
	must(t, err)
	if len(res.Hits) != 1 {
		t.Fatalf("hits: %d", len(res.Hits))
	}
	h := res.Hits[0]
	for _, s := range []string{h.Title, h.Snippet} {
		if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(s, "<mark>", ""), "</mark>", ""), "<") {
			t.Errorf("unescaped markup in %q", s)
		}
	}
}

func TestSearchPagination(t *testing.T) {
	w := newWorld(t)
	for i := range 23 {
		w.story(t, fmt.Sprintf("Story %d", i), "the word guichet", "", "")
	}
	res, err := w.s.Search(context.Background(), SearchQuery{Text: "guichet", Page: 3})
	must(t, err)
	if res.Total != 23 || res.Pages != 3 || len(res.Hits) != 3 {
		t.Errorf("page 3: total %d pages %d hits %d", res.Total, res.Pages, len(res.Hits))
	}
	if _, err := w.s.Search(context.Background(), SearchQuery{Text: "guichet", Page: 4}); !errors.Is(err, ErrNotFound) {
		t.Errorf("page 4: %v, want ErrNotFound", err)
	}
}

func TestSearchIndexFollowsWrites(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	st := w.story(t, "Le facteur", "Il est passé.", "", "", "poste")
	find := func(q string) int {
		indexIsSound(t, w.s)
		return len(titles(t, w.s, SearchQuery{Text: q}))
	}
	if find("facteur") != 1 || find("poste") != 1 {
		t.Fatal("a new story is not indexed")
	}
	_, err := w.s.UpdateStory(ctx, st.ID, w.author.ID, StoryInput{Title: "Le livreur", Body: "Il a sonné.", Tags: []string{"poste"}})
	must(t, err)
	if find("facteur") != 0 || find("livreur") != 1 || find("sonne") != 1 || find("passe") != 0 {
		t.Error("the index did not follow an edit")
	}
	c, err := w.s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.com", Body: "Même chose avec un recommandé", Status: CommentPending})
	must(t, err)
	if find("recommande") != 0 {
		t.Error("a pending comment is searchable")
	}
	must(t, w.s.SetCommentStatus(ctx, c.ID, CommentApproved))
	if find("recommande") != 1 {
		t.Error("an approved comment is not searchable")
	}
	if find("example") != 0 {
		t.Error("a guest's email is in the index")
	}
	must(t, w.s.SetCommentStatus(ctx, c.ID, CommentSpam))
	if find("recommande") != 0 {
		t.Error("a comment marked spam is still searchable")
	}
	must(t, w.s.UnpublishStory(ctx, st.ID, w.author.ID))
	if find("livreur") != 0 {
		t.Error("an unpublished story is still found")
	}
	_, err = w.s.SubmitStory(ctx, st.ID, w.author.ID)
	must(t, err)
	if find("livreur") != 1 || find("poste") != 1 {
		t.Error("a story published again is not found")
	}
	must(t, w.s.DeleteStory(ctx, st.ID, w.author.ID))
	if find("livreur") != 0 {
		t.Error("a deleted story is still found")
	}
	var n int64
	must(t, w.s.r.Raw("SELECT count(*) FROM story_search").Scan(&n).Error)
	if n != 0 {
		t.Errorf("%d rows left in the index", n)
	}
}

func TestSiteChangedAtMoves(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	before, err := w.s.SiteChangedAt(ctx)
	must(t, err)
	time.Sleep(5 * time.Millisecond)
	w.story(t, "Nouveau", "texte", "", "")
	after, err := w.s.SiteChangedAt(ctx)
	must(t, err)
	if !after.After(before) {
		t.Errorf("changed_at %v did not move after %v", after, before)
	}
}

// BenchmarkSearch searches 3,000 stories for a word in about a third of them.
func BenchmarkSearch(b *testing.B) {
	w := newWorld(b)
	words := []string{"guichet", "conseiller", "abonnement", "facture", "résiliation", "livraison", "remboursement", "préfecture", "dossier"}
	for i := range 3000 {
		body := fmt.Sprintf("Histoire %d : %s, puis %s et encore %s. %s", i,
			words[i%9], words[(i*7)%9], words[(i*5)%9], strings.Repeat("Du texte ordinaire pour remplir le récit. ", 20))
		w.story(b, fmt.Sprintf("Mon %s numéro %d", words[(i*3)%9], i), body, "telecom", "orange", words[i%9])
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		res, err := w.s.Search(ctx, SearchQuery{Text: "facture résiliation"})
		if err != nil || len(res.Hits) == 0 {
			b.Fatal(err, res.Total)
		}
	}
}

// BenchmarkSearchSeeded searches the database at DOLEANCES_BENCH_DB (one
// made by "doleances seed", such as the one BenchmarkServe caches) with the
// queries people type, one at a time, and reports the median and 99th
// percentile. Without the variable it is skipped.
func BenchmarkSearchSeeded(b *testing.B) {
	path := os.Getenv("DOLEANCES_BENCH_DB")
	if path == "" {
		b.Skip("DOLEANCES_BENCH_DB is not set")
	}
	s, err := Open(path, Options{})
	must(b, err)
	defer s.Close()
	queries := []string{"orange", "résiliation", "hotline", "refund deposit", `"registered letter"`, "ikea kitchen",
		"velib", "ombudsman", "prefecture titre de séjour", "lost parcel chronopost", "box internet", "overbilling"}
	ctx := context.Background()
	var took []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t := time.Now()
		if _, err := s.Search(ctx, SearchQuery{Text: queries[i%len(queries)]}); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t))
	}
	b.StopTimer()
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

func TestSearchRanksTheNewestWindow(t *testing.T) {
	w := newWorld(t)
	defer func(n int) { searchWindow = n }(searchWindow)
	searchWindow = 4
	for i := range 6 {
		w.story(t, fmt.Sprintf("Guichet %d", i), "Un guichet fermé.", "", "")
	}
	w.story(t, "Rien à voir", "Le guichet, encore.", "", "")
	res, err := w.s.Search(context.Background(), SearchQuery{Text: "guichet", PerPage: 2})
	must(t, err)
	if !res.More || res.Total != 4 || res.Pages != 2 {
		t.Fatalf("total %d, more %v, pages %d: want the 4 newest of 7 matches, and more", res.Total, res.More, res.Pages)
	}
	// The window holds the four last written (Guichet 3 to 5, Rien à voir);
	// those with the word in their title come first, most recently published
	// first (this world publishes each story an hour before the previous one).
	if got := res.Hits[0].Story.Title; got != "Guichet 3" {
		t.Errorf("first hit %q, want Guichet 3", got)
	}
	res, err = w.s.Search(context.Background(), SearchQuery{Text: "guichet", PerPage: 2, Page: 2})
	must(t, err)
	if got := res.Hits[len(res.Hits)-1].Story.Title; got != "Rien à voir" {
		t.Errorf("last hit %q, want the story without the word in its title", got)
	}
	if _, err := w.s.Search(context.Background(), SearchQuery{Text: "guichet", PerPage: 2, Page: 3}); !errors.Is(err, ErrNotFound) {
		t.Errorf("page past the window: %v, want ErrNotFound", err)
	}
	searchWindow = 10
	if res, err := w.s.Search(context.Background(), SearchQuery{Text: "guichet"}); err != nil || res.More || res.Total != 7 {
		t.Errorf("all matches in the window: total %d, more %v (%v)", res.Total, res.More, err)
	}
}

// TestReindexLooksStoriesUp checks the plan of the search triggers' insert:
// it must look the stories up by id, not scan every published story, which
// made each comment cost in proportion to the size of the site.
func TestReindexLooksStoriesUp(t *testing.T) {
	onPostgres(t, "the plan of SQLite's search triggers")
	s, _ := newTestStore(t)
	for _, ids := range []string{"SELECT 1", "SELECT 1 UNION SELECT 2"} {
		q := strings.SplitAfter(sharded.reindexFor(ids), ";")[2]
		q = strings.Replace(q, "INSERT INTO story_search_text(docid, title, body, tags, company)", "", 1)
		var plan []struct{ Detail string }
		must(t, s.r.Raw("EXPLAIN QUERY PLAN "+q).Scan(&plan).Error)
		found := false
		for _, p := range plan {
			if strings.Contains(p.Detail, "st USING INTEGER PRIMARY KEY") {
				found = true
			}
		}
		if !found {
			t.Errorf("reindex of %s does not look the stories up by id: %+v", ids, plan)
		}
	}
}

// TestReindexReadsCommentsByStory checks the plan of the comments' part of
// reindex, which an import runs for each batch of stories: it must read the
// comments of those stories through the story index, not every approved
// comment of the site through the status index, which made a seed grow with
// the square of its size.
func TestReindexReadsCommentsByStory(t *testing.T) {
	onPostgres(t, "the plan of SQLite's reindex")
	s, _ := newTestStore(t)
	q := strings.SplitAfter(fmt.Sprintf(indexCommentRangeSQL, 201, 400, 0, 0, maskedSource, sharded.commentCols, sharded.commentVals), ";")[0]
	q = strings.Replace(q, "INSERT INTO comment_search_text(docid, body)", "", 1)
	var plan []struct{ Detail string }
	must(t, s.r.Raw("EXPLAIN QUERY PLAN "+q).Scan(&plan).Error)
	if len(plan) == 0 || !strings.Contains(plan[0].Detail, "c USING INDEX idx_comments_story (story_id>? AND story_id<?)") {
		t.Errorf("the comments of a range of stories are not read by story: %+v", plan)
	}
}

// TestOldSearchTriggersAreReplaced opens a database from before schema
// versions whose search triggers are of an earlier version: they are
// dropped and the current ones made.
func TestOldSearchTriggersAreReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	s, err := Open(path, Options{})
	must(t, err)
	must(t, s.w.Exec("CREATE TRIGGER search_v1_comment_ins AFTER INSERT ON comments BEGIN SELECT 1; END").Error)
	must(t, s.w.Exec("DROP TABLE schema_version").Error)
	must(t, s.Close())
	s, err = Open(path, Options{})
	must(t, err)
	defer s.Close()
	var names []string
	must(t, s.r.Raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%' ORDER BY name").Scan(&names).Error)
	if len(names) != len(searchTriggers) || !strings.HasPrefix(names[0], searchTriggerVersion) {
		t.Errorf("search triggers after migration: %v", names)
	}
}
