package app

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"doleances/models"
)

// TestGuestImpersonationIsHeld checks the returning-guest rule: a guest is
// approved at once only when the same name and email were approved before.
// Someone who knows a regular's email and posts under another name waits
// for a moderator; the regular, typed with other case or spaces, does not.
func TestGuestImpersonationIsHeld(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	res, body := cs.comment(guest(), cs.story, "Même souci chez moi.", "name", "Lucie Martin", "email", "lucie@example.org")
	wantCode(t, res, body, http.StatusSeeOther)
	first := cs.lastComment()
	_, err := cs.store.ModerateComments(ctx, cs.admin.ID, []uint{first.ID}, models.ActionApprove)
	check(t, err)

	tests := []struct {
		name, email string
		want        string
	}{
		{"Famous Name", "lucie@example.org", models.CommentPending},
		{"Lucie", "lucie@example.org", models.CommentPending},
		{"Lucie Martin", "other@example.org", models.CommentPending},
		{"  lucie   MARTIN ", "Lucie@Example.org", models.CommentApproved},
	}
	for _, tt := range tests {
		res, body := cs.comment(guest(), cs.story, "Une autre remarque, "+tt.name, "name", tt.name, "email", tt.email)
		wantCode(t, res, body, http.StatusSeeOther)
		if got := cs.lastComment(); got.Status != tt.want {
			t.Errorf("%q <%s>: comment is %s, want %s", tt.name, tt.email, got.Status, tt.want)
		}
	}
}

// TestGuestEmailAndIPForAdminsOnly checks that a guest's email and address
// reach no one but admins: an author moderating the comments of their own
// story sees the name and the text, not the email nor the IP.
func TestGuestEmailAndIPForAdminsOnly(t *testing.T) {
	cs := newSite(t, withComments())
	res, body := cs.comment(guest(), cs.story, "Pareil pour moi.", "name", "Lucie", "email", "lucie.secret@example.org")
	wantCode(t, res, body, http.StatusSeeOther)
	ip := cs.lastComment().IP
	if ip == "" {
		t.Fatal("the comment kept no address: the test proves nothing")
	}
	for _, status := range []string{models.CommentPending, models.CommentApproved} {
		_, page := cs.get(cs.signIn(cs.author), "/admin/comments?status="+status)
		for _, secret := range []string{"lucie.secret@example.org", ip} {
			if strings.Contains(page, secret) {
				t.Errorf("the author's %s queue shows %q", status, secret)
			}
		}
	}
	_, page := cs.get(cs.signIn(cs.author), "/admin/comments")
	if !strings.Contains(page, "Pareil pour moi.") {
		t.Error("the author's queue does not show the held comment")
	}
	_, page = cs.get(cs.signIn(cs.admin), "/admin/comments")
	if !strings.Contains(page, "lucie.secret@example.org") || !strings.Contains(page, ip) {
		t.Error("the admin's queue does not show the guest's email and address")
	}
}

// TestCrossSitePostIsNeverReplayed checks the refusal page of a form sent
// from another site: it says what was refused and shows the text, but no
// form of ours carries the attacker's fields (two clicks on such a form
// deleted the account, or changed a role). A same-site refusal, an expired
// token, still offers to send the form again.
func TestCrossSitePostIsNeverReplayed(t *testing.T) {
	cs := newSite(t, withComments())
	reader, admin := cs.signIn(cs.readers[0]), cs.signIn(cs.admin)
	role := "/admin/users/" + strconv.Itoa(int(cs.readers[1].ID)) + "/role"
	long := "Mon histoire, tapée longuement.\nDeuxième ligne."
	tests := []struct {
		name, path string
		v          *visitor
		form       url.Values
		headers    []string
	}{
		{"account deletion, Origin", "/me/delete", reader, url.Values{"confirm": {"yes"}}, []string{"Origin", "https://evil.example"}},
		{"account deletion, Sec-Fetch-Site", "/me/delete", reader, url.Values{"confirm": {"yes"}}, []string{"Sec-Fetch-Site", "cross-site"}},
		{"role change", role, admin, url.Values{"role": {"admin"}}, []string{"Origin", "https://evil.example"}},
		{"story", "/write", reader, url.Values{"title": {"Titre"}, "body": {long}}, []string{"Sec-Fetch-Site", "same-site"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, page := cs.do(tt.v, http.MethodPost, tt.path, tt.form, tt.headers...)
			wantCode(t, res, page, http.StatusForbidden)
			if strings.Contains(page, `action="`+tt.path+`"`) || strings.Contains(page, "Send again") {
				t.Errorf("the refusal offers to send the form again:\n%s", page[strings.Index(page, "<main"):])
			}
			for k := range tt.form {
				if k != "csrf" && strings.Contains(page, `name="`+k+`"`) {
					t.Errorf("the refusal page has a field named %q", k)
				}
			}
			if strings.Contains(tt.form.Get("body"), "\n") && !strings.Contains(page, "Deuxième ligne.") {
				t.Error("the typed text is not shown for copying")
			}
		})
	}
	if u, err := cs.store.UserByID(context.Background(), cs.readers[0].ID); err != nil || u == nil {
		t.Fatalf("the reader's account is gone: %v", err)
	}

	// Same site, stale token: the form comes back, to send again.
	res, page := cs.do(reader, http.MethodPost, "/write", url.Values{"title": {"Titre"}, "body": {long}, "csrf": {"stale"}},
		"Origin", testBase)
	wantCode(t, res, page, http.StatusForbidden)
	if !strings.Contains(page, `action="/write"`) || !strings.Contains(page, `name="body"`) {
		t.Error("a same-site refusal does not offer to send the form again")
	}
}

