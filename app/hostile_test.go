package app

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	xhtml "golang.org/x/net/html"

	"doleances/models"
)

// hostile is a short attack on HTML, attributes, scripts and CDATA, led by
// a marker word that shows where the value came back.
func hostile(marker string) string {
	return marker + ` "'><script>alert(1)</script><img src=x onerror=alert(1)>]]><a href=javascript:alert(1)>`
}

// hostileMarkdown is a story or comment body trying every way of getting a
// dangerous address or raw HTML through Markdown.
const hostileMarkdown = `Qbody starts. <script>alert(1)</script> <img src=x onerror=alert(1)> <a href="javascript:alert(1)">raw</a>

[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [spaced]( javascript:alert(1)) [vb](vbscript:msgbox(1))
[entity](&#106;avascript:alert(1)) [hex](jav&#x09;ascript:alert(1)) [tab](java	script:alert(1))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) ![img](javascript:alert(1)) ![svg](data:image/svg+xml,<svg/onload=alert(1)>)
<javascript:alert(1)> <vbscript:msgbox(1)> [ref][r] ![x" onerror="alert(1)](https://a.example/i.png)

[r]: javascript:alert(1)

</script><script>alert(1)</script> ]]> <![CDATA[ x ]]> <style>*{display:none}</style> <iframe src=https://evil.example></iframe>
`

// The guest website field, tried one way per comment.
var hostileWebsites = []string{
	"javascript:alert(1)", " JaVaScRiPt:alert(1)", "jav&#x09;ascript:alert(1)", "java\tscript:alert(1)",
	"vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>", `https://ok.example/" onmouseover="alert(1)`,
}

