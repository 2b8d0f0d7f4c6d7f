package app

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// replySite is a the comment site (withComments) whose story is about Orange, with a
// representative of Orange, one of Free, and a draft about Orange.
type replySite struct {
	*testSite
	orange, free   *models.Company
	rep, freeRep   *models.User
	draft          *models.Story
	story          *models.Story // published 48 hours before the clock's start, about Orange
	author, reader *visitor
	adaUser        *models.User // the story's author
}

func newReplySite(t *testing.T) *replySite {
	t.Helper()
	cs := newSite(t, withComments())
	ctx := context.Background()
	rs := &replySite{testSite: cs, orange: &models.Company{Name: "Orange"}, free: &models.Company{Name: "Free"}}
	for _, c := range []*models.Company{rs.orange, rs.free} {
		check(t, cs.store.CreateCompany(ctx, c))
	}
	ada := &models.User{Handle: "ada", Name: "Ada Martin", Email: "ada@example.org", EmailVerified: true, Role: models.RoleAuthor}
	check(t, cs.store.CreateUser(ctx, ada))
	cats, err := cs.store.Categories(ctx)
	check(t, err)
	at := siteStart.Add(-48 * time.Hour)
	rs.story, err = cs.store.CreateStory(ctx, models.StoryInput{Title: "Ma box Orange", Body: "Il était une fois une box.",
		AuthorID: ada.ID, CompanyID: &rs.orange.ID, CategoryIDs: []uint{cats[0].ID}, Status: models.StatusPublished, PublishedAt: &at})
	check(t, err)
	rs.draft, err = cs.store.CreateStory(ctx, models.StoryInput{Title: "Brouillon Orange", Body: "Pas fini.", AuthorID: ada.ID,
		CompanyID: &rs.orange.ID, Status: models.StatusDraft})
	check(t, err)
	for _, u := range []**models.User{&rs.rep, &rs.freeRep} {
		*u = &models.User{Handle: "rep", Name: "Service Client", Role: models.RoleReader}
		check(t, cs.store.CreateUser(ctx, *u))
	}
	check(t, cs.store.AddRepresentative(ctx, cs.admin.ID, rs.orange.ID, rs.rep.Handle))
	check(t, cs.store.AddRepresentative(ctx, cs.admin.ID, rs.free.ID, rs.freeRep.Handle))
	rs.adaUser, rs.author, rs.reader = ada, cs.signIn(ada), cs.signIn(cs.readers[0])
	return rs
}

// reply posts an official reply as v.
func (rs *replySite) reply(v *visitor, slug, kind, body string) (*http.Response, string) {
	rs.t.Helper()
	return rs.do(v, http.MethodPost, "/stories/"+slug+"/company-reply", url.Values{"kind": {kind}, "body": {body}})
}

