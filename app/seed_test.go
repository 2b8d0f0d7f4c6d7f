package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"doleances/models"

	"doleances/app/demo"
)

// TestSeedCommand runs the subcommand as a person would: it fills an empty
// database, shows progress, and refuses a second run without -force.
func TestSeedCommand(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	args := []string{"doleances", "seed", "-data", dir, "-stories", "30", "-comments", "200", "-users", "12"}
	check(t, Run(context.Background(), args, func(string) string { return "" }, &out))
	if !strings.Contains(out.String(), "30/30") || !strings.Contains(out.String(), "Seeded ") {
		t.Errorf("no progress or summary in the output:\n%s", out.String())
	}
	err := Run(context.Background(), args, func(string) string { return "" }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-force") {
		t.Fatalf("seeding a full database: %v, want a refusal mentioning -force", err)
	}
	check(t, Run(context.Background(), append(args, "-force"), func(string) string { return "" }, io.Discard))
	for _, bad := range [][]string{{"-stories", "0"}, {"-stories", "-5"}, {"-comments", "-1"}, {"-users", "0"}} {
		err := Run(context.Background(), append([]string{"doleances", "seed", "-data", t.TempDir()}, bad...), func(string) string { return "" }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "at least 1") {
			t.Errorf("seed %v: %v, want the message saying what the numbers may be", bad, err)
		}
	}
	store, err := models.Open(filepath.Join(dir, "doleances.db"), models.Options{})
	check(t, err)
	defer store.Close()
	page, err := store.PublishedStories(context.Background(), models.StoryFilter{}, 1)
	check(t, err)
	if page.Total < 50 { // two runs of 30, a few drafts
		t.Errorf("%d published stories after two runs of 30", page.Total)
	}
}

// TestSeedDerivedData seeds a small site and checks everything computed at
// save time against the normal store API and the pages.
func TestSeedDerivedData(t *testing.T) {
	ctx := context.Background()
	ts := newSite(t)
	store := ts.store
	before, err := store.SiteChangedAt(ctx)
	check(t, err)
	ts.clock.add(time.Second)
	now := ts.clock.now().UTC()
	check(t, demo.Generate(ctx, store, demo.Options{Stories: 450, Comments: 3000, Users: 40, Seed: 7, Now: now}, io.Discard))
	if after, err := store.SiteChangedAt(ctx); err != nil || !after.After(before) {
		t.Errorf("site changed at %v, was %v (%v): the pages' Last-Modified did not move", after, before, err)
	}
	companies, err := store.Companies(ctx)
	check(t, err)
	if len(companies) != len(demo.SeedCompanies) {
		t.Errorf("%d companies from %d companies' spellings: variants were not matched", len(companies), len(demo.SeedCompanies))
	}
	raw := ts.rawDB()
	defer closeRaw(raw)
	var stories []models.Story
	for n := 1; ; n++ {
		page, err := store.PublishedStories(ctx, models.StoryFilter{}, n)
		check(t, err)
		stories = append(stories, page.Stories...)
		if n >= page.Pages {
			break
		}
	}
	if len(stories) < 400 {
		t.Fatalf("%d published stories of 450", len(stories))
	}
	withReplies, withTags := 0, 0
	for i, listed := range stories {
		st, err := store.PublishedStory(ctx, listed.Slug)
		check(t, err)
		want, err := models.RenderStory(st.Body)
		check(t, err)
		if strings.Contains(st.Title+st.Body, "%!") {
			t.Fatalf("story %s holds a fmt error: %q", st.Slug, st.Body)
		}
		if st.HTML != want.HTML || st.Excerpt != want.Excerpt {
			t.Fatalf("story %s: stored HTML or excerpt differ from rendering its body", st.Slug)
		}
		if base := models.Slugify(st.Title); st.Slug != base && !strings.HasPrefix(st.Slug, base+"-") {
			t.Errorf("story %q has slug %q", st.Title, st.Slug)
		}
		if i > 0 && st.PublishedAt.After(*stories[i-1].PublishedAt) {
			t.Errorf("front page out of order at %s", st.Slug)
		}
		cs, err := store.Comments(ctx, st.ID)
		check(t, err)
		if st.CommentCount != len(cs) {
			t.Errorf("story %s counts %d comments, shows %d", st.Slug, st.CommentCount, len(cs))
		}
		for _, c := range cs {
			if html, _ := models.RenderComment(c.Body); c.HTML != html || c.AuthorName == "" || c.CreatedAt.Before(*st.PublishedAt) || c.CreatedAt.After(now) {
				t.Fatalf("comment %d on %s: bad HTML, name or time", c.ID, st.Slug)
			}
			if c.ParentID != nil {
				withReplies++
			}
		}
		var likes, metoos int64
		check(t, raw.Model(&models.Like{}).Where("story_id = ?", st.ID).Count(&likes).Error)
		check(t, raw.Model(&models.MeToo{}).Where("story_id = ?", st.ID).Count(&metoos).Error)
		if int64(st.LikeCount) != likes || int64(st.MeTooCount) != metoos {
			t.Errorf("story %s counts %d likes and %d me-toos, has %d and %d", st.Slug, st.LikeCount, st.MeTooCount, likes, metoos)
		}
		if len(st.Tags) > 0 {
			withTags++
		}
	}
	if withReplies == 0 || withTags == 0 {
		t.Errorf("%d replies, %d stories with tags: the content is not varied", withReplies, withTags)
	}
	var bad int64
	check(t, raw.Raw(`SELECT count(*) FROM comments c JOIN comments p ON p.id = c.parent_id
		WHERE p.story_id <> c.story_id OR c.depth <> CASE WHEN p.depth + 1 < ? THEN p.depth + 1 ELSE ? END OR p.status <> 'approved'`,
		models.MaxDepth-1, models.MaxDepth-1).Scan(&bad).Error)
	if bad > 0 {
		t.Errorf("%d replies with a parent on another story, a wrong depth or a hidden parent", bad)
	}
	checkSeedSearch(t, store, raw)
	checkSeedPages(t, ts, stories[0])
}

