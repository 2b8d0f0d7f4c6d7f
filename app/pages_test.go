package app

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"doleances/models"

	"doleances/app/demo"
)

func TestPagesOfTheDemoSite(t *testing.T) {
	ts := newSite(t, withDemo())
	story := demo.Stories[0]
	slug := models.Slugify(story.Title)
	month := time.Now().UTC().AddDate(0, 0, -story.DaysAgo)
	tests := []struct {
		path string
		want []string
	}{
		{"/", []string{"<title>Doléances</title>", `<link rel="alternate" type="application/rss+xml"`, `href="/feed"`, "Posted by", "Categories", "Recent comments", "Archives", "Older stories"}},
		{"/page/2", []string{"<title>Page 2 · Doléances</title>", "Newer stories", `href="/"`}},
		{"/stories/" + slug, []string{`<h1 lang="en">` + html.EscapeString(story.Title) + "</h1>", "Posted by", `in <a href="/category/telecom">Telecom</a>`, "Tagged", `class="badge company"`, "Resolved", "<table>", "<blockquote>", `id="comments"`, `href="/stories/` + slug + `/feed"`, "Related stories"}},
		{"/category/telecom", []string{"<h1>Telecom</h1>", demo.Categories[0].Description[:20], `href="/category/telecom/feed"`}},
		{"/tag/cancellation", []string{"Tagged “cancellation”", `href="/tag/cancellation/feed"`}},
		{"/author/jenna-w", []string{"<h1>Jenna Whitaker</h1>", "Ohio-born", `href="/author/jenna-w/feed"`}},
		{"/company/orange", []string{"<h1>Orange</h1>", "historical telecom operator"}},
		{"/archive/" + month.Format("2006/01"), []string{"<h1>" + month.Format("January 2006") + "</h1>"}},
		{"/healthz", []string{"ok"}},
	}
	for _, tt := range tests {
		res, body := ts.get(nil, tt.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", tt.path, res.StatusCode)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: page lacks %q", tt.path, w)
			}
		}
	}
}

func TestStoryPageShowsThreadedComments(t *testing.T) {
	ts := newSite(t, withDemo())
	// The first demo story has a three-level chain of replies.
	_, body := ts.get(nil, "/stories/"+models.Slugify(demo.Stories[0].Title))
	if n := strings.Count(body, `<ol class="replies">`); n < 2 {
		t.Errorf("%d nested reply lists, want a chain of at least 2", n)
	}
	for _, c := range demo.Stories[0].Comments {
		if c.Email != "" && strings.Contains(body, c.Email) {
			t.Errorf("guest email %s shown on the page", c.Email)
		}
	}
}

func TestUnknownThingsAreHelpful404s(t *testing.T) {
	ts := newSite(t, withDemo())
	for _, path := range []string{
		"/stories/nope", "/category/nope", "/tag/nope", "/author/nope", "/company/nope",
		"/archive/1999/01", "/archive/2026/13", "/archive/2026/1", "/archive/abcd/01", "/archive/2026/00",
		"/page/0", "/page/999", "/page/abc", "/page/-1", "/page/02", "/page/1e3", "/category/telecom/page/99",
		"/category/telecom/page/0", "/tag/cancellation/page/x", "/nowhere", "/stories/", "/static/style.css",
	} {
		res, body := ts.get(nil, path)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
			continue
		}
		for _, want := range []string{"We could not find that page", "Go to the latest stories", `class="sidebar"`, "Perhaps one of these?"} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s: 404 page lacks %q", path, want)
			}
		}
	}
}

func TestFirstPageHasOneAddress(t *testing.T) {
	ts := newSite(t, withDemo())
	for path, want := range map[string]string{"/page/1": "/", "/category/telecom/page/1": "/category/telecom"} {
		resp, _ := ts.get(nil, path)
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
			t.Errorf("GET %s: %d to %q, want 301 to %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}

func TestEmptySiteFrontPage(t *testing.T) {
	ts := newSite(t)
	res, body := ts.get(nil, "/")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "No stories here yet") {
		t.Errorf("empty front page: %d", res.StatusCode)
	}
	if res, _ := ts.get(nil, "/page/2"); res.StatusCode != http.StatusNotFound {
		t.Errorf("page 2 of an empty site: %d", res.StatusCode)
	}
}

func TestDraftsAreNotShown(t *testing.T) {
	ts := newSite(t)
	ctx := context.Background()
	u := &models.User{Handle: "ana", Name: "Ana"}
	if err := ts.store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	st, err := ts.store.CreateStory(ctx, models.StoryInput{Title: "Secret draft", Body: "x", AuthorID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := ts.get(nil, "/stories/"+st.Slug); res.StatusCode != http.StatusNotFound {
		t.Errorf("draft story page: %d", res.StatusCode)
	}
	if _, body := ts.get(nil, "/"); strings.Contains(body, "Secret draft") {
		t.Error("draft listed on the front page")
	}
}

func TestStaticAssetsAreHashedAndCached(t *testing.T) {
	ts := newSite(t)
	_, body := ts.get(nil, "/")
	i := strings.Index(body, `href="/static/style.`)
	if i < 0 {
		t.Fatal("no hashed stylesheet link")
	}
	url := body[i+6 : i+6+strings.Index(body[i+6:], `"`)]
	res, css := ts.get(nil, url)
	if res.StatusCode != http.StatusOK || !strings.Contains(css, "--paper") || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("GET %s: %d %q %q", url, res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Type"))
	}
}

func TestRetitledStoryRedirectsFromItsOldAddress(t *testing.T) {
	ts := newSite(t, withDemo())
	ctx := context.Background()
	st, err := ts.store.PublishedStory(ctx, models.Slugify(demo.Stories[0].Title))
	if err != nil {
		t.Fatal(err)
	}
	old := st.Slug
	edited, err := ts.store.UpdateStory(ctx, st.ID, st.AuthorID, models.StoryInput{Title: "Orange, finally", Body: st.Body})
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := ts.get(nil, "/stories/"+old)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/stories/"+edited.Slug {
		t.Errorf("old address: %d to %q, want 301 to /stories/%s", resp.StatusCode, resp.Header.Get("Location"), edited.Slug)
	}
	if res, _ := ts.get(nil, "/stories/"+edited.Slug); res.StatusCode != http.StatusOK {
		t.Errorf("new address: %d", res.StatusCode)
	}
}

func TestSearchFindsDemoStoriesWithoutAccents(t *testing.T) {
	ts := newSite(t, withDemo())
	for q, want := range map[string]string{"resilie": "Résilier chez Orange", "velib": "Vélib’ ate my fifteen euros", "prefecture": "Titre de séjour"} {
		res, body := ts.get(nil, "/search?q="+q)
		if res.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("search %q: %d, no %q", q, res.StatusCode, want)
		}
	}
}
