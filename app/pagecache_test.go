package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"doleances/models"

	"doleances/app/demo"
)

// cachedSite is a the comment site (withComments) with a company, a tag and an approved
// comment, its clock a second into a stamp step (so that story pages are kept).
type cachedSite struct {
	*testSite
	cat      *models.Category
	orange   *models.Company
	box      *models.Story // by author, at Orange, tagged "box"
	approved *models.Comment
}

func newCachedSite(t *testing.T) *cachedSite {
	t.Helper()
	cs := &cachedSite{testSite: newSite(t, withComments())}
	ctx := context.Background()
	var err error
	cs.cat, err = cs.store.CategoryBySlug(ctx, "telecom")
	check(t, err)
	cs.orange, err = cs.store.FindOrCreateCompany(ctx, "Orange")
	check(t, err)
	cs.box = cs.publish("La box qui clignote", cs.orange, "box")
	paul := cs.readers[0].ID
	cs.approved, err = cs.store.AddComment(ctx, models.CommentInput{StoryID: cs.story.ID, UserID: &paul,
		AuthorName: "Paul Martin", Body: "Pareil chez moi.", Status: models.CommentApproved})
	check(t, err)
	cs.clock.add(time.Second)
	return cs
}

func (cs *cachedSite) publish(title string, co *models.Company, tags ...string) *models.Story {
	cs.t.Helper()
	st, err := cs.store.CreateStory(context.Background(), models.StoryInput{Title: title, Body: "Elle clignote.",
		AuthorID: cs.author.ID, CategoryIDs: []uint{cs.cat.ID}, Tags: tags, CompanyID: &co.ID, Status: models.StatusPublished})
	check(cs.t, err)
	return st
}

// anon fetches path as a visitor without cookies: status and body.
func (cs *cachedSite) anon(path string) (int, string) {
	cs.t.Helper()
	res, body := cs.get(nil, path)
	return res.StatusCode, body
}

// shown is what a page must show after a write: its status (0: 200), a text
// it must hold and one it must not.
type shown struct {
	path       string
	status     int
	has, lacks string
}

