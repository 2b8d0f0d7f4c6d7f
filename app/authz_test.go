package app

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"doleances/handlers"
	"doleances/models"
	"doleances/models/media/mediatest"
)

// authzFixture is a the comment site (withComments) with another author and one of everything
// the routes act on.
type authzFixture struct {
	cs            *testSite
	db            *gorm.DB // a read-only view, for snapshots
	users         map[string]*models.User
	visitors      map[string]*visitor
	draft, review *models.Story
	comment       *models.Comment
	identity      uint
	category      uint
	from, into    uint
	report        uint
	reply         uint // the official reply to cs.other
	sfr           uint // the company both stories are about; "author" represents it
	signin, setup string
	// The mail routes': links, a follow of the owner, what can be followed.
	emailLink, confirm, unsub string
	follow                    uint
	slugs                     map[string]string
	// notices: open (about the story), decided and appealed (about
	// comments of the owner).
	notice, decided, appealed uint
}

func newAuthzFixture(t *testing.T, opts ...siteOption) *authzFixture {
	t.Helper()
	cs := newSite(t, append([]siteOption{withComments(), withConfig(func(c *Config) { c.GitHubKey, c.GitHubSecret = "github-key", "github-secret" })}, opts...)...)
	ctx := context.Background()
	f := &authzFixture{cs: cs, visitors: map[string]*visitor{},
		users: map[string]*models.User{"reader": cs.readers[0], "owner": cs.author, "admin": cs.admin}}
	claire := cs.newUser("claire", "Claire Dubois", models.RoleAuthor)
	f.users["author"] = claire
	for name, u := range f.users {
		// A session as long as the server's, so that reading it writes nothing.
		f.visitors[name] = cs.signInFor(u, 30*24*time.Hour)
	}
	cats, err := cs.store.Categories(ctx)
	check(t, err)
	f.category = cats[0].ID
	mk := func(title string, author *models.User, status string) *models.Story {
		st, err := cs.store.CreateStory(ctx, models.StoryInput{Title: title, Body: "Text.", AuthorID: author.ID,
			CategoryIDs: []uint{f.category}, Status: status})
		check(t, err)
		return st
	}
	f.draft, f.review = mk("Brouillon", cs.author, models.StatusDraft), mk("Ma banque", cs.readers[0], models.StatusReview)
	f.comment, err = cs.store.AddComment(ctx, models.CommentInput{StoryID: cs.story.ID, UserID: &cs.author.ID,
		AuthorName: cs.author.Name, Body: "Mine.", Status: models.CommentApproved, CreatedAt: siteStart.Add(-time.Minute)})
	check(t, err)
	for _, p := range []string{"github", "oidc"} {
		check(t, cs.store.LinkIdentity(ctx, cs.author.ID, models.IdentityInput{Provider: p, ProviderUserID: "margot-" + p, Name: "Margot"}))
	}
	ids, err := cs.store.Identities(ctx, cs.author.ID)
	check(t, err)
	f.identity = ids[0].ID
	for i, name := range []string{"Orange", "Free"} {
		co := &models.Company{Name: name}
		check(t, cs.store.CreateCompany(ctx, co))
		*[]*uint{&f.from, &f.into}[i] = co.ID
	}
	// "author" represents SFR, which both stories are about; it replied to the other one.
	sfr := &models.Company{Name: "SFR"}
	check(t, cs.store.CreateCompany(ctx, sfr))
	f.sfr = sfr.ID
	for _, st := range []struct {
		story *models.Story
		by    *models.User
	}{{cs.story, cs.author}, {cs.other, cs.admin}} {
		_, err = cs.store.UpdateStory(ctx, st.story.ID, st.by.ID, models.StoryInput{Title: st.story.Title, Body: st.story.Body,
			CategoryIDs: []uint{f.category}, CompanyID: &sfr.ID})
		check(t, err)
	}
	check(t, cs.store.AddRepresentative(ctx, cs.admin.ID, sfr.ID, claire.Handle))
	reply, err := cs.store.PostCompanyReply(ctx, cs.other.ID, claire.ID, models.ReplyAct, "We will call.")
	check(t, err)
	f.reply = reply.ID
	r, err := cs.store.Report(ctx, cs.readers[1].ID, models.ReportTarget{StoryID: cs.other.ID}, "spam")
	check(t, err)
	f.report = r.ID
	f.notice, f.decided, f.appealed = authzNotices(t, cs)
	f.signin, err = cs.store.CreateOneTimeToken(ctx, models.PurposeSignIn, &cs.readers[0].ID, time.Hour)
	check(t, err)
	f.setup, err = cs.store.CreateOneTimeToken(ctx, models.PurposeSetup, nil, time.Hour)
	check(t, err)
	f.mailFixtures(t, cats[0].Slug)
	f.db = cs.rawDB()
	t.Cleanup(func() { closeRaw(f.db) })
	return f
}

