package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/mmcdole/gofeed"
	xhtml "golang.org/x/net/html"

	"doleances/models"
)

// TestHostileCommentBodies posts hostile comments as an admin (so that no
// moderation rule hides them) and checks that each answers without a 500
// and that nothing comes back active on the story page or in its feeds.
func TestHostileCommentBodies(t *testing.T) {
	cs := newSite(t, withComments())
	admin := cs.signIn(cs.admin)
	page := "/stories/" + cs.story.Slug
	tests := []struct {
		name, body string
		refused    bool // a 4xx with a message instead of a comment
	}{
		{"script tag", `<script>alert("x")</script> hello`, true}, // raw HTML alone shows nothing: refused as empty,
		{"script in markdown link text", `[<script>alert(1)</script>](https://a.example)`, false},
		{"javascript link", `[click me](javascript:alert(document.cookie))`, false},
		{"javascript autolink", `<javascript:alert(1)>`, false},
		{"encoded javascript", `[x](jav&#x09;ascript:alert(1))`, false},
		{"data link", `[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`, false},
		{"data image", `![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`, false},
		{"onerror attribute", `<img src=x onerror=alert(1)>`, true}, // raw HTML alone shows nothing: refused as empty,
		{"onerror in markdown image", `![x" onerror="alert(1)](https://a.example/i.png)`, false},
		{"iframe", `<iframe src="https://evil.example"></iframe>`, true}, // raw HTML alone shows nothing: refused as empty,
		{"svg onload", `<svg/onload=alert(1)>`, false},
		{"style tag", `<style>body{display:none}</style>`, true}, // raw HTML alone shows nothing: refused as empty,
		{"direction override", "harmless \u202etxt.exe", true},
		{"NUL byte (dropped)", "nul\x00byte", false},
		{"invalid UTF-8 (replaced)", "bad \xff\xfe utf8", false},
		{"one megabyte", strings.Repeat("a", 1_000_000), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := cs.comment(admin, cs.story, tt.body)
			if res.StatusCode >= 500 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if tt.refused {
				if res.StatusCode < 400 {
					t.Errorf("accepted with status %d", res.StatusCode)
				}
				return
			}
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d, want a saved comment", res.StatusCode)
			}
			_, out := cs.get(admin, page)
			for _, a := range activeHTML(out) {
				t.Errorf("the story page has %s", a)
			}
			// A feed reader renders each item's HTML: it must be as inert as the page.
			for _, path := range []string{page + "/feed", "/comments/feed/atom"} {
				_, raw := cs.get(admin, path)
				feed, err := gofeed.NewParser().ParseString(raw)
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				for _, it := range feed.Items {
					for _, a := range activeHTML(it.Content + it.Description + it.Title) {
						t.Errorf("%s has %s", path, a)
					}
				}
			}
		})
	}
}

// activeHTML lists what in page could run or load code: script, style,
// frame and embedding elements (except the site's own scripts under
// /static/), event-handler attributes, and addresses whose scheme is not
// http, https, mailto or tel (javascript:, vbscript:, data:...), read as a
// browser reads them: entities decoded, whitespace and controls dropped.
func activeHTML(page string) []string {
	var found []string
	z := xhtml.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return found
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		attrs := map[string]string{}
		for _, a := range tok.Attr {
			attrs[a.Key] = a.Val
			switch {
			case strings.HasPrefix(a.Key, "on"):
				found = append(found, fmt.Sprintf("<%s %s=%q>", tok.Data, a.Key, a.Val))
			case urlAttrs[a.Key] && !safeScheme(a.Val):
				found = append(found, fmt.Sprintf("<%s %s=%q>", tok.Data, a.Key, a.Val))
			}
		}
		switch tok.Data {
		case "script":
			if t := attrs["type"]; t == "application/ld+json" || strings.HasPrefix(attrs["src"], "/static/") {
				continue
			}
			found = append(found, "<script>")
		case "svg":
			// The company scorecard's charts are ours, drawn by the server
			// (class "chart ..."); user text never reaches a page as markup.
			if !strings.HasPrefix(attrs["class"], "chart ") {
				found = append(found, "<svg>")
			}
		case "iframe", "frame", "object", "embed", "style", "math", "base", "form":
			if tok.Data == "form" && !strings.HasPrefix(attrs["action"], "/") {
				found = append(found, "<form action="+attrs["action"]+">")
			}
			if tok.Data != "form" {
				found = append(found, "<"+tok.Data+">")
			}
		}
	}
}

// urlAttrs are the attributes a browser follows or loads as an address.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "poster": true,
	"background": true, "cite": true, "data": true, "srcset": true, "xlink:href": true, "ping": true}

// schemeRe is the scheme at the start of an address.
var schemeRe = regexp.MustCompile(`^([a-z][a-z0-9+.-]*):`)

// safeScheme says whether an address (as the tokenizer decoded it) is
// relative or uses http, https, mailto or tel once a browser has dropped
// the whitespace and control characters it ignores.
func safeScheme(v string) bool {
	v = strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, v))
	m := schemeRe.FindStringSubmatch(v)
	if m == nil {
		return true
	}
	switch m[1] {
	case "http", "https", "mailto", "tel":
		return true
	}
	return false
}

// Two hundred readers comment on one story at the same moment: every
// comment lands, and the count on the story equals the rows.
func TestConcurrentCommentsAllLand(t *testing.T) {
	cs := newSite(t, withComments(), withConfig(func(c *Config) { c.PostRate = 0 }))
	ctx := context.Background()
	const n = 200
	visitors := make([]*visitor, n)
	for i := range visitors {
		u := &models.User{Handle: fmt.Sprintf("reader-%d", i), Name: fmt.Sprintf("Reader %d", i)}
		check(t, cs.store.CreateUser(ctx, u))
		visitors[i] = cs.signIn(u)
	}
	stamp := cs.form(nil, cs.story).Get("stamp")
	var wg sync.WaitGroup
	statuses := make(chan string, n)
	for i, v := range visitors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"stamp": {stamp}, "csrf": {v.csrf}, "body": {fmt.Sprintf("Same here, number %d.", i)}}
			res, err := cs.roundTrip(v, cs.newRequest(http.MethodPost, "/stories/"+cs.story.Slug+"/comments", form))
			if err != nil {
				statuses <- err.Error()
				return
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				statuses <- fmt.Sprintf("%d %.200s", res.StatusCode, b)
			}
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		t.Error(s)
	}
	st, err := cs.store.PublishedStory(ctx, cs.story.Slug)
	check(t, err)
	rows, err := cs.store.Comments(ctx, cs.story.ID)
	check(t, err)
	if st.CommentCount != n || len(rows) != n {
		t.Errorf("comment_count %d, rows %d, want %d", st.CommentCount, len(rows), n)
	}
}