// TestHostileContentInEveryField fills every field that reaches a page or a
// feed with hostile text, through the site's own forms, then renders every
// page and feed that shows them: each value comes back (as text), nothing
// comes back active, the JSON-LD stays JSON and every feed parses.
func TestHostileContentInEveryField(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	admin, author := cs.signIn(cs.admin), cs.signIn(cs.author)

	res, body := cs.do(admin, http.MethodPost, "/admin/categories", url.Values{"name": {hostile("Qcategory")}, "description": {hostile("Qcatdesc")}})
	wantCode(t, res, body, http.StatusSeeOther)
	cats, err := cs.store.Categories(ctx)
	check(t, err)
	var category models.Category
	for _, c := range cats {
		if strings.HasPrefix(c.Name, "Qcategory") {
			category = c
		}
	}
	res, body = cs.do(author, http.MethodPost, "/me", url.Values{"name": {hostile("Qdisplay")}, "handle": {"margot"}})
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.do(author, http.MethodPost, "/write", url.Values{
		"title": {hostile("Qtitle")}, "body": {hostileMarkdown}, "tags": {`Qtag"><img src=x onerror=alert(1)>`}, "company": {hostile("Qcompany")},
		"city": {hostile("Qcity")}, "categories": {fmt.Sprint(category.ID)}, "resolution": {"open"}, "action": {"publish"}})
	wantCode(t, res, body, http.StatusSeeOther)
	story := publishedSlug(res.Header.Get("Location"))
	st, err := cs.store.PublishedStory(ctx, story)
	check(t, err)

	// Guests: each hostile website once, refused with a message or stored inert.
	for i, site := range append([]string{"https://fine.example"}, hostileWebsites...) {
		res, body := cs.comment(guest(), st, hostileMarkdown, "name", hostile(fmt.Sprintf("Qguest%d", i)),
			"email", fmt.Sprintf("g%d@example.org", i), "url", site)
		t.Logf("guest website %q: status %d", site, res.StatusCode)
		switch {
		case res.StatusCode == http.StatusSeeOther:
		case res.StatusCode >= 400 && res.StatusCode < 500:
			if !strings.Contains(body, "Qbody starts") {
				t.Errorf("guest website %q refused without the text typed", site)
			}
		default:
			t.Fatalf("guest website %q: status %d", site, res.StatusCode)
		}
	}
	approveAll(t, cs)

	if len(st.Tags) != 1 || st.Company == nil {
		t.Fatalf("the story has tags %v and company %v", st.Tags, st.Company)
	}
	tag := st.Tags[0].Slug
	pages := map[string][]string{
		"/stories/" + story:           {"Qtitle", "Qbody", "Qdisplay", "Qtag", "Qcompany", "Qcity", "Qcategory", "Qguest0"},
		"/":                           {"Qtitle", "Qdisplay", "Qbody"},
		"/category/" + category.Slug:  {"Qtitle", "Qcategory"},
		"/tag/" + tag:                 {"Qtitle"},
		"/author/margot":              {"Qtitle", "Qdisplay"},
		"/company/" + st.Company.Slug: {"Qtitle", "Qcompany"},
		st.PublishedAt.Format("/archive/2006/01"):          {"Qtitle"},
		"/search?q=Qbody":                                  {"Qtitle"},
		"/search?q=" + url.QueryEscape(hostile("Qsearch")): {"Qsearch"},
		"/feeds": {},
	}
	signedIn := map[string][]string{
		"/me":                            {"Qdisplay"},
		"/me/stories":                    {"Qtitle"},
		"/stories/" + story + "/edit":    {"Qtitle", "Qcompany", "Qcity"},
		"/stories/" + story + "/history": {"Qtitle"},
	}
	_, err = cs.store.Report(ctx, cs.readers[0].ID, models.ReportTarget{StoryID: st.ID}, "abuse")
	check(t, err)
	adminPages := map[string][]string{"/admin": {"Qtitle"}, "/admin/categories": {"Qcategory"}, "/admin/users": {"Qdisplay"}, "/admin/comments?status=approved": {"Qguest0"}, "/admin/reports": {"Qtitle"}}
	for path, markers := range pages {
		checkHostilePage(t, cs, nil, path, markers)
	}
	for path, markers := range signedIn {
		checkHostilePage(t, cs, author, path, markers)
	}
	for path, markers := range adminPages {
		checkHostilePage(t, cs, admin, path, markers)
	}
	for _, path := range []string{"/feed", "/category/" + category.Slug + "/feed", "/tag/" + tag + "/feed", "/author/margot/feed",
		"/company/" + st.Company.Slug + "/feed", "/comments/feed", "/stories/" + story + "/feed", "/search/feed?q=Qbody"} {
		for _, p := range []string{path, strings.Replace(path, "/feed", "/feed/atom", 1)} {
			checkHostileFeed(t, cs, p)
		}
	}
	_, sitemap := cs.get(nil, "/sitemap.xml")
	if err := xml.Unmarshal([]byte(sitemap), new(struct{})); err != nil {
		t.Errorf("sitemap.xml: %v", err)
	}
}

// approveAll approves every held comment, so that pages and feeds show them.
func approveAll(t *testing.T, cs *testSite) {
	t.Helper()
	q, err := cs.store.ModerationQueue(context.Background(), cs.admin.ID, models.CommentPending, 1)
	check(t, err)
	for _, c := range q.Comments {
		check(t, cs.store.SetCommentStatus(context.Background(), c.ID, models.CommentApproved))
	}
	cs.clock.add(time.Second) // past the pages' Last-Modified
}

// checkHostilePage renders path as v and fails on anything active, on
// JSON-LD that is not JSON, and on a marker that does not come back as text.
func checkHostilePage(t *testing.T, cs *testSite, v *visitor, path string, markers []string) {
	t.Helper()
	res, page := cs.get(v, path)
	if res.StatusCode != http.StatusOK {
		t.Errorf("%s: status %d", path, res.StatusCode)
		return
	}
	checkInert(t, path, page, markers)
}

// checkInert fails on anything active in page, on JSON-LD that is not
// JSON, and on a marker that does not come back as text.
func checkInert(t *testing.T, label, page string, markers []string) {
	t.Helper()
	for _, a := range activeHTML(page) {
		t.Errorf("%s has %s", label, a)
	}
	text, jsonLD := pageText(page)
	for _, j := range jsonLD {
		if !json.Valid([]byte(j)) {
			t.Errorf("%s: JSON-LD is not JSON:\n%s", label, j)
		}
	}
	for _, m := range markers {
		if !strings.Contains(strings.ToLower(text), strings.ToLower(m)) {
			t.Errorf("%s does not show %s", label, m)
		}
	}
}