// TestCachedPagesChangeAfterEachKindOfWrite fetches every page a write
// concerns twice (the second from the cache), writes, and checks that the
// next fetch shows the write.
func TestCachedPagesChangeAfterEachKindOfWrite(t *testing.T) {
	cs := newCachedSite(t)
	ctx := context.Background()
	s := cs.store
	paul, ines := cs.readers[0], cs.readers[1]
	story, box, other := "/stories/"+cs.story.Slug, "/stories/"+cs.box.Slug, "/stories/"+cs.other.Slug
	var held *models.Comment
	var sfr *models.Company
	cases := []struct {
		name         string
		setup, write func() error
		pages        []shown
	}{
		{name: "a story is published", write: func() error { cs.publish("Orange coupe la ligne", cs.orange, "box"); return nil },
			pages: []shown{{path: "/", has: "Orange coupe la ligne"}, {path: "/category/telecom", has: "Orange coupe la ligne"},
				{path: "/tag/box", has: "Orange coupe la ligne"}, {path: "/author/margot", has: "Orange coupe la ligne"},
				{path: "/company/orange", has: "Orange coupe la ligne"}, {path: "/company/orange?sort=metoo", has: "Orange coupe la ligne"},
				{path: "/archive/2026/03", has: "Orange coupe la ligne"}, {path: "/feed", has: "Orange coupe la ligne"},
				{path: "/feed/atom", has: "Orange coupe la ligne"}, {path: "/category/telecom/feed", has: "Orange coupe la ligne"},
				{path: "/sitemap.xml", has: "orange-coupe-la-ligne"}, {path: story, has: "Orange coupe la ligne"}}},
		{name: "a story is edited", write: func() error {
			_, err := s.UpdateStory(ctx, cs.box.ID, cs.author.ID, models.StoryInput{Title: "La box clignote encore", Body: "Toujours.",
				AuthorID: cs.author.ID, CategoryIDs: []uint{cs.cat.ID}, Tags: []string{"box"}, CompanyID: &cs.orange.ID, Status: models.StatusPublished})
			return err
		}, pages: []shown{{path: box, status: 301}, {path: "/", has: "La box clignote encore"}, {path: "/tag/box", has: "La box clignote encore"},
			{path: "/company/orange", has: "La box clignote encore"}, {path: "/feed", has: "Toujours."}}},
		{name: "a story is unpublished", write: func() error { return s.UnpublishStory(ctx, cs.other.ID, cs.admin.ID) },
			pages: []shown{{path: other, status: 404}, {path: "/", lacks: "Un vélo en panne"}, {path: "/author/root", lacks: "Un vélo en panne"},
				{path: "/feed", lacks: "Un vélo en panne"}, {path: "/sitemap.xml", lacks: cs.other.Slug}}},
		{name: "a comment is posted", write: func() error {
			_, err := s.AddComment(ctx, models.CommentInput{StoryID: cs.story.ID, UserID: &ines.ID, AuthorName: ines.Name,
				Body: "Même chose chez Free.", Status: models.CommentApproved})
			return err
		}, pages: []shown{{path: story, has: "Même chose chez Free."}, {path: story + "/feed", has: "Même chose chez Free."},
			{path: "/comments/feed/atom", has: "Même chose chez Free."}, {path: "/category/telecom", has: "2 comments"}}},
		{name: "a held comment is approved", setup: func() (err error) {
			held, err = s.AddComment(ctx, models.CommentInput{StoryID: cs.story.ID, AuthorName: "Gus", AuthorEmail: "gus@example.org",
				Body: "Avis en attente.", Status: models.CommentPending})
			return err
		}, write: func() error { return s.SetCommentStatus(ctx, held.ID, models.CommentApproved) },
			pages: []shown{{path: story, has: "Avis en attente."}, {path: "/comments/feed", has: "Avis en attente."}}},
		{name: "a comment is edited", write: func() error {
			_, err := s.EditComment(ctx, cs.approved.ID, paul.ID, "Pareil chez Bouygues.", models.ModerationRules{})
			return err
		}, pages: []shown{{path: story, has: "Pareil chez Bouygues.", lacks: "Pareil chez moi."}, {path: story + "/feed", has: "Pareil chez Bouygues."}}},
		{name: "a comment is deleted", write: func() error { return s.DeleteComment(ctx, cs.approved.ID, paul.ID) },
			pages: []shown{{path: story, lacks: "Pareil chez Bouygues."}, {path: "/comments/feed", lacks: "Pareil chez Bouygues."}}},
		{name: "a story is liked", write: func() error { _, err := s.SetLike(ctx, cs.story.ID, ines.ID, true); return err },
			pages: []shown{{path: story, has: "1 reader likes"}}},
		{name: "a me too", write: func() error { _, err := s.SetMeToo(ctx, cs.box.ID, paul.ID, true); return err },
			pages: []shown{{path: "/stories/la-box-clignote-encore", has: "1 reader</span> had"}}},
		{name: "a category is renamed", write: func() error {
			_, err := s.UpdateCategory(ctx, cs.cat.ID, models.CategoryInput{Name: "Télécoms", Slug: "telecom"})
			return err
		}, pages: []shown{{path: "/category/telecom", has: "Télécoms"}, {path: "/", has: "Télécoms"}, {path: story, has: "Télécoms"}}},
		{name: "companies are merged", setup: func() (err error) {
			if sfr, err = s.FindOrCreateCompany(ctx, "SFR"); err == nil {
				cs.publish("SFR ne répond pas", sfr)
			}
			return err
		}, write: func() error { return s.MergeCompanies(ctx, sfr.ID, cs.orange.ID) },
			pages: []shown{{path: "/company/sfr", status: 301}, {path: "/company/orange", has: "SFR ne répond pas"}}},
		{name: "an author changes their name", write: func() error { return s.UpdateProfile(ctx, cs.author.ID, "Margot L.", "margot") },
			pages: []shown{{path: "/author/margot", has: "Margot L."}, {path: story, has: "Margot L."}, {path: "/", has: "Margot L."},
				{path: "/feed", has: "Margot L."}}},
		{name: "comments are closed", write: func() error { return s.SetCommentsClosed(ctx, cs.story.ID, cs.author.ID, true) },
			pages: []shown{{path: story, lacks: `name="stamp"`}}},
		{name: "an update is appended", write: func() error {
			_, err := s.AddStoryUpdate(ctx, cs.story.ID, cs.author.ID, "La ligne remarche.", models.ResolutionResolved)
			return err
		}, pages: []shown{{path: story, has: "La ligne remarche."}}},
		{name: "an account is deleted", setup: func() error {
			_, err := s.AddComment(ctx, models.CommentInput{StoryID: cs.box.ID, UserID: &ines.ID, AuthorName: ines.Name,
				Body: "Signé Inès.", Status: models.CommentApproved})
			return err
		}, write: func() error { return s.DeleteUser(ctx, ines.ID, false) },
			pages: []shown{{path: "/stories/la-box-clignote-encore", lacks: "Signé Inès."}, {path: story, lacks: `title="Inès Haddad"`}}},
		{name: "a story is deleted", write: func() error { return s.DeleteStory(ctx, cs.box.ID, cs.author.ID) },
			pages: []shown{{path: "/stories/la-box-clignote-encore", status: 404}, {path: "/tag/box", lacks: "La box clignote encore"},
				{path: "/company/orange", lacks: "La box clignote encore"}}},
	}
	// Pages are checked as an anonymous visitor (the page cache) and signed
	// in (rendered each time, from what the memos keep).
	admin := cs.signIn(cs.admin)
	views := []struct {
		who string
		get func(string) (int, string)
	}{{"anonymous", cs.anon}, {"signed in", func(p string) (int, string) { res, b := cs.get(admin, p); return res.StatusCode, b }}}
	for _, tc := range cases {
		if tc.setup != nil {
			check(t, tc.setup())
		}
		before := map[string]string{}
		for _, v := range views {
			for _, p := range tc.pages {
				_, first := v.get(p.path)
				if _, again := v.get(p.path); again != first {
					t.Fatalf("%s: GET %s twice %s gave two pages before the write", tc.name, p.path, v.who)
				}
				before[v.who+p.path] = first
			}
		}
		check(t, tc.write())
		for _, v := range views {
			for _, p := range tc.pages {
				status, body := v.get(p.path)
				want := p.status
				if want == 0 {
					want = http.StatusOK
				}
				switch {
				case status != want:
					t.Errorf("%s: GET %s %s: %d, want %d", tc.name, p.path, v.who, status, want)
				case body == before[v.who+p.path]:
					t.Errorf("%s: GET %s %s: the same page as before the write", tc.name, p.path, v.who)
				case p.has != "" && !strings.Contains(body, p.has):
					t.Errorf("%s: GET %s %s lacks %q", tc.name, p.path, v.who, p.has)
				case p.lacks != "" && strings.Contains(body, p.lacks):
					t.Errorf("%s: GET %s %s still shows %q", tc.name, p.path, v.who, p.lacks)
				}
			}
		}
	}
}

