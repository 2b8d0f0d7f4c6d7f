package app

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

func TestGuestCommentIsHeldThenTheSameEmailPasses(t *testing.T) {
	cs := newSite(t, withComments())
	page := "/stories/" + cs.story.Slug
	g := guest()
	res, body := cs.comment(g, cs.story, "Même chose chez moi, trois mois sans box.",
		"name", "Claire", "email", "claire.secret@example.org", "url", "claire.example")
	wantCode(t, res, body, http.StatusSeeOther)
	if g.cookies[guestCookieName] == "" {
		t.Fatal("a guest who commented got no guest cookie")
	}
	held := cs.lastComment()
	if held.Status != models.CommentPending || !strings.HasSuffix(res.Header.Get("Location"), fmt.Sprintf("#comment-%d", held.ID)) {
		t.Fatalf("a first guest comment: status %q, sent to %q", held.Status, res.Header.Get("Location"))
	}
	// Others do not see it; the guest does, marked, on a private page.
	if _, anon := cs.get(nil, page); strings.Contains(anon, "trois mois sans box") {
		t.Error("a held comment is shown to everyone")
	}
	res, mine := cs.get(g, page)
	if !strings.Contains(mine, "trois mois sans box") || !strings.Contains(mine, "awaiting moderation") {
		t.Errorf("the guest does not see their held comment:\n%s", mine)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") || !strings.Contains(cc, "no-store") {
		t.Errorf("the guest's own page has Cache-Control %q", cc)
	}
	if strings.Contains(mine, "claire.secret") {
		t.Error("the guest's email is in the page source")
	}
	// Approved by a moderator, it is public; the same email then passes at once.
	admin := cs.signIn(cs.admin)
	res, body = cs.do(admin, http.MethodPost, "/admin/comments", url.Values{"ids": {fmt.Sprint(held.ID)}, "action": {"approve"}, "status": {"pending"}})
	wantCode(t, res, body, http.StatusSeeOther)
	g2 := guest()
	res, body = cs.comment(g2, cs.story, "Et encore une fois.", "name", "Claire", "email", "Claire.Secret@example.org")
	wantCode(t, res, body, http.StatusSeeOther)
	if c := cs.lastComment(); c.Status != models.CommentApproved {
		t.Errorf("a known email's comment is %q", c.Status)
	}
	_, anon := cs.get(nil, page)
	for _, want := range []string{"trois mois sans box", "Et encore une fois.", `href="https://claire.example" rel="nofollow ugc noopener"`} {
		if !strings.Contains(anon, want) {
			t.Errorf("the public page lacks %q", want)
		}
	}
	for _, path := range []string{page, page + "/feed", page + "/feed/atom", "/comments/feed", "/comments/feed/atom"} {
		if _, b := cs.get(nil, path); strings.Contains(strings.ToLower(b), "claire.secret") {
			t.Errorf("%s shows the guest's email", path)
		}
	}
	// A hold word holds even a known email.
	res, body = cs.comment(g2, cs.story, "Try the CASINO", "name", "Claire", "email", "claire.secret@example.org")
	wantCode(t, res, body, http.StatusSeeOther)
	if c := cs.lastComment(); c.Status != models.CommentPending {
		t.Errorf("a comment with a hold word is %q", c.Status)
	}
}

// guestCookieName is the guest cookie of handlers (unexported there).
const guestCookieName = "doleances_guest"

