package app

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"doleances/handlers"
	"doleances/models"
)

// The size-and-shape suite: over-long fields, absurd bodies, deeply nested
// Markdown, invalid UTF-8 and SQL-looking strings, sent through the real
// route table. Each answers a 4xx or a page, never a 500, and stores either
// the whole text or nothing.

// rowCounts counts the rows of every table except the sessions and sign-in
// states that reading pages may touch, and the rate-limit counters that
// every post moves, refused or not.
func (cs *testSite) rowCounts() map[string]int64 {
	cs.t.Helper()
	db := cs.rawDB()
	defer closeRaw(db)
	counts := map[string]int64{}
	for _, n := range tablesOf(cs.t, db) {
		if n == "sessions" || n == "login_states" || n == "rate_limits" {
			continue
		}
		var c int64
		check(cs.t, db.Raw(`SELECT COUNT(*) FROM "`+n+`"`).Scan(&c).Error)
		counts[n] = c
	}
	return counts
}

// sameRows fails the test if a table's count changed since before.
func (cs *testSite) sameRows(before map[string]int64, what string) {
	cs.t.Helper()
	after := cs.rowCounts()
	for k, v := range before {
		if after[k] != v {
			cs.t.Errorf("%s: table %s went from %d to %d rows", what, k, v, after[k])
		}
	}
}

var routeParam = regexp.MustCompile(`:[a-zA-Z]+|\*`)

// fillRoute puts v in every parameter of a route pattern ("/stories/:slug").
func fillRoute(pattern string, v func(name string) string) string {
	return routeParam.ReplaceAllStringFunc(pattern, func(p string) string { return v(strings.TrimPrefix(p, ":")) })
}

// existing fills a route's parameters with things that exist: the story
// slug, a provider, and 1 for every id.
func existing(slug string) func(name string) string {
	return func(name string) string {
		switch name {
		case "slug":
			return slug
		case "provider":
			return "github"
		}
		return "1"
	}
}

// routesOf lists the routes of the site for method, without middleware.
func routesOf(w *web, method string) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range w.app.GetRoutes(true) {
		if r.Method == method && !seen[r.Path] {
			seen[r.Path] = true
			out = append(out, r.Path)
		}
	}
	return out
}

// Every POST route gets a 10 MB body on a real connection, and, through
// the route table, a body one byte over its own limit: a 413 page each
// time, and nothing stored.
func TestAbsurdBodiesGetA413Page(t *testing.T) {
	cs := newSite(t, withComments())
	admin := cs.signIn(cs.admin)
	srv := newSite(t, listening())
	before := cs.rowCounts()
	posts := routesOf(cs.web, http.MethodPost)
	if len(posts) < 20 {
		t.Fatalf("only %d POST routes found: %v", len(posts), posts)
	}
	for _, pattern := range posts {
		path := fillRoute(pattern, existing(cs.story.Slug))
		if status, body, _ := rawPost(t, srv.URL, path, 10<<20); status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "too much to send") {
			t.Errorf("POST %s with 10 MB: status %d, want the 413 page", path, status)
		}
		form := url.Values{"csrf": {admin.csrf}, "body": {strings.Repeat("a", handlers.BodyLimit(path))}}
		res, body := cs.do(admin, http.MethodPost, path, form)
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "too much to send") {
			t.Errorf("POST %s just over its limit: status %d, want the 413 page", path, res.StatusCode)
		}
	}
	cs.sameRows(before, "absurd bodies")
}