func closeRaw(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}

// visitor is a copy of the actor's browser (the guest has none).
func (f *authzFixture) visitor(actor string) *visitor {
	v, ok := f.visitors[actor]
	if !ok {
		return guest()
	}
	cp := &visitor{cookies: map[string]string{}, csrf: v.csrf, user: v.user}
	for k, c := range v.cookies {
		cp.cookies[k] = c
	}
	return cp
}

func (f *authzFixture) handle(actor string) string {
	if u, ok := f.users[actor]; ok {
		return u.Handle
	}
	return "nobody"
}

// snapshot is a hash of every table's rows but the rate-limit counters,
// which count every post, refused or not (an attempt is what a limit counts),
// and site_state, whose version every writing transaction moves, even one
// whose delete found nothing to delete (as the generation always moved).
func (f *authzFixture) snapshot(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range tablesOf(t, f.db) {
		if name == "rate_limits" || name == "site_state" {
			continue
		}
		// In order: PostgreSQL moves a row it updates, even to the same values.
		rows, err := f.db.Raw(`SELECT * FROM "` + name + `" ORDER BY 1`).Rows()
		check(t, err)
		cols, _ := rows.Columns()
		h := sha256.New()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			check(t, rows.Scan(ptrs...))
			fmt.Fprintf(h, "%v\n", vals)
		}
		check(t, rows.Err())
		rows.Close()
		out[name] = fmt.Sprintf("%x", h.Sum(nil))
	}
	return out
}

// changed lists the tables whose rows differ.
func changed(before, after map[string]string) []string {
	var d []string
	for k, v := range after {
		if before[k] != v {
			d = append(d, k)
		}
	}
	sort.Strings(d)
	return d
}

// The ways a request is sent: as a page of the site would send it, without
// a CSRF token, with another session's token, and from another site.
var authzVariants = []string{"valid", "no token", "foreign token", "cross-site Origin", "cross-site Sec-Fetch-Site"}

// try sends the route's request as actor in a variant.
func (f *authzFixture) try(rule authzRule, actor, variant string) (*http.Response, string) {
	v := f.visitor(actor)
	form := url.Values{}
	if rule.form != nil {
		form = rule.form(f, actor)
	}
	var headers []string
	switch variant {
	case "no token":
		v.csrf = ""
	case "foreign token":
		other := "admin"
		if actor == "admin" {
			other = "reader"
		}
		form.Set("csrf", f.visitors[other].csrf)
	case "cross-site Origin":
		headers = []string{"Origin", "https://evil.example"}
	case "cross-site Sec-Fetch-Site":
		headers = []string{"Sec-Fetch-Site", "cross-site"}
	}
	if rule.file != "" {
		return f.cs.doFile(v, rule.path(f), form, rule.file, mediatest.PNG(mediatest.Halves(40, 30)), headers...)
	}
	return f.cs.do(v, http.MethodPost, rule.path(f), form, headers...)
}