func TestSignedInCommentsRepliesAndTheDepthCap(t *testing.T) {
	cs := newSite(t, withComments())
	paul := cs.signIn(cs.readers[0])
	res, body := cs.comment(paul, cs.story, "Signed in, approved at once.")
	wantCode(t, res, body, http.StatusSeeOther)
	parent := cs.lastComment()
	if parent.Status != models.CommentApproved || parent.UserID == nil {
		t.Fatalf("a reader's comment: %+v", parent)
	}
	// ?replyto renders the form as a reply, for anyone, without script.
	_, reply := cs.get(nil, fmt.Sprintf("/stories/%s?replyto=%d", cs.story.Slug, parent.ID))
	if !strings.Contains(reply, fmt.Sprintf(`name="parent" value="%d"`, parent.ID)) || !strings.Contains(reply, "Reply to Paul Martin") {
		t.Errorf("?replyto does not make a reply form")
	}
	// Seven levels of replies: the sixth and seventh attach to the fifth level.
	ines := cs.signIn(cs.readers[1])
	ids := []uint{parent.ID}
	for i := range 6 {
		who := []*visitor{ines, paul}[i%2]
		res, body := cs.comment(who, cs.story, fmt.Sprintf("Reply at level %d", i+2), "parent", fmt.Sprint(ids[len(ids)-1]))
		wantCode(t, res, body, http.StatusSeeOther)
		ids = append(ids, cs.lastComment().ID)
	}
	cms, err := cs.store.CommentsFor(context.Background(), cs.story.ID, models.Viewer{})
	check(t, err)
	depth := map[uint]int{}
	for _, c := range cms {
		depth[c.ID] = c.Depth
	}
	for i, id := range ids {
		if want := min(i, models.MaxDepth-1); depth[id] != want {
			t.Errorf("reply %d has depth %d, want %d", i, depth[id], want)
		}
	}
	_, page := cs.get(nil, "/stories/"+cs.story.Slug)
	if n := strings.Count(page, `<ol class="replies">`); n != models.MaxDepth-1 {
		t.Errorf("%d nested reply lists, want %d", n, models.MaxDepth-1)
	}
	if !strings.Contains(page, "7 comments") {
		t.Error("the count on the story is not 7")
	}
}

func TestBadCommentInputKeepsTheText(t *testing.T) {
	cs := newSite(t, withComments())
	paul := cs.signIn(cs.readers[0])
	res, body := cs.comment(paul, cs.other, "On the other story")
	wantCode(t, res, body, http.StatusSeeOther)
	elsewhere := cs.lastComment().ID
	const kept = "Texte gardé quoi qu’il arrive"
	tests := []struct {
		name   string
		who    *visitor
		body   string
		fields []string
		status int
		says   string
	}{
		{"empty", paul, "   ", nil, 422, "The comment is empty."},
		{"too long", paul, kept + strings.Repeat("x", models.MaxCommentLen), nil, 422, "the limit is 10,000"},
		{"unknown parent", paul, kept, []string{"parent", "999999"}, 422, "not on this story"},
		{"parent not a number", paul, kept, []string{"parent", "abc"}, 422, "not on this story"},
		{"parent on another story", paul, kept, []string{"parent", fmt.Sprint(elsewhere)}, 422, "not on this story"},
		{"guest without a name", guest(), kept, []string{"email", "a@b.example"}, 422, "Please give a name."},
		{"guest with a bad email", guest(), kept, []string{"name", "Zoé", "email", "pas-un-email"}, 422, "does not look like an email"},
		{"guest with a javascript website", guest(), kept, []string{"name", "Zoé", "email", "z@b.example", "url", "javascript:alert(1)"}, 422, "http:// or https://"},
		{"guest with an entity-hidden javascript website", guest(), kept, []string{"name", "Zoé", "email", "z@b.example", "url", "jav&#x09;ascript:alert(1)"}, 422, "http:// or https://"},
		{"honeypot", guest(), kept, []string{"name", "Bot", "email", "bot@b.example", "website2", "http://spam.example"}, 400, "only spam robots do"},
		{"forged stamp", paul, kept, []string{"stamp", "1.deadbeef"}, 422, "incomplete or out of date"},
		{"no stamp", paul, kept, []string{"stamp", ""}, 422, "incomplete or out of date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := cs.comment(tt.who, cs.story, tt.body, tt.fields...)
			wantCode(t, res, body, tt.status)
			if !strings.Contains(body, html.EscapeString(tt.says)) {
				t.Errorf("no %q in the page", tt.says)
			}
			if strings.TrimSpace(tt.body) != "" && !strings.Contains(body, html.EscapeString(tt.body)) {
				t.Error("the typed text is not in the form")
			}
			for i := 0; i+1 < len(tt.fields); i += 2 {
				if f := tt.fields[i]; (f == "name" || f == "email") && !strings.Contains(body, html.EscapeString(tt.fields[i+1])) {
					t.Errorf("the %s is not kept", f)
				}
			}
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("a refused form is cacheable: %q", cc)
			}
		})
	}
	// Posted within two seconds of the page: refused, text kept.
	cs.clock.add(time.Minute)
	_, page := cs.get(paul, "/stories/"+cs.story.Slug)
	stamp := stampRe.FindStringSubmatch(page)[1]
	cs.clock.add(time.Second)
	res, body = cs.do(paul, http.MethodPost, "/stories/"+cs.story.Slug+"/comments", url.Values{"stamp": {stamp}, "body": {kept}})
	wantCode(t, res, body, 422)
	if !strings.Contains(body, "please take a moment") && !strings.Contains(body, "Please take a moment") || !strings.Contains(body, html.EscapeString(kept)) {
		t.Errorf("a too quick post: no message or lost text\n%s", body)
	}
	// A stamp is only good for its story.
	res, body = cs.do(paul, http.MethodPost, "/stories/"+cs.other.Slug+"/comments", url.Values{"stamp": {stamp}, "body": {kept}})
	wantCode(t, res, body, 422)
	// Unknown story: 404, and the text is given back.
	res, body = cs.do(paul, http.MethodPost, "/stories/no-such-story/comments", url.Values{"stamp": {stamp}, "body": {kept}})
	wantCode(t, res, body, 404)
	if !strings.Contains(body, html.EscapeString(kept)) {
		t.Error("a comment on an unknown story loses the text")
	}
	// Comments closed by the author: 409, text kept.
	author := cs.signIn(cs.author)
	res, body = cs.do(author, http.MethodPost, "/stories/"+cs.story.Slug+"/comments/close", url.Values{"closed": {"1"}})
	wantCode(t, res, body, http.StatusSeeOther)
	cs.clock.add(time.Minute)
	res, body = cs.do(paul, http.MethodPost, "/stories/"+cs.story.Slug+"/comments", url.Values{"stamp": {stamp}, "body": {kept}})
	wantCode(t, res, body, http.StatusConflict)
	if !strings.Contains(body, "Comments on this story are closed") || !strings.Contains(body, html.EscapeString(kept)) {
		t.Error("closed comments: no message or lost text")
	}
	// A reader may not close them.
	res, body = cs.do(paul, http.MethodPost, "/stories/"+cs.story.Slug+"/comments/close", url.Values{"closed": {"0"}})
	wantCode(t, res, body, http.StatusForbidden)
}

