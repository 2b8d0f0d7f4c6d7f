package wxr

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
)

// wxrHead and wxrTail wrap items into a minimal export.
const wxrHead = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>T</title><link>https://old.example/blog</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example</wp:base_site_url><wp:base_blog_url>https://old.example/blog</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>ann</wp:author_login><wp:author_email>ann@old.example</wp:author_email><wp:author_display_name>Ann</wp:author_display_name></wp:author>
`
const wxrTail = "</channel></rss>\n"

// post is an item of type post.
func post(id int, title, body string) string {
	return fmt.Sprintf(`<item><title>%s</title><link>https://old.example/blog/2020/01/p%d/</link><dc:creator>ann</dc:creator>
<content:encoded><![CDATA[%s]]></content:encoded><wp:post_id>%d</wp:post_id>
<wp:post_date>2020-01-02 10:00:00</wp:post_date><wp:post_date_gmt>2020-01-02 09:00:00</wp:post_date_gmt>
<wp:post_name>p%d</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
`, title, id, body, id, id)
}

// TestBadFilesImportNothing: each bad file gets a clear message, matches
// ErrBadFile, and leaves the site as it was.
func TestBadFilesImportNothing(t *testing.T) {
	fixture, err := os.ReadFile(fixturePath(t))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, file, says string
	}{
		{"truncated", string(fixture[:len(fixture)*4/5]), "ends in the middle"},
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` + strings.TrimPrefix(wxrHead, `<?xml version="1.0" encoding="UTF-8" ?>`) +
			post(1, "&lol3;", "x") + wxrTail, "DTD"},
		{"unknown entity", wxrHead + post(1, "&lol3;", "x") + wxrTail, "entity"},
		{"invalid UTF-8", wxrHead + post(1, "caf\xe9", "x") + wxrTail, "UTF-8"},
		{"plain RSS", `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item><title>A</title></item></channel></rss>`, "not a WordPress export"},
		{"not XML", "PK\x03\x04 a zip file", "line"},
		{"empty", "", "not a WordPress export"},
		{"bad in the last item", wxrHead + post(1, "Fine", "Fine.") + post(2, "Bad", "x]]><oops") + wxrTail, "line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(t)
			_, err := importString(s, c.file, Options{})
			if !errors.Is(err, ErrBadFile) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("error %v, want ErrBadFile saying %q", err, c.says)
			}
			t.Log(err)
			for _, tb := range []string{"users", "stories", "comments", "legacy_paths", "categories", "tags"} {
				if n := s.count(t, "SELECT count(*) FROM "+tb); n != 0 {
					t.Errorf("%d %s written", n, tb)
				}
			}
		})
	}
}

// TestHostileBodies: scripts, javascript: links and iframes do not survive.
func TestHostileBodies(t *testing.T) {
	s := newSite(t)
	body := strings.Repeat(`<script>alert(1)</script><p onclick="x()">Text</p><a href="javascript:alert(2)">js</a>
<iframe src="https://evil.example/"></iframe><a href="jav&#x09;ascript:alert(3)">tab</a><img src="x" onerror="alert(4)">
<a href="https://fine.example/">fine</a>

`, 50)
	if _, err := importString(s, wxrHead+post(1, "Hostile &lt;script&gt;alert(5)&lt;/script&gt; &amp;amp; co", body)+wxrTail, Options{}); err != nil {
		t.Fatal(err)
	}
	var html, md, title string
	s.db.Raw("SELECT html, body, title FROM stories").Row().Scan(&html, &md, &title)
	for _, bad := range []string{"<script", "onclick", "javascript:", "<iframe", "onerror", "alert("} {
		if strings.Contains(strings.ToLower(html), bad) {
			t.Errorf("the story's HTML keeps %q:\n%s", bad, html)
		}
	}
	if !strings.Contains(html, `href="https://fine.example/"`) || title != "Hostile alert(5) & co" {
		t.Errorf("the harmless parts are lost: %q\n%s", title, html)
	}
}

// endless streams an export that starts with start and never ends.
type endless struct {
	start   string
	head, n int64
}

func (e *endless) Read(p []byte) (int, error) {
	start := e.start
	if e.head < int64(len(start)) {
		n := copy(p, start[e.head:])
		e.head += int64(n)
		return n, nil
	}
	for i := range p {
		p[i] = 'a' + byte(i%26)
	}
	e.n += int64(len(p))
	return len(p), nil
}

// TestHugeItemIsRefusedInBoundedMemory: an item past MaxItemBytes (as in a
// 2 GB file of one item) is refused once the budget is read, without
// reading the rest or holding more than a few times the budget.
func TestHugeItemIsRefusedInBoundedMemory(t *testing.T) {
	for _, start := range []string{wxrHead + `<item><title>Huge</title><content:encoded>`, wxrHead} {
		hugeRefused(t, start)
	}
}

// hugeRefused imports a file that is start and then letters without end.
func hugeRefused(t *testing.T, start string) {
	s := newSite(t)
	src := &endless{start: start}
	var peak uint64
	opt := Options{Progress: func(_ int, read int64) {
		if read%(4<<20) < 4096 {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
		}
	}}
	_, err := Import(t.Context(), s.Store, func() (io.ReadCloser, error) { return io.NopCloser(src), nil }, opt)
	if !errors.Is(err, ErrBadFile) || !strings.Contains(err.Error(), "MiB") {
		t.Fatalf("error %v, want a refusal of the huge item", err)
	}
	if src.n > 2*MaxItemBytes {
		t.Errorf("read %d MiB of the item before refusing it", src.n>>20)
	}
	if peak > 5*MaxItemBytes {
		t.Errorf("peak heap %d MiB", peak>>20)
	}
}