// TestAuthorizationTable tries every state-changing route as every actor,
// in every variant: only the allowed actors, sending a valid request,
// succeed and change rows; every other attempt leaves every table as it was
// and never answers a 5xx.
func TestAuthorizationTable(t *testing.T) {
	routes := map[string]bool{}
	access := routeAccess(t, newAuthzFixture(t).cs.web)
	for route := range access {
		if !strings.HasPrefix(route, "GET ") {
			routes[route] = true
		}
	}
	for route := range routes {
		if _, ok := authzTable[route]; !ok {
			t.Errorf("%s is not in the authorization table: say who may use it", route)
		}
	}
	for route, rule := range authzTable {
		if !routes[route] {
			t.Errorf("the authorization table lists %s, which the site no longer has", route)
		} else if msg := agrees(access[route], rule.allowed); msg != "" {
			t.Errorf("%s is registered for %s, but the table allows %q: %s", route, access[route], rule.allowed, msg)
		}
	}
	// Every route against every visitor builds a site per allowed case:
	// a minute and more; the route list above is checked even under -short.
	slow(t)
	names := make([]string, 0, len(authzTable))
	for r := range authzTable {
		names = append(names, r)
	}
	sort.Strings(names)
	for _, route := range names {
		rule := authzTable[route]
		t.Run(route, func(t *testing.T) {
			t.Parallel() // each route on sites of its own
			f := newAuthzFixture(t)
			before := f.snapshot(t)
			var allowed []string
			for _, actor := range authzActors {
				for _, variant := range authzVariants {
					if actor == "guest" && (variant == "no token" || variant == "foreign token") {
						continue // a guest has no token to leave out
					}
					if variant == "valid" && strings.Contains(" "+rule.allowed+" ", " "+actor+" ") {
						allowed = append(allowed, actor)
						continue
					}
					res, body := f.try(rule, actor, variant)
					if res.StatusCode >= 500 {
						t.Errorf("%s, %s: status %d", actor, variant, res.StatusCode)
					}
					after := f.snapshot(t) // the next attempt's before
					if d := changed(before, after); len(d) > 0 {
						t.Errorf("%s, %s: refused, yet changed %v (status %d %.300s)", actor, variant, d, res.StatusCode, mainOf(body))
					}
					before = after
				}
			}
			// The refusals changed no row (checked above), so the first
			// allowed actor finds the site as new; the others get new ones.
			for i, actor := range allowed {
				if i > 0 || t.Failed() {
					f = newAuthzFixture(t)
				}
				checkAllowed(t, f, rule, actor)
			}
		})
	}
}

// checkAllowed sends the route's request as actor on a site where nothing
// was done yet: it must succeed, and change rows unless the route is inert.
func checkAllowed(t *testing.T, f *authzFixture, rule authzRule, actor string) {
	t.Helper()
	before := f.snapshot(t)
	res, body := f.try(rule, actor, "valid")
	loc := res.Header.Get("Location")
	if res.StatusCode >= 400 || strings.HasPrefix(loc, "/login") {
		t.Errorf("%s may, but got status %d %s %.300s", actor, res.StatusCode, loc, mainOf(body))
		return
	}
	if d := changed(before, f.snapshot(t)); len(d) == 0 && !rule.inert {
		t.Errorf("%s may, got status %d %s, but no row changed", actor, res.StatusCode, loc)
	}
}

// mainOf is the <main> part of a page, for messages.
func mainOf(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		return body[i:]
	}
	return body
}

// mailFixtures makes the links and the follow the mail routes act on.
func (f *authzFixture) mailFixtures(t *testing.T, category string) {
	t.Helper()
	ctx, cs := context.Background(), f.cs
	_, err := cs.store.CreateStory(ctx, models.StoryInput{Title: "Tagged", Body: "Text.", AuthorID: cs.author.ID, Tags: []string{"box"}})
	check(t, err)
	f.slugs = map[string]string{"category": category, "tag": "box", "author": cs.author.Handle, "company": "orange"}
	f.emailLink, err = cs.store.CreateMailToken(ctx, models.OneTimeToken{Purpose: models.PurposeEmail, Email: "new@example.org"}, time.Hour)
	check(t, err)
	fl, _, err := cs.store.RequestFollow(ctx, models.FollowRequest{Email: "margot@example.org", UserID: &cs.author.ID,
		Kind: models.FollowSite, Label: "the site", Path: "/"})
	check(t, err)
	f.follow = fl.ID
	f.confirm, err = cs.store.CreateMailToken(ctx, models.OneTimeToken{Purpose: models.PurposeConfirm, Email: fl.Email, FollowID: &fl.ID}, time.Hour)
	check(t, err)
	key, err := cs.store.Key(ctx, "unsubscribe")
	check(t, err)
	f.unsub = models.UnsubscribeToken(key, models.UnsubFollow, fl.ID)
}

