package app

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"doleances/handlers"
	"doleances/models"
)

func TestConditionalRequests(t *testing.T) {
	// The real clock: Last-Modified is only sent once its second is over.
	ts := newSite(t, withStories(), withDeps(func(d *handlers.Deps) { d.Now = time.Now }))
	for _, path := range []string{"/feed", "/feed/atom", "/", "/stories/resilier-chez-orange", "/search?q=orange"} {
		// A page with a comment form is kept until its stamp's 10-second
		// step is over, then made again with a new stamp: another body, so
		// another ETag. Checks that straddled a step are run again.
		for try := 0; ; try++ {
			step := time.Now().Truncate(10 * time.Second)
			errs := conditionalChecks(ts, path)
			if len(errs) == 0 || try == 2 || time.Now().Truncate(10*time.Second).Equal(step) {
				for _, err := range errs {
					t.Error(err)
				}
				break
			}
		}
	}
	// A write makes both validators change.
	res, _ := ts.get(nil, "/feed")
	etag, lastMod := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	time.Sleep(1100 * time.Millisecond)
	check(t, ts.store.UnpublishStory(context.Background(), ts.stories["fibre"].ID, ts.author.ID))
	time.Sleep(1100 * time.Millisecond)
	if res, _ := ts.get(nil, "/feed", "If-None-Match", etag); res.StatusCode != 200 {
		t.Errorf("after unpublishing, If-None-Match: %d, want 200", res.StatusCode)
	}
	if res, _ := ts.get(nil, "/feed", "If-Modified-Since", lastMod); res.StatusCode != 200 {
		t.Errorf("after unpublishing, If-Modified-Since: %d, want 200", res.StatusCode)
	}
	if res, _ := ts.get(nil, "/nope", "If-None-Match", "*"); res.StatusCode != 404 {
		t.Errorf("a 404 answered %d to If-None-Match", res.StatusCode)
	}
}

// conditionalChecks fetches path, then asks for it again with its
// validators, and returns what did not hold.
func conditionalChecks(ts *testSite, path string) []error {
	var errs []error
	res, body := ts.get(nil, path)
	for deadline := time.Now().Add(3 * time.Second); res.Header.Get("Last-Modified") == "" && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		res, body = ts.get(nil, path)
	}
	etag, lastMod := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	if res.StatusCode != 200 || etag == "" || lastMod == "" || body == "" {
		return append(errs, fmt.Errorf("GET %s: %d, ETag %q, Last-Modified %q", path, res.StatusCode, etag, lastMod))
	}
	for _, h := range [][]string{{"If-None-Match", etag}, {"If-None-Match", `"x", W/` + etag}, {"If-Modified-Since", lastMod}} {
		res, body := ts.get(nil, path, h...)
		if res.StatusCode != 304 || body != "" {
			errs = append(errs, fmt.Errorf("GET %s with %s: %d and %d bytes, want 304 without a body", path, h[0], res.StatusCode, len(body)))
		}
	}
	// If-None-Match decides when both are present.
	if res, _ := ts.get(nil, path, "If-None-Match", `"other"`, "If-Modified-Since", lastMod); res.StatusCode != 200 {
		errs = append(errs, fmt.Errorf("GET %s with a stale ETag: %d, want 200", path, res.StatusCode))
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC1123)
	if res, _ := ts.get(nil, path, "If-Modified-Since", strings.Replace(old, "UTC", "GMT", 1)); res.StatusCode != 200 {
		errs = append(errs, fmt.Errorf("GET %s modified since 2020: %d, want 200", path, res.StatusCode))
	}
	return errs
}

func TestSearchPage(t *testing.T) {
	ts := newSite(t, withStories())
	res, body := ts.get(nil, "/search?q=resilier")
	if res.StatusCode != 200 || !strings.Contains(body, "<mark>Résilier</mark> chez Orange") {
		t.Fatalf("search: %d\n%s", res.StatusCode, body)
	}
	_, body = ts.get(nil, "/search?q=velib")
	if !strings.Contains(body, "/stories/un-velo-en-panne") {
		t.Error("velib does not find Vélib'")
	}
	_, body = ts.get(nil, "/search?q="+url.QueryEscape(`"technician came"`)+"&company=orange&category=telecom")
	if strings.Count(body, `class="card hit`) != 1 || !strings.Contains(body, `<a href="/stories/la-fibre-enfin"><mark>`) && !strings.Contains(body, "<mark>technician</mark> <mark>came</mark>") {
		t.Error("phrase with filters")
	}
	if _, body = ts.get(nil, "/search?q=secret"); strings.Contains(body, "Brouillon") && strings.Contains(body, "<mark>") {
		t.Error("a draft is found")
	}
	if _, body = ts.get(nil, "/search?q="+url.QueryEscape(ts.guest)); strings.Contains(body, "/stories/") && strings.Contains(body, "<mark>") {
		t.Error("searching a guest's email finds their comment")
	}
}

