package app

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// blogExport is a small WordPress export of a blog under /blog, with a
// child category, a tag with a percent-encoded slug, a post with a former
// slug, a draft and a comment thread.
const blogExport = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old blog</title><link>https://old.example/blog</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example</wp:base_site_url><wp:base_blog_url>https://old.example/blog</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>ann</wp:author_login><wp:author_email>ann@old.example</wp:author_email><wp:author_display_name>Ann Old</wp:author_display_name></wp:author>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>telecoms</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Telecoms</wp:cat_name></wp:category>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>fibre</wp:category_nicename><wp:category_parent>telecoms</wp:category_parent><wp:cat_name>Fibre &amp;amp; cable</wp:cat_name></wp:category>
<wp:tag><wp:term_id>3</wp:term_id><wp:tag_slug>r%c3%a9clamation</wp:tag_slug><wp:tag_name>réclamation</wp:tag_name></wp:tag>
<item><title>The router that blinked</title><link>https://old.example/blog/2020/01/router-blinked/</link><dc:creator>ann</dc:creator>
<guid isPermaLink="false">https://old.example/blog/?p=7</guid>
<content:encoded><![CDATA[It blinked.

Then it <em>stopped</em>.]]></content:encoded><wp:post_id>7</wp:post_id>
<wp:post_date>2020-01-02 10:00:00</wp:post_date><wp:post_date_gmt>2020-01-02 09:00:00</wp:post_date_gmt>
<wp:post_name>router-blinked</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="fibre"><![CDATA[Fibre &amp; cable]]></category>
<category domain="post_tag" nicename="r%c3%a9clamation"><![CDATA[réclamation]]></category>
<wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key><wp:meta_value>box-blinked</wp:meta_value></wp:postmeta>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Bob</wp:comment_author><wp:comment_author_email>bob@example.org</wp:comment_author_email>
<wp:comment_date_gmt>2020-01-03 09:00:00</wp:comment_date_gmt><wp:comment_content>Same here.</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>Ann Old</wp:comment_author><wp:comment_author_email>ann@old.example</wp:comment_author_email>
<wp:comment_date_gmt>2020-01-03 10:00:00</wp:comment_date_gmt><wp:comment_content>Did it stop?</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>1</wp:comment_parent><wp:comment_user_id>1</wp:comment_user_id></wp:comment>
</item>
<item><title>A draft</title><link>https://old.example/blog/?p=8</link><dc:creator>ann</dc:creator>
<content:encoded>Not yet.</content:encoded><wp:post_id>8</wp:post_id><wp:post_date>2020-02-02 10:00:00</wp:post_date><wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
<wp:post_name></wp:post_name><wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
`

// writeExport writes text to a file in a temporary folder.
func writeExport(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "export.xml")
	check(t, os.WriteFile(p, []byte(text), 0o600))
	return p
}

// TestImportCommand runs the subcommand as a person would: progress, a
// summary, and a second run that changes nothing.
func TestImportCommand(t *testing.T) {
	dir, file := t.TempDir(), writeExport(t, blogExport)
	env := func(string) string { return "" }
	var out bytes.Buffer
	check(t, Run(context.Background(), []string{"doleances", "import", "wordpress", file, "-data", dir, "-dry-run"}, env, &out))
	if !strings.Contains(out.String(), "checking") || !strings.Contains(out.String(), "dry run") || strings.Contains(out.String(), "importing") {
		t.Errorf("dry run output:\n%s", out.String())
	}
	out.Reset()
	check(t, Run(context.Background(), []string{"doleances", "import", "wordpress", "-data", dir, file}, env, &out))
	if !strings.Contains(out.String(), "importing") || !strings.Contains(out.String(), "Imported: 1 authors, 2 categories, 1 tags, 1 published stories, 1 drafts, 2 approved comments") {
		t.Errorf("import output:\n%s", out.String())
	}
	out.Reset()
	check(t, Run(context.Background(), []string{"doleances", "import", "wordpress", file, "-data", dir}, env, &out))
	if !strings.Contains(out.String(), "Imported: 0 authors, 0 categories, 0 tags, 0 published stories, 0 drafts") ||
		!strings.Contains(out.String(), "earlier run, left as they are: 2 stories") {
		t.Errorf("second import output:\n%s", out.String())
	}
	for _, bad := range [][]string{{"import"}, {"import", "blogger", file}, {"import", "wordpress"}, {"import", "wordpress", filepath.Join(dir, "missing.xml")}} {
		if err := Run(context.Background(), append(append([]string{"doleances"}, bad...), "-data", dir), env, &out); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	err := Run(context.Background(), []string{"doleances", "import", "wordpress", writeExport(t, blogExport[:900]), "-data", dir}, env, &out)
	if err == nil || !strings.Contains(err.Error(), "ends in the middle") {
		t.Errorf("truncated file: %v", err)
	}
}

// TestOldLinksAnswer301 imports a blog that lived under /blog and follows
// its old addresses on the running site.
func TestOldLinksAnswer301(t *testing.T) {
	s := newSite(t, listening())
	check(t, Run(context.Background(), []string{"doleances", "import", "wordpress", writeExport(t, blogExport), "-data", s.Data}, s.cliEnv(), &bytes.Buffer{}))
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	cases := []struct{ path, want string }{
		{"/blog/2020/01/router-blinked/", "/stories/router-blinked"},
		{"/blog/2020/01/02/router-blinked/", "/stories/router-blinked"},
		{"/blog/router-blinked/", "/stories/router-blinked"},
		{"/blog/2020/01/box-blinked/", "/stories/router-blinked"},
		{"/blog/?p=7", "/stories/router-blinked"},
		{"/blog/2020/01/router-blinked/feed/", "/stories/router-blinked/feed"},
		{"/blog/category/telecoms/fibre/", "/category/fibre"},
		{"/blog/category/telecoms/fibre/feed/", "/category/fibre/feed"},
		{"/blog/category/telecoms/fibre/page/2/", "/category/fibre/page/2"},
		{"/blog/page/3/", "/page/3"},
		{"/blog/2020/01/router-blinked/page/2/", "/stories/router-blinked"},
		{"/blog/tag/r%C3%A9clamation/", "/tag/reclamation"},
		{"/blog/tag/r%c3%a9clamation/feed/atom/", "/tag/reclamation/feed/atom"},
		{"/blog/author/ann/", "/author/ann"},
		{"/blog/feed/", "/feed"},
		{"/blog/", "/"},
	}
	for _, cs := range cases {
		res, err := c.Get(s.URL + cs.path)
		check(t, err)
		res.Body.Close()
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != cs.want {
			t.Errorf("%s: %d to %q, want 301 to %q", cs.path, res.StatusCode, res.Header.Get("Location"), cs.want)
		}
	}
	for path, want := range map[string]int{"/blog/?p=8": 404, "/?p=99": 404, "/blog/nothing-here/": 404, "/": 200, "/stories/router-blinked": 200} {
		res, err := c.Get(s.URL + path)
		check(t, err)
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, want)
		}
	}
}

// TestFrontPageStaysCachedBesideOldLinks: / is still served from the page
// cache without a query, while /?p=ID is looked up every time (and a 404
// for an unknown id, never the front page).
func TestFrontPageStaysCachedBesideOldLinks(t *testing.T) {
	ts := newSite(t, withDemo())
	time.Sleep(1100 * time.Millisecond) // pages are kept once their Last-Modified can be sent
	ts.fetch(t, "GET", "/")
	if res, _, n := ts.fetch(t, "GET", "/"); res.StatusCode != 200 || n != 0 {
		t.Errorf("GET / again: %d with %d queries, want the cached page", res.StatusCode, n)
	}
	for range 2 {
		if res, body, n := ts.fetch(t, "GET", "/?p=12345"); res.StatusCode != 404 || n == 0 || strings.Contains(body, "<article") {
			t.Errorf("GET /?p=12345: %d with %d queries", res.StatusCode, n)
		}
	}
}

// TestExportCommand writes the site as a WordPress export that the import
// command reads back, and never replaces a file without -force.
func TestExportCommand(t *testing.T) {
	src, dst, env := t.TempDir(), t.TempDir(), func(string) string { return "" }
	check(t, Run(context.Background(), []string{"doleances", "import", "wordpress", writeExport(t, blogExport), "-data", src}, env, &bytes.Buffer{}))
	file := filepath.Join(t.TempDir(), "out.xml")
	var out bytes.Buffer
	check(t, Run(context.Background(), []string{"doleances", "export", "wordpress", file, "-data", src}, env, &out))
	if !strings.Contains(out.String(), "1 authors, 2 categories, 1 tags, 2 stories, 2 comments") {
		t.Errorf("export output:\n%s", out.String())
	}
	err := Run(context.Background(), []string{"doleances", "export", "wordpress", file, "-data", src}, env, &out)
	if err == nil || !strings.Contains(err.Error(), "-force") {
		t.Errorf("second export over the file: %v", err)
	}
	out.Reset()
	check(t, Run(context.Background(), []string{"doleances", "import", "wordpress", file, "-data", dst}, env, &out))
	if !strings.Contains(out.String(), "Imported: 1 authors, 2 categories, 1 tags, 1 published stories, 1 drafts, 2 approved comments") {
		t.Errorf("import of the export:\n%s", out.String())
	}
}

// TestAdminImport: an admin uploads an export on /admin/import and sees it
// done with its summary; a bad file is reported and imports nothing; the
// page does not exist for anyone else.
func TestAdminImport(t *testing.T) {
	cs := newSite(t, withComments())
	admin := cs.signIn(cs.admin)
	for _, v := range []*visitor{guest(), cs.signIn(cs.author)} {
		if res, _ := cs.do(v, http.MethodGet, "/admin/import", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET /admin/import by a non-admin: %d", res.StatusCode)
		}
	}
	res, body := cs.do(admin, http.MethodPost, "/admin/import", url.Values{"nothing": {"x"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose the export file") {
		t.Errorf("no file: %d %.200s", res.StatusCode, mainOf(body))
	}
	res, _ = cs.do(admin, http.MethodPost, "/admin/import", url.Values{uploadField: {blogExport[:900]}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	_, body = cs.do(admin, http.MethodGet, "/admin/import", nil)
	if !strings.Contains(body, "ends in the middle") || !strings.Contains(body, "Nothing was imported") {
		t.Errorf("truncated file: %.600s", mainOf(body))
	}
	published := func() int64 {
		page, err := cs.store.PublishedStories(context.Background(), models.StoryFilter{}, 1)
		check(t, err)
		return page.Total
	}
	before := published()
	res, _ = cs.do(admin, http.MethodPost, "/admin/import", url.Values{uploadField: {blogExport}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	_, body = cs.do(admin, http.MethodGet, "/admin/import", nil)
	if !strings.Contains(body, "The import is done") || !strings.Contains(body, "1 published stories, 1 drafts, 2 approved comments") ||
		strings.Contains(body, `http-equiv="refresh"`) {
		t.Errorf("import page after the upload: %.900s", mainOf(body))
	}
	if n := published(); n != before+1 {
		t.Errorf("%d published stories, want %d", n, before+1)
	}
}
