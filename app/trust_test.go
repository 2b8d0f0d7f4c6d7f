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
	cs := newCommentSite(t)
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
	cs := newCommentSite(t)
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
	cs := newCommentSite(t)
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
	cs := newCommentSite(t)
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