// rawPost sends a form body of size bytes to base+path on its own
// connection, as fast as the server takes it, and reads the answer.
func rawPost(t *testing.T, base, path string, size int) (int, string, http.Header) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 5*time.Second)
	check(t, err)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\nbody=", path, size)
	go func() {
		// The server answers without reading this; a write error then is expected.
		chunk := []byte(strings.Repeat("a", 64<<10))
		for n := 0; n < size; n += len(chunk) {
			if _, err := conn.Write(chunk); err != nil {
				return
			}
		}
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

// tooLong is a field one character over its limit, in a character that
// takes two bytes, so that the limit is seen to count characters.
func tooLong(limit int) string { return strings.Repeat("é", limit+1) }

// Every field of every form, one character too long: the form comes back
// with a 422, a message and the text as typed, and nothing is stored.
func TestOverLongFieldsComeBackWithTheirText(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	author, admin, reader := cs.signIn(cs.author), cs.signIn(cs.admin), cs.signIn(cs.readers[0])
	cs.clock.add(models.FloodInterval)
	res, body := cs.comment(reader, cs.story, "Mon commentaire.")
	wantCode(t, res, body, http.StatusSeeOther)
	own := cs.lastComment()
	review, err := cs.store.CreateStory(ctx, models.StoryInput{Title: "En attente", Body: "Texte.", AuthorID: cs.readers[1].ID, Status: models.StatusReview})
	check(t, err)
	story := func(field, value string) url.Values {
		f := url.Values{"title": {"Un titre"}, "body": {"Un texte."}, "company": {"Orange"}, "action": {"publish"}}
		f.Set(field, value)
		return f
	}
	tags := "un, deux, trois, quatre, cinq, six, sept, huit, neuf, dix, onze"
	tests := []struct {
		name  string
		who   *visitor
		path  string
		form  url.Values
		kept  string // the value that must come back
		says  string // part of the message
		guest bool   // a comment from the guest form (stamp, name, email)
	}{
		{"guest name", nil, "", url.Values{"name": {tooLong(models.MaxNameLen)}}, tooLong(models.MaxNameLen), "the limit is 100", true},
		{"guest email", nil, "", url.Values{"email": {strings.Repeat("é", 250) + "@example.org"}}, strings.Repeat("é", 250) + "@example.org", "the limit is 254", true},
		{"guest website", nil, "", url.Values{"url": {"https://example.org/" + tooLong(models.MaxURLLen)}}, tooLong(models.MaxURLLen), "the limit is 2,000", true},
		{"comment", nil, "", url.Values{"body": {tooLong(models.MaxCommentLen)}}, tooLong(models.MaxCommentLen), "the limit is 10,000", true},
		{"story title", author, "/write", story("title", tooLong(models.MaxTitleLen)), tooLong(models.MaxTitleLen), "the limit is 200", false},
		{"story body", author, "/write", story("body", strings.Repeat("😤", models.MaxBodyLen+1)), strings.Repeat("😤", models.MaxBodyLen+1), "the limit is 100,000", false},
		{"story city", author, "/write", story("city", tooLong(models.MaxCityLen)), tooLong(models.MaxCityLen), "the limit is 100", false},
		{"story company", author, "/write", story("company", tooLong(models.MaxCompanyNameLen)), tooLong(models.MaxCompanyNameLen), "the limit is 100", false},
		{"story tags", author, "/write", story("tags", tags), tags, "At most 10 tags", false},
		{"story tag", author, "/write", story("tags", tooLong(50)), tooLong(50), "longer than 50", false},
		{"story edit", author, "/stories/" + cs.story.Slug + "/edit", story("title", tooLong(models.MaxTitleLen)), tooLong(models.MaxTitleLen), "the limit is 200", false},
		{"story update", author, "/stories/" + cs.story.Slug + "/updates", url.Values{"body": {tooLong(models.MaxUpdateLen)}}, tooLong(models.MaxUpdateLen), "the limit is 10,000", false},
		{"comment edit", reader, fmt.Sprintf("/comments/%d/edit", own.ID), url.Values{"body": {tooLong(models.MaxCommentLen)}}, tooLong(models.MaxCommentLen), "the limit is 10,000", false},
		{"display name", reader, "/me", url.Values{"name": {tooLong(100)}, "handle": {"paul"}}, tooLong(100), "the limit is 100", false},
		{"handle", reader, "/me", url.Values{"name": {"Paul"}, "handle": {strings.Repeat("p", 31)}}, strings.Repeat("p", 31), "3 to 30 characters", false},
		{"category name", admin, "/admin/categories", url.Values{"name": {tooLong(models.MaxCategoryNameLen)}}, tooLong(models.MaxCategoryNameLen), "the limit is 100", false},
		{"category description", admin, "/admin/categories", url.Values{"name": {"Banques"}, "description": {tooLong(models.MaxDescriptionLen)}}, tooLong(models.MaxDescriptionLen), "the limit is 1,000", false},
		{"review note", admin, fmt.Sprintf("/admin/stories/%d/send-back", review.ID), url.Values{"note": {tooLong(models.MaxNoteLen)}}, tooLong(models.MaxNoteLen), "the limit is 1,000", false},
		{"category slug", admin, "/admin/categories/1", url.Values{"name": {"Telecom"}, "slug": {strings.Repeat("a", 81)}}, strings.Repeat("a", 81), "Use lowercase letters", false},
		{"first admin name", nil, "/setup/some-token", url.Values{"name": {tooLong(100)}}, tooLong(100), "the limit is 100", false},
		{"report reason", reader, "/stories/" + cs.other.Slug + "/report", url.Values{"reason": {tooLong(1000)}}, "", "Please choose a reason", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := cs.rowCounts()
			var res *http.Response
			var body string
			if tt.guest {
				f := url.Values{"name": {"Claire"}, "email": {"claire@example.org"}, "body": {"Un commentaire."}}
				for k, v := range tt.form {
					f[k] = v
				}
				res, body = cs.comment(guest(), cs.story, f.Get("body"), "name", f.Get("name"), "email", f.Get("email"), "url", f.Get("url"))
			} else {
				res, body = cs.do(tt.who, http.MethodPost, tt.path, tt.form)
			}
			if res.StatusCode != http.StatusUnprocessableEntity {
				wantCode(t, res, body, http.StatusUnprocessableEntity)
			}
			page := html.UnescapeString(body)
			if !strings.Contains(page, tt.says) {
				t.Errorf("no message %q on the page", tt.says)
			}
			if !strings.Contains(page, tt.kept) {
				t.Errorf("the text typed (%d characters) is not given back", len([]rune(tt.kept)))
			}
			cs.sameRows(before, tt.name)
		})
	}
}