// fetch sends method path without cookies; it returns the response, the
// body and the number of queries it ran.
func (ts *testSite) fetch(t *testing.T, method, path string, headers ...string) (*http.Response, string, int64) {
	t.Helper()
	ts.queries.n.Store(0)
	res, body := ts.do(nil, method, path, nil, headers...)
	return res, body, ts.queries.n.Load()
}

// TestAnonymousPagesComeFromTheCache: the second view of each page runs no
// query, and answers the same bytes, validators, 304s and HEADs.
func TestAnonymousPagesComeFromTheCache(t *testing.T) {
	ts := newSite(t, withDemo())
	story := "/stories/" + models.Slugify(demo.Stories[0].Title)
	// Pages are kept once their Last-Modified can be sent: a second after the demo was written.
	time.Sleep(1100 * time.Millisecond)
	paths := []string{"/", "/page/2", story, "/category/telecom", "/tag/cancellation", "/author/jenna-w",
		"/company/orange", "/company/orange?sort=metoo", "/feed", "/feed/atom", "/comments/feed", story + "/feed",
		"/category/telecom/feed/atom", "/feeds", "/sitemap.xml", "/robots.txt"}
	bodies := map[string]string{}
	for _, p := range paths {
		res, body, _ := ts.fetch(t, "GET", p)
		if res.StatusCode != 200 || body == "" {
			t.Fatalf("GET %s: %d", p, res.StatusCode)
		}
		etag := res.Header.Get("ETag")
		again, body2, n := ts.fetch(t, "GET", p)
		if n > 0 { // the story page's entry lasts until its form stamp's step ends: at most one miss
			again, body2, n = ts.fetch(t, "GET", p)
		}
		if n != 0 || body2 != body || again.Header.Get("ETag") != etag || again.Header.Get("Content-Type") != res.Header.Get("Content-Type") {
			t.Errorf("GET %s again: %d queries, same body %v, ETag %q then %q", p, n, body2 == body, etag, again.Header.Get("ETag"))
		}
		if res, b, n := ts.fetch(t, "GET", p, "If-None-Match", etag); res.StatusCode != 304 || b != "" || n != 0 {
			t.Errorf("GET %s If-None-Match: %d, %d bytes, %d queries", p, res.StatusCode, len(b), n)
		}
		if res, b, n := ts.fetch(t, "HEAD", p); res.StatusCode != 200 || b != "" || n != 0 || res.Header.Get("ETag") != etag ||
			res.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("HEAD %s: %d, %d bytes, %d queries, ETag %q, Content-Length %q", p, res.StatusCode, len(b), n,
				res.Header.Get("ETag"), res.Header.Get("Content-Length"))
		}
		bodies[p] = body
	}
	if bodies["/company/orange"] == bodies["/company/orange?sort=metoo"] {
		t.Error("the two orders of a company page share one entry")
	}
	// Query strings outside a route's allowlist, and search, are rendered every time.
	for _, p := range []string{"/?utm_source=feed", story + "?x=" + strings.Repeat("a", 30), "/search?q=orange", "/company/orange?sort=old"} {
		for range 2 {
			if res, _, n := ts.fetch(t, "GET", p); res.StatusCode != 200 || n == 0 {
				t.Errorf("GET %s: %d with %d queries, want a fresh render", p, res.StatusCode, n)
			}
		}
	}
	// A HEAD keeps nothing: the GET after it gets the whole page.
	check(t, ts.store.CreateCategory(context.Background(), &models.Category{Name: "Banks"}))
	if res, b, _ := ts.fetch(t, "HEAD", "/feed"); res.StatusCode != 200 || b != "" {
		t.Fatalf("HEAD /feed: %d, %d bytes", res.StatusCode, len(b))
	}
	if _, b, _ := ts.fetch(t, "GET", "/feed"); !strings.Contains(b, "<rss") {
		t.Errorf("GET /feed after a HEAD: %.200q", b)
	}
}