// TestOfficialReplyAndTimeline follows a story from its publication to the
// company's reply, a follow-up, and the author's resolution, as every
// visitor sees it.
func TestOfficialReplyAndTimeline(t *testing.T) {
	rs := newReplySite(t)
	path := "/stories/" + rs.story.Slug
	_, page := rs.get(nil, path)
	if !strings.Contains(page, `id="company-reply"`) || !strings.Contains(page, "Waiting for a reply from Orange: 2 days") {
		t.Fatalf("before the reply: %.2000s", mainOf(page))
	}
	if strings.Contains(page, "reply-form") {
		t.Error("a visitor sees the reply form")
	}
	rep := rs.signIn(rs.rep)
	if _, p := rs.get(rep, path); !strings.Contains(p, "Reply officially for Orange") {
		t.Errorf("the representative has no reply form: %.2000s", mainOf(p))
	}
	res, _ := rs.reply(rep, rs.story.Slug, "act", "**We are sorry.** <script>alert(1)</script> [x](javascript:alert(2))")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path+"#company-reply" {
		t.Fatalf("reply: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, page = rs.get(nil, path)
	for _, want := range []string{"Official reply from Orange", "We will act", "<strong>We are sorry.</strong>",
		"Orange replied", "after 2 days", "representative of"} {
		if !strings.Contains(page, want) {
			t.Errorf("the story page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "javascript:alert") {
		t.Error("the reply's HTML or script link reached the page")
	}
	rs.clock.add(24 * time.Hour)
	rep, rs.author = rs.signIn(rs.rep), rs.signIn(rs.adaUser) // sessions of an hour
	res, _ = rs.do(rep, http.MethodPost, path+"/company-reply/follow-ups", url.Values{"body": {"The refund left today."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("follow-up: %d", res.StatusCode)
	}
	_, p := rs.get(rs.author, path)
	if !strings.Contains(p, "Is your problem resolved?") || !strings.Contains(p, "The refund left today.") {
		t.Fatalf("the author has no resolution form or no follow-up: %.3000s", mainOf(p))
	}
	rs.clock.add(24 * time.Hour)
	rep, rs.author = rs.signIn(rs.rep), rs.signIn(rs.adaUser)
	res, _ = rs.do(rs.author, http.MethodPost, path+"/resolution", url.Values{"resolution": {"resolved"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolution: %d", res.StatusCode)
	}
	_, page = rs.get(nil, path)
	if !strings.Contains(page, "Resolved, confirmed by the author") || !strings.Contains(page, "after 4 days") {
		t.Errorf("timeline after the resolution: %.3000s", mainOf(page))
	}
	// The representative never sees the author's email, and cannot edit the story or set its resolution.
	if _, p := rs.get(rep, path); strings.Contains(p, "ada@example.org") {
		t.Error("the representative sees the author's email")
	}
	for _, try := range []struct{ method, path string }{{"GET", path + "/edit"}, {"POST", path + "/edit"}, {"POST", path + "/resolution"}} {
		form := url.Values{"title": {"Rewritten"}, "body": {"Nothing happened."}, "resolution": {"open"}}
		if try.method == "GET" {
			form = nil
		}
		if res, _ := rs.do(rep, try.method, try.path, form); res.StatusCode != http.StatusNotFound {
			t.Errorf("representative %s %s: %d, want 404", try.method, try.path, res.StatusCode)
		}
	}
}

// TestOfficialReplyRefusals sends the replies the site refuses: each gets a
// 4xx with a message and the text kept, and saves nothing.
func TestOfficialReplyRefusals(t *testing.T) {
	const text = "Nous allons vous rappeler <b>demain</b>."
	rs := newReplySite(t)
	slug := rs.story.Slug
	cases := []struct {
		name    string
		who     func() *visitor
		slug    string
		kind    string
		body    string
		status  int
		message string
	}{
		{"a visitor without a session", guest, slug, "act", text, http.StatusUnauthorized, "Please sign in"},
		{"a reader", func() *visitor { return rs.reader }, slug, "act", text, http.StatusForbidden, "Only a representative"},
		{"the story's author", func() *visitor { return rs.author }, slug, "act", text, http.StatusForbidden, "Only a representative"},
		{"a representative of another company", func() *visitor { return rs.signIn(rs.freeRep) }, slug, "act", text, http.StatusForbidden, "Only a representative"},
		{"a draft", func() *visitor { return rs.signIn(rs.rep) }, rs.draft.Slug, "act", text, http.StatusNotFound, "does not exist, or is no longer published"},
		{"an unknown kind", func() *visitor { return rs.signIn(rs.rep) }, slug, "sorry", text, http.StatusUnprocessableEntity, "Choose what the company does"},
		{"no kind", func() *visitor { return rs.signIn(rs.rep) }, slug, "", text, http.StatusUnprocessableEntity, "Choose what the company does"},
		{"an empty text", func() *visitor { return rs.signIn(rs.rep) }, slug, "act", "  \n ", http.StatusUnprocessableEntity, "The reply is empty."},
		{"a text too long", func() *visitor { return rs.signIn(rs.rep) }, slug, "act", strings.Repeat("é", 10_001), http.StatusUnprocessableEntity, "the limit is 10,000"},
	}
	for _, c := range cases {
		res, body := rs.reply(c.who(), c.slug, c.kind, c.body)
		if res.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.name, res.StatusCode, c.status)
		}
		if !strings.Contains(html.UnescapeString(body), c.message) {
			t.Errorf("%s: no message %q in %.1500s", c.name, c.message, mainOf(body))
		}
		if strings.TrimSpace(c.body) != "" && !strings.Contains(body, html.EscapeString(c.body)) {
			t.Errorf("%s: the text typed is not given back", c.name)
		}
		if _, err := rs.store.CompanyReplyOf(context.Background(), rs.story.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s: a reply was saved (%v)", c.name, err)
		}
	}
	// The second official reply is refused; its text comes back in the follow-up form.
	rep := rs.signIn(rs.rep)
	if res, _ := rs.reply(rep, slug, "contest", "First."); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first reply: %d", res.StatusCode)
	}
	res, body := rs.reply(rep, slug, "act", text)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "already replied") ||
		!strings.Contains(body, html.EscapeString(text)) || !strings.Contains(body, "/company-reply/follow-ups") {
		t.Errorf("second reply: %d %.1500s", res.StatusCode, mainOf(body))
	}
	r, err := rs.store.CompanyReplyOf(context.Background(), rs.story.ID)
	check(t, err)
	if r.Kind != "contest" || strings.TrimSpace(r.Body) != "First." {
		t.Errorf("the reply became %q %q", r.Kind, r.Body)
	}
}

// TestReportedReplyRemoved: a reader reports an official reply as they
// report comments; the admin sees it among the reports and removes it, and
// the story waits for a reply again.
func TestReportedReplyRemoved(t *testing.T) {
	rs := newReplySite(t)
	if res, _ := rs.reply(rs.signIn(rs.rep), rs.story.Slug, "contest", "You are lying."); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.StatusCode)
	}
	r, err := rs.store.CompanyReplyOf(context.Background(), rs.story.ID)
	check(t, err)
	path := "/stories/" + rs.story.Slug
	if _, p := rs.get(rs.reader, path); !strings.Contains(p, `action="/company-replies/`) {
		t.Fatal("no report form on the reply")
	}
	res, _ := rs.do(rs.reader, http.MethodPost, "/company-replies/"+itoa(r.ID)+"/report", url.Values{"reason": {"abuse"}, "slug": {rs.story.Slug}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "reported=1") {
		t.Fatalf("report: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	admin := rs.signIn(rs.admin)
	_, p := rs.get(admin, "/admin/reports")
	if !strings.Contains(p, "The official reply of Orange") || !strings.Contains(p, "You are lying.") {
		t.Fatalf("the admin does not see the reported reply: %.2000s", mainOf(p))
	}
	if res, _ := rs.do(admin, http.MethodPost, "/admin/company-replies/"+itoa(r.ID)+"/delete", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	_, page := rs.get(nil, path)
	if strings.Contains(page, "You are lying.") || !strings.Contains(page, "Waiting for a reply from Orange") {
		t.Errorf("after the removal: %.2000s", mainOf(page))
	}
	stats, err := rs.store.CompanyStats(context.Background(), rs.orange.ID)
	check(t, err)
	if stats.Replied != 0 {
		t.Errorf("the scorecard still counts the removed reply: %+v", stats)
	}
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }
