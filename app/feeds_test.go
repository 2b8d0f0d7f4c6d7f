package app

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// parseFeed fetches and parses a feed, checking its status and content type.
func (ts *testSite) parseFeed(path, ctype string) *gofeed.Feed {
	ts.t.Helper()
	res, body := ts.get(nil, path)
	if res.StatusCode != 200 {
		ts.t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	if got := res.Header.Get("Content-Type"); got != ctype {
		ts.t.Errorf("GET %s: Content-Type %q, want %q", path, got, ctype)
	}
	if strings.Contains(body, ts.guest) || strings.Contains(body, "@example.org") {
		ts.t.Errorf("GET %s: a guest's email is in the feed", path)
	}
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		ts.t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
	return f
}

func TestEveryFeedParses(t *testing.T) {
	ts := newSite(t, withStories())
	for _, tc := range []struct {
		path  string
		items []string // titles, newest first
	}{
		{"/feed", []string{"La fibre, enfin", "Un vélo en panne", "Résilier chez Orange"}},
		{"/category/telecom/feed", []string{"La fibre, enfin", "Résilier chez Orange"}},
		{"/category/transport/feed", []string{"Un vélo en panne"}},
		{"/tag/livebox/feed", []string{"Résilier chez Orange"}},
		{"/author/margot/feed", []string{"La fibre, enfin", "Un vélo en panne", "Résilier chez Orange"}},
		{"/company/velib/feed", []string{"Un vélo en panne"}},
		{"/comments/feed", []string{"Comment by Ahmed on “Un vélo en panne”", "Comment by Claire on “Résilier chez Orange”"}},
		{"/stories/resilier-chez-orange/feed", []string{"Comment by Claire on “Résilier chez Orange”"}},
		{"/stories/la-fibre-enfin/feed", nil},
		{"/search/feed?q=velo", []string{"Un vélo en panne"}},
		{"/search/feed?q=orange&category=telecom", []string{"Résilier chez Orange", "La fibre, enfin"}},
	} {
		for _, format := range []string{"rss", "atom"} {
			path, ctype := tc.path, "application/rss+xml; charset=utf-8"
			if format == "atom" {
				path, ctype = strings.Replace(path, "/feed", "/feed/atom", 1), "application/atom+xml; charset=utf-8"
			}
			t.Run(path, func(t *testing.T) {
				f := ts.parseFeed(path, ctype)
				if f.FeedType != format {
					t.Errorf("feed type %q", f.FeedType)
				}
				var got []string
				for _, it := range f.Items {
					got = append(got, it.Title)
					if !strings.HasPrefix(it.Link, testBase+"/stories/") {
						t.Errorf("item link %q is not an absolute story URL", it.Link)
					}
					if it.PublishedParsed == nil || it.PublishedParsed.After(siteStart) || it.PublishedParsed.Year() != 2026 {
						t.Errorf("item %q: published %v", it.Title, it.PublishedParsed)
					}
					if it.GUID == "" || !strings.HasPrefix(it.GUID, "tag:doleances.example,") {
						t.Errorf("item %q: guid %q", it.Title, it.GUID)
					}
					if it.Author == nil && len(it.Authors) == 0 {
						t.Errorf("item %q has no author", it.Title)
					}
					for _, bad := range []string{`href="/`, `src="/`, `href="#`} {
						if strings.Contains(it.Content, bad) {
							t.Errorf("item %q: relative URL (%s) in %s", it.Title, bad, it.Content)
						}
					}
				}
				if !slices.Equal(got, tc.items) {
					t.Errorf("items %q, want %q", got, tc.items)
				}
				if !strings.HasPrefix(f.FeedLink, testBase+"/") || !strings.HasPrefix(f.Link, testBase+"/") {
					t.Errorf("feed self %q / link %q not absolute", f.FeedLink, f.Link)
				}
			})
		}
	}
}

func TestFeedContentAndCategories(t *testing.T) {
	ts := newSite(t, withStories())
	f := ts.parseFeed("/category/telecom/feed", "application/rss+xml; charset=utf-8")
	it := f.Items[1]
	for _, want := range []string{
		`href="` + testBase + `/stories/velo"`, `src="` + testBase + `/static/receipt.png"`,
		`href="https://www.legifrance.gouv.fr/"`, `href="` + testBase + `/stories/resilier-chez-orange#fn:1"`,
	} {
		if !strings.Contains(it.Content, want) {
			t.Errorf("content lacks %s:\n%s", want, it.Content)
		}
	}
	if !slices.Equal(it.Categories, []string{"Telecom", "cancellation", "livebox"}) {
		t.Errorf("categories %q", it.Categories)
	}
	if f.FeedLink != testBase+"/category/telecom/feed" {
		t.Errorf("self link %q", f.FeedLink)
	}
	a := ts.parseFeed("/feed/atom", "application/atom+xml; charset=utf-8")
	if a.FeedLink != testBase+"/feed/atom" || a.Link != testBase+"/" {
		t.Errorf("atom self %q alternate %q", a.FeedLink, a.Link)
	}
	if a.UpdatedParsed == nil || a.Items[0].UpdatedParsed == nil {
		t.Error("atom feed or entry lacks updated")
	}
}

func TestUnknownFeedsAre404(t *testing.T) {
	ts := newSite(t, withStories())
	for _, p := range []string{"/category/nope/feed", "/tag/nope/feed/atom", "/author/nobody/feed", "/company/nope/feed",
		"/stories/nope/feed", "/stories/brouillon-secret/feed", "/stories/brouillon-secret/feed/atom"} {
		if res, _ := ts.get(nil, p); res.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	if res, _ := ts.get(nil, "/search/feed?q=x&company=nope"); res.StatusCode != 400 {
		t.Errorf("search feed with an unknown company: %d, want 400", res.StatusCode)
	}
}

func TestFeedGolden(t *testing.T) {
	ts := newSite(t, withStories())
	for path, file := range map[string]string{"/feed": "feed.rss.xml", "/feed/atom": "feed.atom.xml"} {
		_, body := ts.get(nil, path)
		golden := filepath.Join("testdata", file)
		if *update {
			check(t, os.MkdirAll("testdata", 0o755))
			check(t, os.WriteFile(golden, []byte(body), 0o644))
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./app -run Golden -update)", err)
		}
		if body != string(want) {
			t.Errorf("GET %s differs from %s (run with -update if the change is intended):\n%s", path, golden, body)
		}
	}
}
