package app

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// A compressed request body is refused before anything inflates it: a gzip
// bomb (256 MB of form once inflated, 264 kB on the wire) costs the server
// about what it sent, and answers 415 on a page.
func TestCompressedBodiesAreRefusedUninflated(t *testing.T) {
	cs := newSite(t, withComments())
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	bomb := gzipBomb(t, "--"+mw.Boundary()+"\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n",
		"\r\n--"+mw.Boundary()+"--\r\n")
	if bomb.Len() > 512<<10 {
		t.Fatalf("the bomb is %d bytes on the wire", bomb.Len())
	}
	before := cs.rowCounts()
	for _, enc := range []string{"gzip", "deflate", "br", "GZIP", "gzip, identity"} {
		req, _ := http.NewRequest(http.MethodPost, "/stories/"+cs.story.Slug+"/comments", bytes.NewReader(bomb.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Content-Encoding", enc)
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		res := cs.send(nil, req)
		body, _ := io.ReadAll(res.Body)
		runtime.ReadMemStats(&m1)
		if res.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(string(body), "without compression") {
			t.Errorf("Content-Encoding %s: status %d, want the 415 page", enc, res.StatusCode)
		}
		// The request is copied a few times on its way; inflating it would cost 256 MB.
		spent := m1.TotalAlloc - m0.TotalAlloc
		t.Logf("Content-Encoding %s: %d kB allocated for a %d kB request that inflates to 256 MB", enc, spent>>10, bomb.Len()>>10)
		if spent > 32<<20 {
			t.Errorf("Content-Encoding %s: %d MB allocated for a %d kB request", enc, spent>>20, bomb.Len()>>10)
		}
	}
	cs.sameRows(before, "gzip bomb")
	// "identity" is no compression at all.
	f := cs.form(guest(), cs.story)
	f.Set("body", "Sans compression.")
	f.Set("name", "Claire")
	f.Set("email", "claire@example.org")
	res, body := cs.do(guest(), http.MethodPost, "/stories/"+cs.story.Slug+"/comments", f, "Content-Encoding", "identity")
	wantCode(t, res, body, http.StatusSeeOther)
}

// gzipBomb is a gzip stream of head, 256 MB of "a" and tail, made of gzip
// members one after the other (a reader inflates them as one stream). The
// member of 1 MB is compressed once and repeated: compressing 256 MB took
// minutes under the race detector. The inflated body is never held.
func gzipBomb(t *testing.T, head, tail string) *bytes.Buffer {
	t.Helper()
	member := func(data []byte) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, err := zw.Write(data)
		check(t, err)
		check(t, zw.Close())
		return b.Bytes()
	}
	var bomb bytes.Buffer
	bomb.Write(member([]byte(head)))
	mb := member(bytes.Repeat([]byte{'a'}, 1<<20))
	for range 256 {
		bomb.Write(mb)
	}
	bomb.Write(member([]byte(tail)))
	return &bomb
}

// A client that never finishes its headers is cut off after the read
// timeout (shortened here), whatever it keeps trickling.
func TestSlowHeadersAreCutOff(t *testing.T) {
	s := newSite(t, listening(), withConfig(func(c *Config) { c.timeouts = timeouts{read: 300 * time.Millisecond} }))
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	check(t, err)
	defer conn.Close()
	fmt.Fprint(conn, "GET / HTTP/1.1\r\nHost: x\r\n")
	closed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, conn) // returns when the server closes the connection
		close(closed)
	}()
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-closed:
			return
		case <-deadline:
			t.Fatal("a client trickling its headers held the connection for 10 seconds; the read timeout is 300 ms")
		case <-tick.C:
			fmt.Fprintf(conn, "X-%d: y\r\n", i)
		}
	}
}

// Two hundred connections trickling their headers a byte at a time do not
// keep a normal reader from the front page. The trickle stops by itself.
func TestSlowClientsDoNotStopReaders(t *testing.T) {
	s := newSite(t, listening())
	addr := strings.TrimPrefix(s.URL, "http://")
	const slow = 200
	stop := make(chan struct{})
	var wg sync.WaitGroup
	opened := make(chan struct{}, slow)
	for i := range slow {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Errorf("slow client %d: %v", i, err)
				opened <- struct{}{}
				return
			}
			defer conn.Close()
			opened <- struct{}{}
			req := "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("z", 100)
			for j := 0; j < len(req); j++ {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
				}
				if _, err := conn.Write([]byte{req[j]}); err != nil {
					return
				}
			}
		}()
	}
	for range slow {
		<-opened
	}
	defer func() { close(stop); wg.Wait() }()
	b := s.browser()
	for range 5 {
		if p := b.get(s.URL + "/"); p.Status != http.StatusOK {
			t.Fatalf("the front page answered %d with 200 slow clients connected", p.Status)
		}
	}
}