// TestDraftTaxonomyStaysPrivate checks that a company or tag typed only on
// a draft is not public anywhere: its page and feeds are not found, the
// sitemap does not list it, and the editor suggests it to its writer only.
// Once the story is published, all of it appears.
func TestDraftTaxonomyStaysPrivate(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	author := cs.signIn(cs.author)
	cats, err := cs.store.Categories(ctx)
	check(t, err)
	f := url.Values{"title": {"Brouillon secret"}, "body": {"Pas encore prêt."}, "company": {"Zorglub Télécom"},
		"tags": {"zorglubtag"}, "categories": {strconv.Itoa(int(cats[0].ID))}, "resolution": {"open"}, "action": {"draft"}}
	res, body := cs.do(author, http.MethodPost, "/write", f)
	wantCode(t, res, body, http.StatusSeeOther)
	draft := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/stories/"), "/edit?saved=draft")
	companies, err := cs.store.Companies(ctx)
	check(t, err)
	var company string
	for _, co := range companies {
		if strings.HasPrefix(co.Name, "Zorglub") {
			company = co.Slug
		}
	}
	if company == "" {
		t.Fatal("the draft's company was not created: the test proves nothing")
	}
	paths := []string{"/company/" + company, "/company/" + company + "/feed", "/company/" + company + "/feed/atom",
		"/tag/zorglubtag", "/tag/zorglubtag/feed", "/tag/zorglubtag/feed/atom"}
	for _, p := range paths {
		if res, _ := cs.get(guest(), p); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s of a draft answers %d, want 404", p, res.StatusCode)
		}
	}
	if _, page := cs.get(guest(), "/sitemap.xml"); strings.Contains(page, company) || strings.Contains(page, "zorglub") {
		t.Error("the sitemap lists the draft's company or tag")
	}
	if _, page := cs.get(guest(), "/search?q=box&company="+company); strings.Contains(page, "Zorglub Télécom") {
		t.Error("the search filter names the draft's company")
	}
	if _, page := cs.get(cs.signIn(cs.readers[0]), "/write"); strings.Contains(page, "Zorglub") {
		t.Error("the editor suggests another writer's draft company")
	}
	if _, page := cs.get(author, "/write"); !strings.Contains(page, "Zorglub") {
		t.Error("the editor does not suggest its writer's own draft company")
	}

	res, body = cs.do(author, http.MethodPost, "/stories/"+draft+"/publish", url.Values{})
	wantCode(t, res, body, http.StatusSeeOther)
	for _, p := range paths {
		if res, body := cs.get(guest(), p); res.StatusCode != http.StatusOK {
			t.Errorf("%s of a published story answers %d\n%.300s", p, res.StatusCode, body)
		}
	}
	if _, page := cs.get(cs.signIn(cs.readers[0]), "/write"); !strings.Contains(page, "Zorglub") {
		t.Error("the editor does not suggest a published story's company")
	}
}