// TestHostileTextOnRefusalPages: the pages that give a refused form back,
// with what was typed in it, keep that text inert.
func TestHostileTextOnRefusalPages(t *testing.T) {
	cs := newSite(t, withComments())
	author := cs.signIn(cs.author)
	story := func() url.Values {
		return url.Values{"title": {hostile("Qtitle")}, "body": {hostileMarkdown}, "company": {hostile("Qcompany")},
			"city": {hostile("Qcity")}, "tags": {"a,b,c,d,e,f,g,h,i,j,k"}, "resolution": {"open"}}
	}
	storyMarkers := []string{"Qtitle", "Qbody", "Qcompany", "Qcity"}
	tests := []struct {
		name    string
		send    func() (*http.Response, string)
		status  int
		markers []string
	}{
		{"editor with a field refused", func() (*http.Response, string) {
			return cs.do(author, http.MethodPost, "/write", story())
		}, http.StatusUnprocessableEntity, storyMarkers},
		{"story sent from another site", func() (*http.Response, string) {
			return cs.do(author, http.MethodPost, "/write", story(), "Origin", "https://evil.example")
		}, http.StatusForbidden, storyMarkers},
		{"profile with a name too long", func() (*http.Response, string) {
			return cs.do(author, http.MethodPost, "/me", url.Values{"name": {hostile("Qdisplay") + strings.Repeat("x", 100)}, "handle": {"margot"}})
		}, http.StatusUnprocessableEntity, []string{"Qdisplay"}},
		{"guest comment with a javascript: website", func() (*http.Response, string) {
			return cs.comment(guest(), cs.story, hostileMarkdown, "name", hostile("Qguest"), "email", "g@example.org", "url", "javascript:alert(1)")
		}, http.StatusUnprocessableEntity, []string{"Qguest", "Qbody"}},
		{"guest comment sent from another site", func() (*http.Response, string) {
			f := url.Values{"body": {hostileMarkdown}, "name": {hostile("Qguest")}, "email": {"g@example.org"}}
			return cs.do(guest(), http.MethodPost, "/stories/"+cs.story.Slug+"/comments", f, "Origin", "https://evil.example")
		}, http.StatusForbidden, []string{"Qguest", "Qbody"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, page := tt.send()
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			checkInert(t, tt.name, page, tt.markers)
		})
	}
}

// checkHostileFeed parses the feed at path and checks every item as a
// feed reader would render it.
func checkHostileFeed(t *testing.T, cs *testSite, path string) {
	t.Helper()
	res, raw := cs.get(nil, path)
	if res.StatusCode != http.StatusOK {
		t.Errorf("%s: status %d", path, res.StatusCode)
		return
	}
	feed, err := gofeed.NewParser().ParseString(raw)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	if len(feed.Items) == 0 {
		t.Errorf("%s has no items", path)
	}
	// Titles are text (RSS readers and Atom's type="text" show them as
	// such); the HTML is in the content and the description.
	for _, it := range feed.Items {
		for _, a := range activeHTML(it.Content + it.Description + `<a href="` + xhtml.EscapeString(it.Link) + `">`) {
			t.Errorf("%s item %q has %s", path, it.Title, a)
		}
	}
}

// pageText is the text a reader sees on page, and its JSON-LD blocks.
func pageText(page string) (string, []string) {
	var text strings.Builder
	var jsonLD []string
	z := xhtml.NewTokenizer(strings.NewReader(page))
	inLD := false
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return text.String(), jsonLD
		case xhtml.StartTagToken:
			tok := z.Token()
			inLD = false
			for _, a := range tok.Attr {
				if tok.Data == "script" && a.Key == "type" && a.Val == "application/ld+json" {
					inLD = true
				}
				if a.Key == "value" || a.Key == "title" || a.Key == "content" {
					text.WriteString(a.Val + " ")
				}
			}
		case xhtml.TextToken:
			if inLD {
				jsonLD = append(jsonLD, string(z.Text()))
				continue
			}
			text.Write(z.Text())
			text.WriteString(" ")
		default:
			inLD = false
		}
	}
}