// Searches over the per-IP rate get a 429 with Retry-After: the page keeps
// the words typed; a script gets JSON; the search feed a 429 page.
func TestSearchRateLimit(t *testing.T) {
	cs := newSite(t, withComments(), withConfig(func(c *Config) { c.SearchRate = 3 }))
	for i := range 3 {
		res, body := cs.get(nil, fmt.Sprintf("/search?q=orange+%d", i))
		wantCode(t, res, body, http.StatusOK)
	}
	res, body := cs.get(nil, "/search?q=r%C3%A9silier+box")
	wantCode(t, res, body, http.StatusTooManyRequests)
	if ra := res.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	page := html.UnescapeString(body)
	if !strings.Contains(page, `value="résilier box"`) || !strings.Contains(page, "Too many searches") {
		t.Errorf("the 429 search page lacks the words typed or the reason:\n%.2000s", page)
	}
	res, body = cs.do(nil, http.MethodGet, "/search?q=x", nil, "Accept", "application/json")
	wantCode(t, res, body, http.StatusTooManyRequests)
	var j struct {
		RetryAfter int `json:"retry_after"`
	}
	if err := json.Unmarshal([]byte(body), &j); err != nil || j.RetryAfter <= 0 {
		t.Errorf("JSON 429: %q (%v)", body, err)
	}
	res, body = cs.get(nil, "/search/feed?q=orange")
	wantCode(t, res, body, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many searches") {
		t.Error("the search feed's 429 lacks Retry-After or its page")
	}
	// The next minute, searching works again.
	cs.clock.add(time.Minute)
	res, body = cs.get(nil, "/search?q=orange")
	wantCode(t, res, body, http.StatusOK)
}

// The post limit answers 429 with Retry-After on the page that gives the
// form back, and JSON to a script.
func TestPostRateLimitPage(t *testing.T) {
	cs := newSite(t, withComments(), withConfig(func(c *Config) { c.PostRate = 1 }))
	reader := cs.signIn(cs.readers[0])
	res, body := cs.do(reader, http.MethodPost, "/stories/"+cs.story.Slug+"/like", url.Values{"on": {"1"}})
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.do(reader, http.MethodPost, "/me", url.Values{"name": {"Paul, encore"}, "handle": {"paul"}})
	wantCode(t, res, body, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" || !strings.Contains(body, "Paul, encore") {
		t.Errorf("the 429 lacks Retry-After or the text typed")
	}
	res, body = cs.do(reader, http.MethodPost, "/stories/"+cs.story.Slug+"/like", url.Values{"on": {"1"}}, "Accept", "application/json")
	wantCode(t, res, body, http.StatusTooManyRequests)
	if !strings.Contains(body, `"retry_after"`) {
		t.Errorf("a script's 429 is %q", body)
	}
}

// The client's address comes from X-Forwarded-For only when the peer is a
// trusted proxy: otherwise a client cannot dodge a limit by writing one.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	n := 0
	search := func(s *testSite, xff string) int {
		// A new search each time: one asked for again comes from the page
		// cache, and is not counted.
		n++
		res, _ := s.get(nil, fmt.Sprintf("/search?q=box+%d", n), "X-Forwarded-For", xff)
		return res.StatusCode
	}
	direct := newSite(t, withBase(plainBase), withConfig(func(c *Config) { c.SearchRate = 1 }))
	if got := search(direct, "203.0.113.1"); got != http.StatusOK {
		t.Fatalf("first search: %d", got)
	}
	if got := search(direct, "203.0.113.2"); got != http.StatusTooManyRequests {
		t.Errorf("without trusted proxies, a new X-Forwarded-For dodged the limit (%d)", got)
	}
	proxied := newSite(t, withBase(plainBase), withConfig(func(c *Config) { c.SearchRate = 1; c.TrustedProxies = testPeer + ", 10.0.0.0/8" }))
	for i, tt := range []struct {
		xff  string
		want int
	}{
		{"203.0.113.1", http.StatusOK},
		{"203.0.113.2", http.StatusOK},                            // another client behind the proxy
		{"203.0.113.2", http.StatusTooManyRequests},               // the same one again
		{"203.0.113.2, 10.1.2.3", http.StatusTooManyRequests},     // through a second trusted proxy
		{"198.51.100.7, 203.0.113.2", http.StatusTooManyRequests}, // a client's own entry on the left is not believed
		{"198.51.100.7, 203.0.113.9", http.StatusOK},
	} {
		if got := search(proxied, tt.xff); got != tt.want {
			t.Errorf("%d: X-Forwarded-For %q: status %d, want %d", i, tt.xff, got, tt.want)
		}
	}
}

// An author typing sends many live previews: they are counted apart, so
// that the story's own post still goes through.
func TestPreviewsDoNotUseUpThePostRate(t *testing.T) {
	cs := newSite(t, withComments(), withConfig(func(c *Config) { c.PostRate = 2 }))
	author := cs.signIn(cs.author)
	for i := range 8 {
		res, body := cs.do(author, http.MethodPost, "/preview", url.Values{"body": {fmt.Sprintf("Draft %d", i)}})
		wantCode(t, res, body, http.StatusOK)
	}
	res, body := cs.do(author, http.MethodPost, "/preview", url.Values{"body": {"one too many"}})
	wantCode(t, res, body, http.StatusTooManyRequests)
	res, body = cs.do(author, http.MethodPost, "/write", url.Values{"title": {"Enfin"}, "body": {"Texte."}, "company": {"Orange"}, "action": {"publish"}})
	wantCode(t, res, body, http.StatusSeeOther)
}

// A search longer than what is searched says so, and still answers.
func TestLongSearchSaysWhatWasUsed(t *testing.T) {
	cs := newSite(t, withComments())
	res, body := cs.get(nil, "/search?q="+strings.Repeat("box+", 200))
	wantCode(t, res, body, http.StatusOK)
	if !strings.Contains(body, "Your search is 800 characters long: only its first 300 were used.") {
		t.Error("no notice that only the start of the search was used")
	}
	res, body = cs.get(nil, "/search?q=box")
	if strings.Contains(body, "were used") {
		t.Error("a short search gets the notice")
	}
}