func TestFloodIsRefusedWithRetryAfter(t *testing.T) {
	cs := newSite(t, withComments())
	paul := cs.signIn(cs.readers[0])
	f := cs.form(paul, cs.story)
	f.Set("body", "First")
	res, body := cs.do(paul, http.MethodPost, "/stories/"+cs.story.Slug+"/comments", f)
	wantCode(t, res, body, http.StatusSeeOther)
	cs.clock.add(5 * time.Second)
	f.Set("body", "Second, too soon")
	res, body = cs.do(paul, http.MethodPost, "/stories/"+cs.story.Slug+"/comments", f)
	wantCode(t, res, body, http.StatusTooManyRequests)
	if ra := res.Header.Get("Retry-After"); ra != "10" {
		t.Errorf("Retry-After %q, want 10", ra)
	}
	if !strings.Contains(body, "please wait 10 seconds") || !strings.Contains(body, "Second, too soon") {
		t.Error("the flood refusal lacks its message or the text")
	}
	cs.clock.add(10 * time.Second)
	res, body = cs.do(paul, http.MethodPost, "/stories/"+cs.story.Slug+"/comments", f)
	wantCode(t, res, body, http.StatusSeeOther)
}

func TestPerIPPostLimit(t *testing.T) {
	cs := newSite(t, withComments(), withConfig(func(c *Config) { c.PostRate = 3 }))
	paul := cs.signIn(cs.readers[0])
	for i := range 3 {
		res, body := cs.do(paul, http.MethodPost, "/stories/"+cs.story.Slug+"/like", url.Values{"on": {"1"}})
		wantCode(t, res, body, http.StatusSeeOther)
		_ = i
	}
	res, body := cs.do(paul, http.MethodPost, "/stories/"+cs.story.Slug+"/comments", url.Values{"body": {"Gardez ce texte"}})
	wantCode(t, res, body, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" || !strings.Contains(body, "Gardez ce texte") {
		t.Errorf("over the POST rate: Retry-After %q, text kept: %v", res.Header.Get("Retry-After"), strings.Contains(body, "Gardez ce texte"))
	}
	cs.clock.add(time.Minute)
	res, body = cs.do(paul, http.MethodPost, "/stories/"+cs.story.Slug+"/like", url.Values{"on": {"1"}})
	wantCode(t, res, body, http.StatusSeeOther)
}