// routeAccess is who may use each route of the site, as registered; a route
// added without a group (straight on the fiber app) fails the test.
func routeAccess(t *testing.T, w *web) map[string]handlers.Access {
	t.Helper()
	access := map[string]handlers.Access{}
	for _, r := range w.routes {
		access[r.Method+" "+r.Path] = r.Access
	}
	heads := map[string]bool{}
	for _, r := range w.app.GetRoutes(true) {
		method := r.Method
		if method == http.MethodHead {
			method, heads[r.Path] = http.MethodGet, true // HEAD is answered as GET
		}
		if _, ok := access[method+" "+r.Path]; !ok {
			t.Errorf("%s %s is registered without saying who may use it: add it through a group in handlers.Routes", r.Method, r.Path)
		}
	}
	for _, r := range w.routes {
		if r.Method == http.MethodGet && !heads[r.Path] {
			t.Errorf("GET %s has no HEAD", r.Path)
		}
	}
	return access
}

// agrees says what is wrong (or "") when a route's Access and the actors
// the table allows disagree: the group's check must hold for all of them.
func agrees(a handlers.Access, allowed string) string {
	guestAllowed := strings.Contains(" "+allowed+" ", " guest ")
	switch a {
	case handlers.Anyone:
		return ""
	case handlers.SignedIn:
		if guestAllowed {
			return "the group refuses guests"
		}
	case handlers.StoryEditor:
		if allowed != "owner admin" {
			return "the group is for the story's author and admins"
		}
	case handlers.Admin:
		if allowed != "admin" {
			return "the group is for admins only"
		}
	default:
		return "unknown Access"
	}
	return ""
}

// TestPagesRefuseAsTheirGroupSays: every page that is not for everyone is
// in authzPages, registered with its Access, and shows each actor what the
// table says; a guest sent to sign in comes back to the page.
func TestPagesRefuseAsTheirGroupSays(t *testing.T) {
	f := newAuthzFixture(t)
	access := routeAccess(t, f.cs.web)
	for route, a := range access {
		if _, ok := authzPages[route]; strings.HasPrefix(route, "GET ") && a != handlers.Anyone && !ok {
			t.Errorf("%s is for %s, but not in authzPages: say what each actor gets", route, a)
		}
	}
	for route, rule := range authzPages {
		if access[route] != rule.access {
			t.Errorf("%s is registered for %q, authzPages says %q", route, access[route], rule.access)
		}
		for _, actor := range authzActors {
			want := rule.others
			switch {
			case strings.Contains(" "+rule.allowed+" ", " "+actor+" "):
				want = http.StatusOK
			case actor == "guest":
				want = rule.guest
			}
			res, _ := f.cs.do(f.visitor(actor), http.MethodGet, rule.path(f), nil)
			if res.StatusCode != want {
				t.Errorf("%s as %s: status %d, want %d", route, actor, res.StatusCode, want)
			}
			if loc := res.Header.Get("Location"); want == http.StatusSeeOther && loc != "/login?next="+rule.path(f) {
				t.Errorf("%s as %s: sent to %q, want the sign-in page and back", route, actor, loc)
			}
		}
	}
}

// authzNotices files a notice about the owner's story, and two about
// comments of the owner that an admin decided (one of them appealed).
func authzNotices(t *testing.T, cs *testSite) (open, decided, appealed uint) {
	t.Helper()
	ctx := context.Background()
	file := func(commentID uint) uint {
		n, err := cs.store.FileNotice(ctx, models.NoticeInput{URL: "/stories/" + cs.story.Slug, Slug: cs.story.Slug, CommentID: commentID,
			Reason: models.NoticeDefamation, Explanation: "False.", Name: "Paul", Email: "paul@example.org", GoodFaith: true})
		check(t, err)
		return n.ID
	}
	decide := func(body string) uint {
		c, err := cs.store.AddComment(ctx, models.CommentInput{StoryID: cs.story.ID, UserID: &cs.author.ID,
			AuthorName: cs.author.Name, Body: body, Status: models.CommentApproved, CreatedAt: siteStart.Add(-time.Minute)})
		check(t, err)
		id := file(c.ID)
		_, err = cs.store.DecideNotice(ctx, cs.admin.ID, id, models.DecisionInput{Kind: models.DecisionUnpublish, Reasons: "Defamatory."})
		check(t, err)
		return id
	}
	open, decided, appealed = file(0), decide("Also mine."), decide("Mine too.")
	check(t, cs.store.AppealNotice(ctx, cs.author.ID, appealed, "It is true."))
	return open, decided, appealed
}
