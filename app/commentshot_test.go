package app

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"
)

// TestCommentScreenshots renders a story with comments, a reply, a reply
// form and reactions in headless Chromium, at desktop and phone widths,
// into DOLEANCES_SCREENSHOTS (or a temporary folder) for a person to look at.
func TestCommentScreenshots(t *testing.T) {
	slow(t)
	chromium(t)
	cs := newSite(t, withComments())
	paul, ines := cs.signIn(cs.readers[0]), cs.signIn(cs.readers[1])
	cs.comment(paul, cs.story, "Same here: **three months** without internet, and the hotline kept saying the technician was on his way.")
	first := cs.lastComment()
	cs.comment(ines, cs.story, "Did you try the registered letter? It worked for me within a week.", "parent", fmt.Sprint(first.ID))
	cs.comment(guest(), cs.story, "A guest comment, held until a moderator looks at it.", "name", "Claire", "email", "c@example.org")
	admin := cs.signIn(cs.admin)
	cs.do(admin, http.MethodPost, "/admin/comments", url.Values{"ids": {fmt.Sprint(cs.lastComment().ID)}, "action": {"approve"}})
	for _, v := range []*visitor{paul, ines, admin} {
		cs.do(v, http.MethodPost, "/stories/"+cs.story.Slug+"/like", url.Values{"on": {"1"}})
	}
	cs.do(ines, http.MethodPost, "/stories/"+cs.story.Slug+"/metoo", url.Values{"on": {"1"}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(t, err)
	go func() { _ = cs.web.app.Listener(ln) }()
	t.Cleanup(func() { _ = cs.web.app.Shutdown() })
	dir := screenshotDir(t)
	u := fmt.Sprintf("http://%s/stories/%s?replyto=%d#respond", ln.Addr(), cs.story.Slug, first.ID)
	dom := dumpDOM(t, u)
	for _, want := range []string{"Reply to Paul Martin", "3 readers like", "had the same experience", `class="replies"`} {
		if !bytes.Contains(dom, []byte(want)) {
			t.Errorf("the story DOM lacks %q", want)
		}
	}
	for _, size := range []struct {
		label string
		w, h  int
	}{{"desktop", 1280, 2600}, {"phone", 390, 3400}} {
		file := filepath.Join(dir, "comments-"+size.label+".png")
		screenshotAt(t, u, file, size.w, size.h)
		checkScreenshot(t, file, size.w, size.h)
	}
}