func TestSearchHostileInputs(t *testing.T) {
	ts := newSite(t, withStories())
	for _, tc := range []struct {
		query  string
		status int
	}{
		{"", 200}, {"q=", 200}, {"q=%20%20", 200}, {"q=" + url.QueryEscape("?!.,;"), 200},
		{"q=" + url.QueryEscape(`"`), 200}, {"q=" + url.QueryEscape(`""""`), 200}, {"q=*", 200},
		{"q=" + url.QueryEscape("orange AND"), 200}, {"q=" + url.QueryEscape("NEAR(orange box"), 200},
		{"q=" + url.QueryEscape("-orange"), 200}, {"q=" + url.QueryEscape("title:orange"), 200},
		{"q=" + url.QueryEscape("orange OR NOT ^box"), 200}, {"q=" + url.QueryEscape("a*b* c:d {e} (f)"), 200},
		{"q=" + strings.Repeat("x", 5000), 200}, {"q=" + strings.Repeat("%C3%A9", 5000), 200}, {"q=" + strings.Repeat("orange+", 1000), 200},
		{"q=%FF%FE%80orange%C3", 200}, {"q=%00", 200}, {"q=" + url.QueryEscape("<script>alert(1)</script>"), 200},
		{"q=" + url.QueryEscape("'; DROP TABLE stories; --"), 200}, {"q=orange&page=1", 200},
		{"q=orange&page=0", 400}, {"q=orange&page=-1", 400}, {"q=orange&page=abc", 400}, {"q=orange&page=99999999999999999999", 400},
		{"q=orange&page=2", 404}, {"q=orange&category=nope", 400}, {"q=orange&company=%FF", 400},
		{"q=orange&category=", 200}, {"q=orange&before=1", 200}, {"q=orange&before=0", 400}, {"q=orange&before=-3", 400},
		{"q=orange&before=x", 400}, {"q=orange&before=99999999999", 400},
	} {
		for _, path := range []string{"/search?", "/search/feed?", "/search/feed/atom?"} {
			res, body := ts.get(nil, path+tc.query)
			want := tc.status
			if strings.Contains(path, "feed") && (tc.status == 404) {
				want = 200 // a feed has one page and ignores page=
			}
			if res.StatusCode != want {
				t.Errorf("GET %s%s: %d, want %d", path, tc.query, res.StatusCode, want)
			}
			if strings.Contains(body, "<script>alert") {
				t.Errorf("GET %s%s: the input is not escaped", path, tc.query)
			}
		}
	}
	if _, body := ts.get(nil, "/search?q="+strings.Repeat("orange+", 1000)); !strings.Contains(body, "Résilier") {
		t.Error("a long repeated query does not search its first words")
	}
}