// At its limit, in characters that take several bytes, a field is accepted.
func TestFieldsAtTheirLimitInCharactersAreAccepted(t *testing.T) {
	cs := newSite(t, withComments())
	author := cs.signIn(cs.author)
	res, body := cs.comment(guest(), cs.story, strings.Repeat("é", models.MaxCommentLen),
		"name", strings.Repeat("é", models.MaxNameLen), "email", "claire@example.org")
	wantCode(t, res, body, http.StatusSeeOther)
	if c := cs.lastComment(); len([]rune(c.Body)) != models.MaxCommentLen {
		t.Errorf("the comment was stored with %d characters", len([]rune(c.Body)))
	}
	form := url.Values{"title": {strings.Repeat("é", models.MaxTitleLen)}, "body": {strings.Repeat("😤", models.MaxBodyLen)},
		"company": {"Orange"}, "action": {"publish"}}
	res, body = cs.do(author, http.MethodPost, "/write", form)
	wantCode(t, res, body, http.StatusSeeOther)
}

// Markdown nested ten thousand deep renders (or is refused) whole.
func TestDeeplyNestedMarkdownIsStoredWhole(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	author, admin := cs.signIn(cs.author), cs.signIn(cs.admin)
	shapes := map[string]string{
		"quotes":    strings.Repeat(">", 10_000) + " deep",
		"brackets":  strings.Repeat("[", 10_000) + "x" + strings.Repeat("]", 10_000) + "(https://example.org)",
		"emphasis":  strings.Repeat("*", 5_000) + "x" + strings.Repeat("*", 5_000),
		"underline": strings.Repeat("_a", 5_000),
		"lists":     strings.Repeat("- ", 5_000) + "x",
		"links":     strings.Repeat("[a](", 2_500),
		"backticks": strings.Repeat("`", 10_000) + "x",
		"html":      strings.Repeat("<div>", 2_000),
		"entities":  strings.Repeat("&#x", 3_000),
		"nested":    strings.Repeat("> - ", 2_500) + "x",
	}
	for name, md := range shapes {
		t.Run(name, func(t *testing.T) {
			// As a story: rendered, stored and shown whole.
			before := cs.rowCounts()
			res, body := cs.do(author, http.MethodPost, "/write",
				url.Values{"title": {"Nested " + name}, "body": {md}, "company": {"Orange"}, "action": {"draft"}})
			switch {
			case res.StatusCode == http.StatusSeeOther:
				stories, err := cs.store.StoriesOf(ctx, cs.author.ID)
				check(t, err)
				found := false
				for _, st := range stories {
					if st.Title == "Nested "+name {
						full, err := cs.store.StoryForEdit(ctx, st.ID, cs.author.ID)
						check(t, err)
						found = full.Body == md
					}
				}
				if !found {
					t.Error("the story was not stored whole")
				}
			case res.StatusCode >= 400 && res.StatusCode < 500:
				cs.sameRows(before, "refused story")
			default:
				wantCode(t, res, body, http.StatusSeeOther)
			}
			// As a comment, cut to fit the comment's limit.
			c := md
			if len([]rune(c)) > models.MaxCommentLen {
				c = string([]rune(c)[:models.MaxCommentLen])
			}
			c = strings.TrimSpace(c)
			before = cs.rowCounts()
			res, body = cs.comment(admin, cs.story, c)
			switch {
			case res.StatusCode == http.StatusSeeOther:
				if got := cs.lastComment(); got.Body != c {
					t.Errorf("the comment was stored with %d of its %d bytes", len(got.Body), len(c))
				}
				if res, body := cs.get(admin, "/stories/"+cs.story.Slug); res.StatusCode != http.StatusOK {
					wantCode(t, res, body, http.StatusOK)
				}
			case res.StatusCode >= 400 && res.StatusCode < 500:
				cs.sameRows(before, "refused comment")
			default:
				wantCode(t, res, body, http.StatusSeeOther)
			}
		})
	}
}