// TestCachedPagesAreNotSharedWithSignedInOrHeldGuests: a signed-in person
// and a guest with a held comment always get their own page, and their
// pages never reach anyone else.
func TestCachedPagesAreNotSharedWithSignedInOrHeldGuests(t *testing.T) {
	cs := newCachedSite(t)
	path := "/stories/" + cs.story.Slug
	_, anonymous := cs.anon(path)
	paul := cs.signIn(cs.readers[0])
	res, mine := cs.get(paul, path)
	if !strings.Contains(mine, `name="csrf" value="`+paul.csrf) || mine == anonymous || !strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
		t.Fatalf("a signed-in reader got the anonymous page (Cache-Control %q)", res.Header.Get("Cache-Control"))
	}
	if _, again := cs.anon(path); again != anonymous {
		t.Error("a signed-in view changed the anonymous page")
	}
	// Signed in first, after a write: nothing of theirs is kept for others.
	cs.clock.add(models.FloodInterval)
	cs.comment(paul, cs.other, "Une remarque de Paul")
	for _, p := range []string{path, "/", "/stories/" + cs.other.Slug} {
		cs.get(paul, p)
		if _, body := cs.anon(p); strings.Contains(body, `name="csrf"`) || strings.Contains(body, paul.csrf) {
			t.Errorf("GET %s: an anonymous visitor got a signed-in page", p)
		}
	}
	// A guest's held comment is theirs alone, before and after others' views.
	gus := guest()
	res, body := cs.comment(gus, cs.story, "Mon avis en attente", "name", "Gus", "email", "gus@example.org")
	wantCode(t, res, body, http.StatusSeeOther)
	cs.anon(path)
	for range 2 {
		if _, body := cs.get(gus, path); !strings.Contains(body, "Mon avis en attente") {
			t.Fatal("the guest does not see their held comment")
		}
		if _, body := cs.anon(path); strings.Contains(body, "Mon avis en attente") {
			t.Fatal("an anonymous visitor sees a held comment")
		}
	}
	// So is a signed-in reader's, whatever other signed-in readers see.
	ines := cs.signIn(cs.readers[1])
	cs.get(ines, path)
	res, body = cs.comment(paul, cs.story, "Un avis avec casino dedans")
	wantCode(t, res, body, http.StatusSeeOther)
	for range 2 {
		if _, body := cs.get(paul, path); !strings.Contains(body, "Un avis avec casino dedans") {
			t.Fatal("a signed-in reader does not see their held comment")
		}
		if _, body := cs.get(ines, path); strings.Contains(body, "Un avis avec casino dedans") {
			t.Fatal("a signed-in reader sees another's held comment")
		}
	}
	// A stale session cookie is cleared by a rendered page, never by a kept one.
	stale := &visitor{cookies: map[string]string{"doleances_session": "expired-or-forged"}}
	if res, _ := cs.get(stale, path); !strings.Contains(strings.Join(res.Header.Values("Set-Cookie"), ";"), "doleances_session=;") {
		t.Errorf("a stale session cookie was not cleared: %q", res.Header.Values("Set-Cookie"))
	}
	if res, _ := cs.get(nil, path); len(res.Header.Values("Set-Cookie")) > 0 {
		t.Error("an anonymous page sets a cookie")
	}
}