// TestSearchOlderStories follows a search back through the site, one span of
// stories at a time: each page says which stories it searched and links the
// older ones, and every match is listed once.
func TestSearchOlderStories(t *testing.T) {
	ctx := context.Background()
	ts := newSite(t, withClock(siteStart.Add(-10*24*time.Hour)), withStore(func(o *models.Options) { o.SearchSpan = 2 }),
		withDeps(func(d *handlers.Deps) { d.Now = time.Now }))
	author := ts.newUser("margot", "Margot", models.RoleAuthor)
	var ids []uint
	for i := range 5 {
		ts.clock.add(24 * time.Hour)
		st, err := ts.store.CreateStory(ctx, models.StoryInput{Title: fmt.Sprintf("Guichet %d", i), Body: "Fermé.", AuthorID: author.ID, Status: models.StatusPublished})
		check(t, err)
		ids = append(ids, st.ID)
	}
	day := func(i int) string {
		paris, _ := time.LoadLocation("Europe/Paris") // the site's default zone
		return siteStart.Add(time.Duration(i-9) * 24 * time.Hour).In(paris).Format("January 2, 2006")
	}
	steps := []struct {
		path, titles, span, older string
		newest                    bool
	}{
		{"/search?q=guichet", "Guichet 4,Guichet 3", "among the stories written since " + day(3),
			fmt.Sprintf("/search?q=guichet&amp;before=%d", ids[3]), false},
		{fmt.Sprintf("/search?q=guichet&before=%d", ids[3]), "Guichet 2,Guichet 1", "among the stories written from " + day(1) + " to " + day(2),
			fmt.Sprintf("/search?q=guichet&amp;before=%d", ids[1]), true},
		{fmt.Sprintf("/search?q=guichet&before=%d", ids[1]), "Guichet 0", "among the stories written until " + day(0), "", true},
	}
	hit := regexp.MustCompile(`<h2><a href="/stories/[^"]+">(?:<mark>)?Guichet(?:</mark>)? (\d)</a></h2>`)
	for _, step := range steps {
		res, body := ts.get(nil, step.path)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d", step.path, res.StatusCode)
		}
		var got []string
		for _, m := range hit.FindAllStringSubmatch(body, -1) {
			got = append(got, "Guichet "+m[1])
		}
		if strings.Join(got, ",") != step.titles {
			t.Errorf("GET %s: hits %q, want %s", step.path, got, step.titles)
		}
		if !strings.Contains(body, step.span) {
			t.Errorf("GET %s does not say %q", step.path, step.span)
		}
		if hasOlder := strings.Contains(body, "Search older stories"); hasOlder != (step.older != "") ||
			step.older != "" && !strings.Contains(body, `href="`+step.older+`"`) {
			t.Errorf("GET %s: the older stories link is wrong, want %q", step.path, step.older)
		}
		if hasNewest := strings.Contains(body, `<a class="newer" href="/search?q=guichet">← Newest stories</a>`); hasNewest != step.newest {
			t.Errorf("GET %s: newest stories link %v, want %v", step.path, hasNewest, step.newest)
		}
	}
	_, body := ts.get(nil, fmt.Sprintf("/search?q=guichet&before=%d", ids[3]))
	if !strings.Contains(body, fmt.Sprintf(`<link rel="canonical" href="%s/search?q=guichet&amp;before=%d">`, testBase, ids[3])) {
		t.Error("an older span's canonical address does not name its span")
	}
	// No match in the newest span: the page says so and still leads back.
	_, body = ts.get(nil, "/search?q="+url.QueryEscape("guichet 0"))
	if !strings.Contains(body, "No match among these stories") || !strings.Contains(body, fmt.Sprintf(`href="/search?q=guichet&#43;0&amp;before=%d"`, ids[3])) {
		t.Error("a span without a match does not say so and link the older stories")
	}
	// A feed follows the newest stories whatever the span asked.
	_, feed := ts.get(nil, fmt.Sprintf("/search/feed?q=guichet&before=%d", ids[1]))
	if !strings.Contains(feed, "Guichet 4") || strings.Contains(feed, "Guichet 0") {
		t.Error("the search feed of an older span does not follow the newest stories")
	}
	res, body := ts.get(nil, "/search?q=guichet&before=nope")
	if res.StatusCode != 400 || !strings.Contains(body, "must be a story number") || !strings.Contains(body, `value="guichet"`) {
		t.Errorf("a broken before: %d, want 400 with the reason and the words kept", res.StatusCode)
	}
}

func TestSearchPagination(t *testing.T) {
	ts := newSite(t, withStories())
	ctx := context.Background()
	st := ts.stories["box"]
	for i := range 12 {
		_, err := ts.store.CreateStory(ctx, models.StoryInput{Title: "Guichet " + strings.Repeat("i", i+1), Body: "au guichet",
			AuthorID: st.AuthorID, Status: models.StatusPublished})
		check(t, err)
	}
	_, body := ts.get(nil, "/search?q=guichet")
	if strings.Count(body, `class="card hit`) != 10 || !strings.Contains(body, `href="/search?q=guichet&amp;page=2"`) {
		t.Errorf("page 1 should hold 10 hits and link page 2")
	}
	_, body = ts.get(nil, "/search?q=guichet&page=2")
	if strings.Count(body, `class="card hit`) != 2 || !strings.Contains(body, "Page 2 of 2") {
		t.Errorf("page 2 should hold 2 hits")
	}
}