// A story of 100,000 nested quote markers, which would take seconds to
// render, is refused before rendering: in the editor, its preview and
// the live preview, with a message and the text kept.
func TestMarkdownTooDeepIsRefusedWithItsText(t *testing.T) {
	cs := newSite(t, withComments())
	author := cs.signIn(cs.author)
	var notes strings.Builder
	for i := range 2_000 {
		fmt.Fprintf(&notes, "[^%d]: n\n", i)
	}
	shapes := map[string]string{ // a text of each shape, and its message
		strings.Repeat(">", models.MaxBodyLen):                                              "nests quotes or lists",
		strings.Repeat("[", 500) + strings.Repeat("a\n", 40_000) + strings.Repeat("]", 500): "square brackets",
		notes.String() + "\n" + strings.Repeat("[^1]", 1_000):                               "footnote references",
	}
	before := cs.rowCounts()
	for md, msg := range shapes {
		for _, action := range []string{"publish", "preview"} {
			res, body := cs.do(author, http.MethodPost, "/write", url.Values{"title": {"Deep"}, "body": {md}, "company": {"Orange"}, "action": {action}})
			wantCode(t, res, body, http.StatusUnprocessableEntity)
			if !strings.Contains(body, msg) || !strings.Contains(html.UnescapeString(body), md) {
				t.Errorf("%s, %s: no message, or the text is not kept", msg, action)
			}
		}
		res, body := cs.do(author, http.MethodPost, "/preview", url.Values{"body": {md}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, msg) {
			t.Errorf("%s, live preview: status %d, %q", msg, res.StatusCode, body)
		}
	}
	cs.sameRows(before, "too deep")
}

// Invalid UTF-8 and control characters in any text field are cleaned by
// the one helper: stored with U+FFFD and without the controls.
func TestInvalidUTF8AndControlsAreCleanedEverywhere(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	author := cs.signIn(cs.author)
	res, body := cs.do(author, http.MethodPost, "/write", url.Values{
		"title": {"Bad \xff title\x00"}, "body": {"line one\r\nline\x07 two\ttabbed \xc3"}, "company": {"Or\x1bange"},
		"city": {"Pa\nris"}, "tags": {"ta\x00g"}, "action": {"draft"}})
	wantCode(t, res, body, http.StatusSeeOther)
	stories, err := cs.store.StoriesOf(ctx, cs.author.ID)
	check(t, err)
	var st *models.Story
	for i := range stories {
		if strings.HasPrefix(stories[i].Title, "Bad") {
			st, err = cs.store.StoryForEdit(ctx, stories[i].ID, cs.author.ID)
			check(t, err)
		}
	}
	if st == nil {
		t.Fatal("the story was not stored")
	}
	want := map[string][2]string{
		"title": {st.Title, "Bad \uFFFD title"}, "body": {st.Body, "line one\nline two\ttabbed \uFFFD"},
		"city": {st.City, "Pa ris"}, "company": {st.Company.Name, "Orange"},
	}
	if len(st.Tags) != 1 || st.Tags[0].Name != "tag" {
		t.Errorf("tags %+v, want [tag]", st.Tags)
	}
	for field, v := range want {
		if v[0] != v[1] {
			t.Errorf("%s stored as %q, want %q", field, v[0], v[1])
		}
	}
	res, body = cs.comment(guest(), cs.story, "ok \xfe\x01 then", "name", "Cl\x00aire", "email", "claire@example.org")
	wantCode(t, res, body, http.StatusSeeOther)
	if c := cs.lastComment(); c.Body != "ok \uFFFD then" || c.AuthorName != "Claire" {
		t.Errorf("comment stored as %q by %q", c.Body, c.AuthorName)
	}
}

// SQL-looking and other hostile strings in every parameter of every GET
// route, and in every query parameter the site reads, by a visitor and an
// admin: a page or a 4xx, never a 500, and nothing written.
func TestHostileStringsInEveryGetParameter(t *testing.T) {
	cs := newSite(t, withComments())
	admin := cs.signIn(cs.admin)
	hostile := []string{`' OR 1=1 --`, `"; DROP TABLE stories; --`, `1 UNION SELECT handle FROM users`, `../../etc/passwd`, "\x00%", `<script>x</script>`}
	keys := []string{"q", "page", "sort", "status", "category", "company", "next", "done", "saved", "replyto", "deleted",
		"reported", "resolved", "linked", "unlinked", "unpublished", "state", "error", "code"}
	before := cs.rowCounts()
	gets := routesOf(cs.web, http.MethodGet)
	for _, pattern := range gets {
		for _, h := range hostile {
			path := fillRoute(pattern, func(string) string { return url.PathEscape(h) })
			q := url.Values{}
			for _, k := range keys {
				q.Set(k, h)
			}
			for _, target := range []string{path, path + "?" + q.Encode(), fillRoute(pattern, func(name string) string {
				if name == "slug" {
					return cs.story.Slug
				}
				return "1"
			}) + "?" + q.Encode()} {
				for _, v := range []*visitor{nil, admin} {
					res, _ := cs.get(v, target)
					if res.StatusCode >= 500 {
						t.Errorf("GET %s: status %d", target, res.StatusCode)
					}
				}
			}
		}
	}
	cs.sameRows(before, "hostile GETs")
}

// Fields a client adds to a form (author, role, status, counts, ids) set
// nothing: the handlers read only the fields they expect.
func TestExtraFieldsSetNothing(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	reader := cs.signIn(cs.readers[0])
	extra := url.Values{"author_id": {fmt.Sprint(cs.admin.ID)}, "AuthorID": {fmt.Sprint(cs.admin.ID)}, "status": {models.StatusPublished},
		"Status": {models.StatusPublished}, "like_count": {"999"}, "comment_count": {"999"}, "me_too_count": {"999"}, "id": {"1"},
		"ID": {"1"}, "user_id": {fmt.Sprint(cs.admin.ID)}, "role": {models.RoleAdmin}, "story_id": {fmt.Sprint(cs.other.ID)},
		"published_at": {"2020-01-01"}, "slug": {"hijack"}, "html": {"<b>x</b>"}}
	with := func(f url.Values) url.Values {
		for k, v := range extra {
			if _, ok := f[k]; !ok {
				f[k] = v
			}
		}
		return f
	}
	// A reader's first story waits for review, by them, with no counts.
	res, body := cs.do(reader, http.MethodPost, "/write", with(url.Values{"title": {"Mon histoire"}, "body": {"Texte."},
		"company": {"Orange"}, "action": {"publish"}}))
	wantCode(t, res, body, http.StatusSeeOther)
	stories, err := cs.store.StoriesOf(ctx, cs.readers[0].ID)
	check(t, err)
	if len(stories) != 1 {
		t.Fatalf("the reader has %d stories", len(stories))
	}
	st := stories[0]
	if st.AuthorID != cs.readers[0].ID || st.Status != models.StatusReview || st.LikeCount != 0 || st.CommentCount != 0 ||
		st.MeTooCount != 0 || st.ID == 1 || st.Slug == "hijack" {
		t.Errorf("the story was set from extra fields: %+v", st)
	}
	// A guest's comment lands on the story of the address, held, by nobody.
	res, body = cs.comment(guest(), cs.story, "Un commentaire.", pairs(with(url.Values{"name": {"Claire"}, "email": {"claire@example.org"}}))...)
	wantCode(t, res, body, http.StatusSeeOther)
	c := cs.lastComment()
	if c.StoryID != cs.story.ID || c.UserID != nil || c.Status != models.CommentPending {
		t.Errorf("the comment was set from extra fields: story %d, user %v, status %q, id %d", c.StoryID, c.UserID, c.Status, c.ID)
	}
	// The account page changes the name and handle, not the role.
	res, body = cs.do(reader, http.MethodPost, "/me", with(url.Values{"name": {"Paul M."}, "handle": {"paulm"}}))
	wantCode(t, res, body, http.StatusSeeOther)
	u, err := cs.store.UserByID(ctx, cs.readers[0].ID)
	check(t, err)
	if u.Role != models.RoleReader || u.Name != "Paul M." {
		t.Errorf("the profile form set role %q, name %q", u.Role, u.Name)
	}
}

// pairs flattens a form into name, value pairs for testSite.comment.
func pairs(f url.Values) []string {
	var out []string
	for k, vs := range f {
		out = append(out, k, vs[0])
	}
	return out
}

// Query and form values that pick a list or a message are checked against
// what the page knows: text typed into the address is never shown as the
// site's own message, and an unknown status is not carried on.
func TestFilterParametersAreAllowlisted(t *testing.T) {
	cs := newSite(t, withComments())
	admin := cs.signIn(cs.admin)
	res, body := cs.get(admin, "/admin/comments?done=Your+account+is+suspended%2C+call+us")
	wantCode(t, res, body, http.StatusOK)
	if strings.Contains(body, "Your account is suspended") {
		t.Error("the moderation page shows text from its address as a message")
	}
	res, body = cs.get(admin, "/admin/comments?done=3")
	if !strings.Contains(body, "3 comments changed.") {
		t.Error("the moderation page does not say how many comments changed")
	}
	for _, q := range []string{"status=bogus", "status=%27+OR+1%3D1", "page=-1", "page=x", "page=99999999999999999999"} {
		if res, _ := cs.get(admin, "/admin/comments?"+q); res.StatusCode != http.StatusNotFound {
			t.Errorf("/admin/comments?%s: status %d, want 404", q, res.StatusCode)
		}
	}
	res, _ = cs.do(admin, http.MethodPost, "/admin/comments", url.Values{"action": {"approve"}, "status": {"bogus\r\nX: y"}})
	if loc := res.Header.Get("Location"); loc != "/admin/comments?status=pending&done=0" {
		t.Errorf("after a bulk action with an unknown status, sent to %q", loc)
	}
	res, body = cs.do(admin, http.MethodPost, "/admin/comments", url.Values{"action": {"delete-everything"}, "ids": {"1"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose approve, hold, spam or trash.") {
		t.Errorf("an unknown moderation action: status %d, or no message", res.StatusCode)
	}
	for _, q := range []string{"sort=%27+OR+1%3D1", "sort=metoo%3B+DROP", "page=2"} {
		if res, body := cs.get(nil, "/company/orange?"+q); res.StatusCode >= 500 {
			wantCode(t, res, body, http.StatusOK)
		}
	}
	for _, q := range []string{"page=0", "page=-3", "page=abc", "category=nope", "company=%27+OR+1%3D1"} {
		res, body := cs.get(nil, "/search?q=box&"+q)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `value="box"`) {
			t.Errorf("/search?q=box&%s: status %d, or the words are not kept", q, res.StatusCode)
		}
	}
}

// Every POST route, sent nonsense in every field the site reads, by an
// admin, an author, a reader (each with a valid token, in a new session
// each time: /logout is among the routes) and a guest: a page or a 4xx,
// never a 500.
func TestNonsenseInEveryPostField(t *testing.T) {
	cs := newSite(t, withComments())
	fields := []string{"action", "role", "one", "ids", "confirm", "on", "closed", "reason", "content", "position", "from", "into",
		"parent", "stamp", "categories", "resolution", "status", "slug", "name", "handle", "email", "url", "body", "title",
		"tags", "company", "city", "note", "description", "website2"}
	for _, pattern := range routesOf(cs.web, http.MethodPost) {
		for _, v := range []string{"bogus", "-1", "x:y", "approve:99999999999", "0", `' OR 1=1 --`, "\x00"} {
			path := fillRoute(pattern, existing(cs.story.Slug))
			form := url.Values{}
			for _, f := range fields {
				form.Set(f, v)
			}
			for _, u := range []*models.User{cs.admin, cs.author, cs.readers[0], nil} {
				who := guest()
				if u != nil {
					who = cs.signIn(u)
				}
				f := url.Values{}
				for k, vs := range form {
					f[k] = vs
				}
				if res, body := cs.do(who, http.MethodPost, path, f); res.StatusCode >= 500 {
					t.Errorf("POST %s with %q everywhere, as %v: status %d\n%.500s", path, v, u, res.StatusCode, body)
				}
			}
		}
	}
}