// TestCommentFormWorksOnCachedPages posts the guest form of a story page
// served from the cache: the page is kept within its stamp step, a person is
// accepted, a bot posting at once in the first seconds of a step is refused
// (and its resend is not), and a cross-site post is refused.
func TestCommentFormWorksOnCachedPages(t *testing.T) {
	cs := newCachedSite(t) // the clock: 12:00:01, a stamp step from 12:00:00 to 12:00:10
	ctx := context.Background()
	_, err := cs.store.AddComment(ctx, models.CommentInput{StoryID: cs.other.ID, AuthorName: "Léa", AuthorEmail: "lea@example.org",
		Body: "Un premier avis approuvé.", Status: models.CommentApproved})
	check(t, err)
	path := "/stories/" + cs.story.Slug
	stampOf := func(body string) string {
		m := stampRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no stamp on the page")
		}
		return m[1]
	}
	_, first := cs.anon(path)
	cs.clock.add(8 * time.Second) // 12:00:09: the page comes from the cache
	_, kept := cs.anon(path)
	if kept != first {
		t.Fatal("the story page was not kept within its stamp step")
	}
	form := func(stamp string) url.Values {
		return url.Values{"stamp": {stamp}, "name": {"Léa"}, "email": {"lea@example.org"}, "body": {"Même histoire chez moi."}}
	}
	post := func(stamp string, headers ...string) (*http.Response, string) {
		return cs.do(guest(), http.MethodPost, path+"/comments", form(stamp), headers...)
	}
	res, body := post(stampOf(kept), "Origin", "https://evil.example")
	wantCode(t, res, body, http.StatusForbidden)
	if !strings.Contains(body, "Même histoire chez moi.") {
		t.Error("a cross-site post lost the text")
	}
	cs.clock.add(2 * time.Second) // 12:00:11: the step is over, the page is rendered again
	_, fresh := cs.anon(path)
	at, _, _ := strings.Cut(stampOf(fresh), ".")
	if n, _ := strconv.ParseInt(at, 10, 64); fresh == first || time.Unix(n, 0).After(cs.clock.now()) || n%10 != 0 {
		t.Errorf("a page served at %v carries the stamp %s: not its step's start", cs.clock.now(), at)
	}
	res, body = post(stampOf(fresh)) // a second after the step began
	wantCode(t, res, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "That was quick") || !strings.Contains(body, "Même histoire chez moi.") {
		t.Error("an instant post from a fresh page: no message or text lost")
	}
	res, body = post(stampOf(body), "Origin", testBase) // sent again at once
	wantCode(t, res, body, http.StatusSeeOther)
	if _, body := cs.anon(path); !strings.Contains(body, "Même histoire chez moi.") {
		t.Error("the accepted comment is not on the next view of the page")
	}
}