// checkSeedSearch compares search results with what the tables hold: a
// phrase found only in comments finds exactly the stories with an approved
// comment saying it, and a company finds its stories.
func checkSeedSearch(t *testing.T, store *models.Store, raw *gorm.DB) {
	ctx := context.Background()
	var want int64
	check(t, raw.Raw(`SELECT count(DISTINCT s.id) FROM stories s JOIN comments c ON c.story_id = s.id
		WHERE s.status = 'published' AND c.status = 'approved' AND c.body LIKE '%Tenez-nous au courant%'`).Scan(&want).Error)
	res, err := store.Search(ctx, models.SearchQuery{Text: `"tenez nous au courant"`})
	check(t, err)
	if want == 0 || int64(res.Total) != want {
		t.Errorf("search for a phrase of comments: %d stories, the tables say %d", res.Total, want)
	}
	check(t, raw.Raw(`SELECT count(*) FROM stories s JOIN companies co ON co.id = s.company_id
		WHERE s.status = 'published' AND co.name = 'Leroy Merlin'`).Scan(&want).Error)
	res, err = store.Search(ctx, models.SearchQuery{Text: `"leroy merlin"`})
	check(t, err)
	if want == 0 || int64(res.Total) < want {
		t.Errorf("search for a company: %d stories, it has %d", res.Total, want)
	}
}

// checkSeedPages serves the seeded site and reads its main pages and feed.
func checkSeedPages(t *testing.T, ts *testSite, newest models.Story) {
	for path, want := range map[string]string{
		"/":                                 newest.Title,
		"/stories/" + newest.Slug:           newest.Title,
		"/feed":                             "<item>",
		"/company/leroy-merlin":             "Leroy Merlin",
		"/search?q=ombudsman":               "<mark>",
		"/category/" + "telecom":            "Telecom",
		"/stories/" + newest.Slug + "/feed": "<rss",
	} {
		res, body := ts.get(nil, path)
		if res.StatusCode != 200 || !strings.Contains(body, want) && !strings.Contains(body, templateEscape(want)) {
			t.Errorf("GET %s: %d, without %q", path, res.StatusCode, want)
		}
	}
}

// templateEscape is s as html/template writes it in text.
func templateEscape(s string) string {
	return strings.NewReplacer("'", "&#39;", "&", "&amp;", "\"", "&#34;").Replace(s)
}

