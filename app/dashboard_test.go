package app

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"doleances/models"
)

// countOf reads the number shown before label on the dashboard.
func countOf(t *testing.T, body, href, label string) string {
	t.Helper()
	m := regexp.MustCompile(`<a href="` + regexp.QuoteMeta(href) + `"><span class="attention-count">(\d+)</span> ` + label).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the dashboard has no %q linking to %s", label, href)
	}
	return m[1]
}

// TestAdminDashboard: /admin counts what waits (stories to review, held
// comments, reports, notices), each linked to where it is handled, and
// shows the latest activity; users, categories and companies have pages
// of their own, reached from every admin page.
func TestAdminDashboard(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	admin := cs.signIn(cs.admin)
	_, body := cs.get(admin, "/admin")
	for href, label := range map[string]string{"#review": "stories to review", "/admin/comments": "held comments",
		"/admin/reports": "open reports", "/admin/notices": "notices to decide"} {
		if n := countOf(t, body, href, label); n != "0" {
			t.Errorf("%s on an empty site: %s", label, n)
		}
	}
	res, page := cs.do(cs.signIn(cs.readers[0]), http.MethodPost, "/write", storyForm("Waiting for review", "Text.", "publish"))
	wantCode(t, res, page, http.StatusSeeOther)
	res, page = cs.comment(guest(), cs.story, "Un casino gratuit !", "name", "Guest", "email", "g@example.org")
	wantCode(t, res, page, http.StatusSeeOther)
	_, err := cs.store.Report(ctx, cs.readers[1].ID, models.ReportTarget{StoryID: cs.story.ID}, "spam")
	check(t, err)
	_, err = cs.store.FileNotice(ctx, models.NoticeInput{URL: "/stories/" + cs.story.Slug, Slug: cs.story.Slug,
		Reason: models.NoticeDefamation, Explanation: "Faux.", Name: "Jean", Email: "jean@example.org", GoodFaith: true})
	check(t, err)
	res, body = cs.get(admin, "/admin")
	wantCode(t, res, body, http.StatusOK)
	if countOf(t, body, "#review", "story to review") != "1" || countOf(t, body, "/admin/comments", "held comment") != "1" ||
		countOf(t, body, "/admin/reports", "open report") != "1" || countOf(t, body, "/admin/notices", "notice to decide") != "1" {
		t.Error("the dashboard does not count one of each")
	}
	wantIn(t, "the dashboard", body, `id="review"`, "Waiting for review", "Recent activity", "Un vélo en panne",
		`href="/admin/users"`, `href="/admin/categories"`, `href="/admin/companies"`)
	if regexp.MustCompile(`class="sidebar"`).MatchString(body) {
		t.Error("the dashboard still has the site's sidebar")
	}
	for path, want := range map[string]string{"/admin/users": "@paul", "/admin/categories": `name="description"`, "/admin/companies": `action="/admin/companies/merge"`} {
		res, body := cs.get(admin, path)
		wantCode(t, res, body, http.StatusOK)
		wantIn(t, path, body, want, `aria-current="page"`)
	}
}

// TestWorkingPagesHaveNoSidebar: the account, writing, moderation and
// admin pages give their width to their work; reading pages keep the sidebar.
func TestWorkingPagesHaveNoSidebar(t *testing.T) {
	cs := newSite(t, withComments())
	admin := cs.signIn(cs.admin)
	for _, path := range []string{"/me", "/me/stories", "/write", "/admin", "/admin/users", "/admin/comments", "/admin/reports", "/admin/notices"} {
		res, body := cs.get(admin, path)
		wantCode(t, res, body, http.StatusOK)
		if strings.Contains(body, `class="sidebar"`) {
			t.Errorf("%s has the sidebar", path)
		}
	}
	for _, path := range []string{"/", "/stories/" + cs.story.Slug, "/category/telecom"} {
		if _, body := cs.get(nil, path); !strings.Contains(body, `class="sidebar"`) {
			t.Errorf("%s lost the sidebar", path)
		}
	}
}