// TestSignedInPagesRunFewQueries: a signed-in page is rendered for each
// view, but what it shows to everyone is read once per write: a view runs
// the session's query, one for the viewer's held comments and one for their
// own reactions (the counts and likers are kept).
func TestSignedInPagesRunFewQueries(t *testing.T) {
	ts := newSite(t, withDemo())
	ctx := context.Background()
	u, err := ts.store.UserByHandle(ctx, "jenna-w")
	check(t, err)
	jenna := ts.signInFor(u, 30*24*time.Hour) // as long as the server's: reading it writes nothing
	story := "/stories/" + models.Slugify(demo.Stories[0].Title)
	most := map[string]int64{"/": 1, "/page/2": 1, "/category/telecom": 2, "/company/orange?sort=metoo": 2, story: 3}
	for p, want := range most {
		var body string
		for range 2 { // the second view is measured
			ts.queries.n.Store(0)
			var res *http.Response
			res, body = ts.get(jenna, p)
			if res.StatusCode != 200 {
				t.Fatalf("GET %s: %d", p, res.StatusCode)
			}
		}
		if n := ts.queries.n.Load(); n > want {
			t.Errorf("GET %s signed in: %d queries, want at most %d", p, n, want)
		}
		if !strings.Contains(body, `name="csrf"`) {
			t.Errorf("GET %s: not the signed-in page", p)
		}
	}
}

// TestCacheIsNeverStaleUnderConcurrentReads: while readers keep rendering
// and keeping the story page and the front page, each write is on the very
// next view after it returns.
func TestCacheIsNeverStaleUnderConcurrentReads(t *testing.T) {
	slow(t) // a stress test of many rounds
	cs := newCachedSite(t)
	ctx := context.Background()
	story := "/stories/" + cs.story.Slug
	paul := cs.signIn(cs.readers[0])
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := []string{story, "/", story + "/feed", "/comments/feed"}[i]
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := cs.roundTrip(nil, cs.newRequest(http.MethodGet, path, nil))
				if err != nil || res.StatusCode != http.StatusOK {
					failed.Add(1)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}()
	}
	for i := range 60 {
		text := fmt.Sprintf("Commentaire numéro %d.", i)
		_, err := cs.store.AddComment(ctx, models.CommentInput{StoryID: cs.story.ID, AuthorName: "Zoé",
			Body: text, Status: models.CommentApproved})
		check(t, err)
		for _, p := range []string{story, "/comments/feed", story + "/feed"} {
			if _, body := cs.anon(p); !strings.Contains(body, text) {
				t.Fatalf("write %d: GET %s right after it does not show it", i, p)
			}
		}
		if _, body := cs.get(paul, story); !strings.Contains(body, text) {
			t.Fatalf("write %d: the signed-in page right after it does not show it", i)
		}
		if _, body := cs.anon("/"); !strings.Contains(body, fmt.Sprintf("%d comments", i+2)) {
			t.Fatalf("write %d: the front page does not count it", i)
		}
	}
	close(stop)
	wg.Wait()
	if failed.Load() > 0 {
		t.Error("a reader got an error")
	}
}
