package app

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReadCounts: a story page is the same cached page for everyone, with
// the address its script posts a read to; the read is counted once per
// address and day, leaves the page cache alone, and My stories shows it
// beside the likes, "me too" and comments. A draft counts nothing.
func TestReadCounts(t *testing.T) {
	s := newSite(t, withStories())
	st := s.stories["box"]
	path := "/stories/" + st.Slug
	s.clock.add(2 * time.Second) // pages are kept once their Last-Modified can be sent
	_, first, _ := s.fetch(t, "GET", path)
	if !strings.Contains(first, `data-read="`+path+`/read"`) {
		t.Fatal("the story page has no read count script")
	}
	for i := 0; i < 3; i++ {
		r, body := s.do(nil, http.MethodPost, path+"/read", nil, "Origin", s.URL)
		if r.StatusCode != http.StatusNoContent {
			t.Fatalf("POST %s/read: %d %s", path, r.StatusCode, body)
		}
	}
	res, again, n := s.fetch(t, "GET", path)
	if n > 0 { // the entry lasts until its form stamp's step ends: at most one miss
		res, again, n = s.fetch(t, "GET", path)
	}
	if n != 0 || again != first || strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("after reads the page ran %d queries, same body %v, Cache-Control %q", n, again == first, res.Header.Get("Cache-Control"))
	}
	if r, _ := s.do(nil, http.MethodPost, "/stories/"+s.stories["draft"].Slug+"/read", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("a draft's read: %d", r.StatusCode)
	}
	_, body := s.get(s.signIn(s.author), "/me/stories")
	m := regexp.MustCompile(`(?s)>` + regexp.QuoteMeta(st.Title) + `</a></strong>.*?<p class="my-story-stats">([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil || m[1] != "0 likes · 0 “me too” · 1 comment · read by 1 person" {
		t.Errorf("My stories shows for %q: %v", st.Title, m)
	}
}