func TestAnonymousStoryPagesAreTheSameForEveryone(t *testing.T) {
	cs := newSite(t, withComments())
	paul := cs.signIn(cs.readers[0])
	cs.comment(paul, cs.story, "A comment, so that the page has one")
	cs.comment(guest(), cs.story, "A held guest comment", "name", "G", "email", "g@example.org")
	page := "/stories/" + cs.story.Slug
	a, b := cs.do(nil, http.MethodGet, page, nil, "User-Agent", "Firefox", "X-Forwarded-For", "192.0.2.1")
	c, d := cs.do(nil, http.MethodGet, page, nil, "User-Agent", "Safari", "X-Forwarded-For", "198.51.100.7", "Accept-Language", "en-GB,en;q=0.8")
	if b != d {
		t.Error("two anonymous visitors got different story pages")
	}
	if a.Header.Get("ETag") == "" || a.Header.Get("ETag") != c.Header.Get("ETag") || strings.Contains(a.Header.Get("Cache-Control"), "private") {
		t.Errorf("anonymous pages: ETag %q / %q, Cache-Control %q", a.Header.Get("ETag"), c.Header.Get("ETag"), a.Header.Get("Cache-Control"))
	}
	if len(a.Header.Values("Set-Cookie")) > 0 {
		t.Error("an anonymous story page sets a cookie")
	}
	if strings.Contains(b, `name="csrf"`) || strings.Contains(b, "A held guest comment") {
		t.Error("an anonymous page holds a token or a held comment")
	}
}

// TestKeptStoryIDLetsNoCommentOnAClosedOrUnpublishedStory: the handler keeps
// a story's id for a second after reading it, across writes (so within the
// second in which the comments are closed or the story unpublished here);
// the writer reads the story again in the comment's transaction and refuses,
// giving the text back, and saves nothing.
func TestKeptStoryIDLetsNoCommentOnAClosedOrUnpublishedStory(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	zoe, lea := cs.newUser("zoe", "Zoé", models.RoleReader), cs.newUser("lea", "Léa", models.RoleReader)
	paul, ines, zoeV, leaV := cs.signIn(cs.readers[0]), cs.signIn(cs.readers[1]), cs.signIn(zoe), cs.signIn(lea)
	// The forms first: reading one moves the clock, which stands still from
	// the first post on, so that every post below is within the second.
	posts := []struct {
		who  *visitor
		st   *models.Story
		body string
		f    url.Values
	}{{who: paul, st: cs.story, body: "Keeps the first story's id"}, {who: ines, st: cs.other, body: "Keeps the other's id"},
		{who: zoeV, st: cs.story, body: "Sent once the comments were closed"}, {who: leaV, st: cs.other, body: "Sent once the story was unpublished"}}
	for i := range posts {
		posts[i].f = cs.form(posts[i].who, posts[i].st)
		posts[i].f.Set("body", posts[i].body)
	}
	send := func(i int) (*http.Response, string) {
		return cs.do(posts[i].who, http.MethodPost, "/stories/"+posts[i].st.Slug+"/comments", posts[i].f)
	}
	for i := range 2 {
		res, body := send(i)
		wantCode(t, res, body, http.StatusSeeOther)
	}
	check(t, cs.store.SetCommentsClosed(ctx, cs.story.ID, cs.author.ID, true))
	check(t, cs.store.UnpublishStory(ctx, cs.other.ID, cs.admin.ID))
	res, body := send(2)
	wantCode(t, res, body, http.StatusConflict)
	if !strings.Contains(body, "Comments on this story are closed") || !strings.Contains(body, html.EscapeString(posts[2].body)) {
		t.Error("closed comments: no message or lost text")
	}
	res, body = send(3)
	wantCode(t, res, body, http.StatusNotFound)
	if !strings.Contains(body, html.EscapeString(posts[3].body)) {
		t.Error("a comment on an unpublished story loses the text")
	}
	db := cs.rawDB()
	defer closeRaw(db)
	var saved int64
	check(t, db.Raw("SELECT count(*) FROM comments WHERE user_id IN (?, ?)", zoe.ID, lea.ID).Scan(&saved).Error)
	if saved != 0 {
		t.Errorf("%d comments saved on a closed or unpublished story", saved)
	}
}
