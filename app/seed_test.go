package app

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
