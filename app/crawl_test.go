package app

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"doleances/models"

	"doleances/app/demo"
)

var linkRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestEveryLinkLeadsToAPage crawls the demo site from / and follows every
// same-site href and src: each must answer 200.
func TestEveryLinkLeadsToAPage(t *testing.T) {
	ts := newSite(t, withDemo())
	base := ts.srv.cfg.BaseURL
	seen := map[string]string{"/": "start"}
	queue := []string{"/"}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		res, body := ts.get(nil, path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s (linked from %s): %d", path, seen[path], res.StatusCode)
			continue
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, m := range linkRE.FindAllStringSubmatch(body, -1) {
			link := html.UnescapeString(m[1])
			if rest, ok := strings.CutPrefix(link, base); ok {
				link = rest
			}
			link, _, _ = strings.Cut(link, "#")
			if link == "" || !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") {
				continue // a fragment, or another site
			}
			if _, ok := seen[link]; !ok {
				seen[link] = path
				queue = append(queue, link)
			}
		}
	}
	if len(seen) < 60 {
		t.Errorf("crawled only %d pages", len(seen))
	}
	for _, kind := range []string{"/stories/", "/category/", "/tag/", "/author/", "/company/", "/archive/", "/page/2", "/static/", "/feed", "/feed/atom", "/login", "/feeds"} {
		found := false
		for p := range seen {
			found = found || strings.Contains(p, kind)
		}
		if !found {
			t.Errorf("no %s link reached", kind)
		}
	}
}

// TestPageViewsRunAFixedNumberOfQueries compares the SQL statements of each
// page before and after the site grows: more stories, tags and comments must
// not mean more queries.
func TestPageViewsRunAFixedNumberOfQueries(t *testing.T) {
	ts := newSite(t, withDemo())
	story := "/stories/" + models.Slugify(demo.Stories[0].Title)
	paths := []string{"/", "/page/2", story, "/category/telecom", "/tag/cancellation", "/author/jenna-w", "/company/orange"}
	count := func() map[string]int64 {
		out := map[string]int64{}
		for _, p := range paths {
			ts.queries.n.Store(0)
			if res, _ := ts.get(nil, p); res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", p, res.StatusCode)
			}
			out[p] = ts.queries.n.Load()
		}
		return out
	}
	before := count()
	grow(t, ts.store, demo.Stories[0].Title)
	after := count()
	for _, p := range paths {
		if before[p] != after[p] {
			t.Errorf("GET %s: %d queries, then %d after the site grew", p, before[p], after[p])
		}
		if after[p] > 20 {
			t.Errorf("GET %s: %d queries", p, after[p])
		}
	}
}

// grow adds 30 stories with many tags, all in Telecom at Orange by the first
// author, and 40 comments to the story titled title.
func grow(t *testing.T, s *models.Store, title string) {
	t.Helper()
	ctx := context.Background()
	author, err := s.UserByHandle(ctx, "jenna-w")
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := s.CategoryBySlug(ctx, "telecom")
	co, _ := s.CompanyBySlug(ctx, "orange")
	for i := range 30 {
		_, err := s.CreateStory(ctx, models.StoryInput{
			Title: fmt.Sprintf("Growth %d", i), Body: "x", AuthorID: author.ID, Status: models.StatusPublished,
			CategoryIDs: []uint{cat.ID}, CompanyID: &co.ID,
			Tags: []string{"cancellation", fmt.Sprint("t", i), fmt.Sprint("u", i), fmt.Sprint("v", i)},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.PublishedStory(ctx, models.Slugify(title))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		in := models.CommentInput{StoryID: st.ID, AuthorName: fmt.Sprint("Guest ", i), Body: "Same here.", Status: models.CommentApproved}
		if i%3 == 0 {
			in.UserID = &author.ID
		}
		if _, err := s.AddComment(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
}