// TestSeedBulkSameSite seeds the same small site twice, batch by batch
// through Import and with the bulk load, and compares everything the site
// keeps: every table's rows (the FTS4 segments aside, whose layout follows
// the order of the inserts), the schema, indexes and triggers, and the
// results of searches.
func TestSeedBulkSameSite(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	opt := demo.Options{Stories: 300, Comments: 3000, Users: 300, Seed: 3, Now: now}
	seed := func(batched bool) (*models.Store, *gorm.DB) {
		path := filepath.Join(t.TempDir(), "doleances.db")
		store, err := models.Open(path, models.Options{Now: func() time.Time { return now }})
		check(t, err)
		t.Cleanup(func() { store.Close() })
		o := opt
		o.Batched = batched
		check(t, demo.Generate(ctx, store, o, io.Discard))
		raw, err := gorm.Open(sqlite.Open(path), &gorm.Config{})
		check(t, err)
		t.Cleanup(func() { closeRaw(raw) })
		return store, raw
	}
	batchedStore, batched := seed(true)
	bulkStore, bulk := seed(false)

	schema := func(db *gorm.DB) []string {
		var rows []string
		check(t, db.Raw("SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || COALESCE(sql, '') FROM sqlite_master ORDER BY 1").Scan(&rows).Error)
		return rows
	}
	if a, b := schema(batched), schema(bulk); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("the schemas differ:\n%s", lineDiff(a, b))
	}
	if n := len(schema(bulk)); n < 100 {
		t.Fatalf("only %d schema rows", n)
	}
	for _, table := range tablesOf(t, batched) {
		switch {
		case table == "story_search" || table == "comment_search" || strings.HasSuffix(table, "_segments") || strings.HasSuffix(table, "_segdir"):
			continue // the FTS4 index: its search results are compared below
		case table == "site_state":
			continue // when the seed ran
		}
		a, b := tableRows(t, batched, table), tableRows(t, bulk, table)
		if strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("table %s differs (%d rows batched, %d bulk):\n%s", table, len(a), len(b), lineDiff(a, b))
		}
	}
	var comments, searchable int64
	check(t, bulk.Raw("SELECT count(*) FROM comments").Scan(&comments).Error)
	check(t, bulk.Raw("SELECT count(*) FROM comment_search_text").Scan(&searchable).Error)
	if comments < 2500 || searchable < 2500 { // drafts have no comments
		t.Errorf("%d comments, %d indexed for search", comments, searchable)
	}
	for _, q := range []string{"ombudsman", `"registered letter"`, "deposit refund", "leroy merlin", "tenez", "courant ombudsman"} {
		a, err := batchedStore.Search(ctx, models.SearchQuery{Text: q})
		check(t, err)
		b, err := bulkStore.Search(ctx, models.SearchQuery{Text: q})
		check(t, err)
		if a.Total == 0 || searchText(a) != searchText(b) {
			t.Errorf("search %s: %d hits batched, %d bulk, or different results", q, a.Total, b.Total)
		}
	}
}

// searchText is what a page of search results shows.
func searchText(r models.SearchResult) string {
	s := fmt.Sprint(r.Total, r.More, r.Pages, r.Terms, r.Older)
	for _, h := range r.Hits {
		s += fmt.Sprintf("\n%d %s %s %v", h.Story.ID, h.Title, h.Snippet, h.InComments)
	}
	return s
}

// tableRows is every row of table as text, sorted: drafts' slugs, drawn
// at random, are left out.
func tableRows(t *testing.T, db *gorm.DB, table string) []string {
	t.Helper()
	var rows []map[string]any
	check(t, db.Table(table).Find(&rows).Error)
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		if table == "stories" && r["status"] == models.StatusDraft {
			r["slug"] = "draft"
		}
		out = append(out, fmt.Sprint(r))
	}
	sort.Strings(out)
	return out
}

// lineDiff is the first few lines that one list has and the other has not.
func lineDiff(a, b []string) string {
	in := func(l []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range l {
			m[s] = true
		}
		return m
	}
	ia, ib := in(a), in(b)
	var out []string
	for _, s := range a {
		if !ib[s] && len(out) < 5 {
			out = append(out, "- "+truncateLine(s))
		}
	}
	for _, s := range b {
		if !ia[s] && len(out) < 10 {
			out = append(out, "+ "+truncateLine(s))
		}
	}
	return strings.Join(out, "\n")
}

func truncateLine(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