// TestReaderChangesWaitForReview checks that a reader's approved story
// cannot be turned into something else without a second review: every way
// the reader can add text to it (title, text, tags, company, categories,
// city, dated updates) is held, the approved version stays public (and in
// the feeds and the cached pages), the reader sees their change waiting,
// the admin sees it and approves or refuses it.
func TestReaderChangesWaitForReview(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	reader, admin := cs.signIn(cs.readers[0]), cs.signIn(cs.admin)
	cats, err := cs.store.Categories(ctx)
	check(t, err)
	cat := strconv.Itoa(int(cats[0].ID))
	f := url.Values{"title": {"Ma box en panne"}, "body": {"Un récit honnête."}, "categories": {cat},
		"resolution": {"open"}, "action": {"publish"}}
	res, body := cs.do(reader, http.MethodPost, "/write", f)
	wantCode(t, res, body, http.StatusSeeOther)
	sts, err := cs.store.ReviewQueue(ctx)
	check(t, err)
	if len(sts) != 1 {
		t.Fatalf("%d stories in review, want 1", len(sts))
	}
	st := sts[0]
	res, body = cs.do(admin, http.MethodPost, "/admin/stories/"+strconv.Itoa(int(st.ID))+"/approve", url.Values{})
	wantCode(t, res, body, http.StatusSeeOther)
	path := "/stories/" + cs.mustSlug(st.ID)
	watched := []string{path, "/", "/feed", "/category/" + cats[0].Slug}
	for _, p := range watched { // cached as the approved version
		if res, page := cs.get(guest(), p); res.StatusCode != http.StatusOK || !strings.Contains(page, "Ma box en panne") {
			t.Fatalf("%s: %d, or the approved story is missing", p, res.StatusCode)
		}
	}

	spam := url.Values{"title": {"Ma box en panne SPAMTITLE"}, "body": {"SPAMBODY casino en ligne"}, "categories": {cat},
		"tags": {"spamtag"}, "company": {"Spamco"}, "city": {"Spamville"}, "resolution": {"resolved"}, "action": {"draft"}}
	res, body = cs.do(reader, http.MethodPost, path+"/edit", spam)
	wantCode(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); !strings.Contains(loc, "saved=pending") {
		t.Errorf("the reader's edit goes to %s, not back to the editor with the news that it waits", loc)
	}
	res, body = cs.do(reader, http.MethodPost, path+"/updates", url.Values{"body": {"SPAMUPDATE"}, "resolution": {"abandoned"}})
	wantCode(t, res, body, http.StatusSeeOther)
	spamWords := []string{"SPAMTITLE", "SPAMBODY", "spamtag", "Spamco", "Spamville", "SPAMUPDATE", "Resolved", "Gave up"}
	noSpam := func(when string) {
		t.Helper()
		for _, p := range append(watched, path+"/feed", "/sitemap.xml", "/search?q=casino", "/tag/spamtag") {
			_, page := cs.get(guest(), p)
			for _, w := range spamWords {
				if strings.Contains(page, w) {
					t.Errorf("%s: %s shows %q", when, p, w)
				}
			}
		}
	}
	noSpam("before review")
	_, page := cs.get(reader, path+"/edit")
	for _, want := range []string{"waiting for review", "SPAMBODY", "SPAMUPDATE", `value="Spamco"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the reader's editor does not show %q", want)
		}
	}
	_, page = cs.get(admin, "/admin")
	for _, want := range []string{"SPAMTITLE", "SPAMBODY", "spamtag", "Spamco", "SPAMUPDATE", "Approve the changes"} {
		if !strings.Contains(page, want) {
			t.Errorf("the review queue does not show %q", want)
		}
	}

	// Refused: the changes are gone, the approved version stays.
	res, body = cs.do(admin, http.MethodPost, "/admin/stories/"+strconv.Itoa(int(st.ID))+"/send-back", url.Values{"note": {"Pas de publicité."}})
	wantCode(t, res, body, http.StatusSeeOther)
	noSpam("after refusal")
	if res, _ := cs.get(guest(), path); res.StatusCode != http.StatusOK {
		t.Fatalf("the story is no longer public after its changes were refused: %d", res.StatusCode)
	}

	// Sent again, approved: now public.
	fair := url.Values{"title": {"Ma box réparée"}, "body": {"La suite honnête."}, "categories": {cat},
		"tags": {"fibre"}, "company": {"Orange"}, "resolution": {"open"}, "action": {"publish"}}
	res, body = cs.do(reader, http.MethodPost, path+"/edit", fair)
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.do(reader, http.MethodPost, path+"/updates", url.Values{"body": {"Technicien passé."}, "resolution": {"resolved"}})
	wantCode(t, res, body, http.StatusSeeOther)
	if _, page := cs.get(guest(), path); strings.Contains(page, "La suite honnête.") || strings.Contains(page, "Technicien passé.") {
		t.Error("the second change is public before review")
	}
	res, body = cs.do(admin, http.MethodPost, "/admin/stories/"+strconv.Itoa(int(st.ID))+"/approve", url.Values{})
	wantCode(t, res, body, http.StatusSeeOther)
	path = "/stories/" + cs.mustSlug(st.ID)
	_, page = cs.get(guest(), path)
	for _, want := range []string{"Ma box réparée", "La suite honnête.", "Technicien passé.", "/tag/fibre", "Orange", "Resolved"} {
		if !strings.Contains(page, want) {
			t.Errorf("the approved changes are not public: %s lacks %q", path, want)
		}
	}
	if _, feed := cs.get(guest(), "/feed"); !strings.Contains(feed, "Ma box réparée") {
		t.Error("the feed still shows the former version after approval")
	}

	// An author's edit is not held.
	res, body = cs.do(cs.signIn(cs.author), http.MethodPost, "/stories/"+cs.story.Slug+"/edit",
		url.Values{"title": {cs.story.Title}, "body": {"Texte corrigé par l'autrice."}, "categories": {cat}, "resolution": {"open"}, "action": {"draft"}})
	wantCode(t, res, body, http.StatusSeeOther)
	if _, page := cs.get(guest(), "/stories/"+cs.story.Slug); !strings.Contains(page, "Texte corrigé par l’autrice.") {
		t.Error("an author's edit is not public at once")
	}
}

// mustSlug is the current slug of story id.
func (cs *testSite) mustSlug(id uint) string {
	cs.t.Helper()
	st, err := cs.store.StoryForEdit(context.Background(), id, cs.admin.ID)
	check(cs.t, err)
	return st.Slug
}