func TestSitemapAndRobots(t *testing.T) {
	ts := newSite(t, withStories())
	res, body := ts.get(nil, "/sitemap.xml")
	var set struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if res.StatusCode != 200 || xml.Unmarshal([]byte(body), &set) != nil {
		t.Fatalf("sitemap: %d\n%s", res.StatusCode, body)
	}
	var locs []string
	for _, u := range set.URLs {
		locs = append(locs, strings.TrimPrefix(u.Loc, testBase))
		if !strings.HasPrefix(u.Loc, testBase+"/") {
			t.Errorf("URL %q is not absolute", u.Loc)
		}
		if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
			t.Errorf("URL %q: lastmod %q", u.Loc, u.LastMod)
		}
	}
	want := "/ /stories/la-fibre-enfin /stories/un-velo-en-panne /stories/resilier-chez-orange /category/telecom /category/transport " +
		"/tag/cancellation /tag/fibre /tag/livebox /tag/velo /author/margot /company/orange /company/velib"
	if got := strings.Join(locs, " "); got != want {
		t.Errorf("sitemap URLs\n got %s\nwant %s", got, want)
	}
	// Past the limit, /sitemap.xml is an index of parts that hold every URL once.
	small := newSite(t, withStories(), withDeps(func(d *handlers.Deps) { d.SitemapLimit = 5 }))
	_, body = small.get(nil, "/sitemap.xml")
	var idx struct {
		XMLName  xml.Name
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	check(t, xml.Unmarshal([]byte(body), &idx))
	if idx.XMLName.Local != "sitemapindex" || len(idx.Sitemaps) != 3 {
		t.Fatalf("index: %s", body)
	}
	var all []string
	for _, s := range idx.Sitemaps {
		res, part := small.get(nil, strings.TrimPrefix(s.Loc, testBase))
		set.URLs = nil
		if res.StatusCode != 200 || xml.Unmarshal([]byte(part), &set) != nil || len(set.URLs) > 5 {
			t.Fatalf("%s: %d %s", s.Loc, res.StatusCode, part)
		}
		for _, u := range set.URLs {
			all = append(all, strings.TrimPrefix(u.Loc, testBase))
		}
	}
	if strings.Join(all, " ") != want {
		t.Errorf("the parts hold %q", all)
	}
	if res, _ := small.get(nil, "/sitemap-4.xml"); res.StatusCode != 404 {
		t.Errorf("a part past the last: %d", res.StatusCode)
	}
	res, body = ts.get(nil, "/robots.txt")
	if res.StatusCode != 200 || !strings.Contains(body, "Sitemap: "+testBase+"/sitemap.xml") {
		t.Errorf("robots.txt: %d %q", res.StatusCode, body)
	}
}

func TestStoryMetaEscapesHostileTitles(t *testing.T) {
	ts := newSite(t, withStories())
	hostile := `</script><script>alert(1)</script> "quoted" & <b>`
	st, err := ts.store.UpdateStory(context.Background(), ts.stories["velo"].ID, ts.author.ID, models.StoryInput{Title: hostile, Body: "Body </script><script>alert(2)</script>"})
	check(t, err)
	res, body := ts.get(nil, "/stories/"+st.Slug)
	if res.StatusCode != 200 {
		t.Fatal(res.StatusCode)
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("the hostile title broke out of its context")
	}
	for _, want := range []string{`<meta property="og:title" content="&lt;/script&gt;`, `<meta property="og:url" content="` + testBase + `/stories/` + st.Slug + `">`,
		`<meta name="twitter:card" content="summary">`, `<link rel="canonical" href="` + testBase + `/stories/` + st.Slug + `">`} {
		if !strings.Contains(body, want) {
			t.Errorf("story page lacks %s", want)
		}
	}
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD: %v\n%s", err, m[1])
	}
	if ld["@type"] != "BlogPosting" || ld["headline"] != hostile || ld["url"] != testBase+"/stories/"+st.Slug {
		t.Errorf("JSON-LD %v", ld)
	}
}

func TestFeedsPageAndLinks(t *testing.T) {
	ts := newSite(t, withStories())
	res, body := ts.get(nil, "/feeds")
	if res.StatusCode != 200 {
		t.Fatal(res.StatusCode)
	}
	for _, want := range []string{`href="/feed"`, `href="/comments/feed/atom"`, `href="/category/telecom/feed"`, `href="/company/velib/feed/atom"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/feeds lacks %s", want)
		}
	}
	for _, path := range []string{"/", "/category/telecom", "/stories/resilier-chez-orange"} {
		_, body := ts.get(nil, path)
		if !strings.Contains(body, `<a href="/feeds">`) || !strings.Contains(body, `rel="alternate" type="application/atom+xml"`) ||
			!strings.Contains(body, `action="/search"`) {
			t.Errorf("%s lacks the feeds link, its alternate feeds or the search box", path)
		}
	}
}

// A search asked for again comes from the page cache, and a write (here a
// story published) shows in it at once.
func TestRepeatedSearchSeesWrites(t *testing.T) {
	ts := newSite(t, withStories())
	for range 3 {
		if _, body := ts.get(nil, "/search?q=technician"); strings.Count(body, `class="card hit`) != 1 {
			t.Fatalf("one story has the word:\n%.2000s", body)
		}
	}
	if ts.queries != nil {
		before := ts.queries.n.Load()
		ts.get(nil, "/search?q=technician")
		if n := ts.queries.n.Load() - before; n != 0 {
			t.Errorf("a repeated search ran %d queries, want none (from the page cache)", n)
		}
	}
	_, err := ts.store.CreateStory(context.Background(), models.StoryInput{Title: "Another technician", Body: "The technician never came.",
		AuthorID: ts.author.ID, Status: models.StatusPublished})
	check(t, err)
	if _, body := ts.get(nil, "/search?q=technician"); strings.Count(body, `class="card hit`) != 2 {
		t.Errorf("after a story was published, the search shows:\n%.2000s", body)
	}
}
