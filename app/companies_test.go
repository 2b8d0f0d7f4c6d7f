package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// withScorecards adds to a replySite four more stories about Orange (five
// in all), two of them answered, 1 and 4 days after publication, and one
// story about Free: Orange's rates are shown (40 % replied, median 2.5
// days), Free's are not (one story, under the minimum of five).
func (rs *replySite) withScorecards() {
	rs.t.Helper()
	ctx := context.Background()
	cats, err := rs.store.Categories(ctx)
	check(rs.t, err)
	at := siteStart.Add(-10 * 24 * time.Hour)
	var orange []*models.Story
	for i, title := range []string{"Facture Orange", "Fibre Orange", "Mobile Orange", "Boutique Orange", "Box Free"} {
		co := &rs.orange.ID
		if i == 4 {
			co = &rs.free.ID
		}
		st, err := rs.store.CreateStory(ctx, models.StoryInput{Title: title, Body: "Texte.", AuthorID: rs.testSite.author.ID,
			CompanyID: co, CategoryIDs: []uint{cats[0].ID}, Status: models.StatusPublished, PublishedAt: &at})
		check(rs.t, err)
		orange = append(orange, st)
	}
	for i, d := range []int{1, 4} {
		rs.clock.set(at.Add(time.Duration(d) * 24 * time.Hour))
		_, err := rs.store.PostCompanyReply(ctx, orange[i].ID, rs.rep.ID, models.ReplyAct, "On it.")
		check(rs.t, err)
	}
	rs.clock.set(siteStart)
}

// TestCompanyScorecardPage checks a company page's figures, charts, table,
// description and JSON-LD, and that a company under the minimum shows no rates.
func TestCompanyScorecardPage(t *testing.T) {
	rs := newReplySite(t)
	rs.withScorecards()
	_, page := rs.get(nil, "/company/orange")
	for _, want := range []string{`id="scorecard"`, "<dd>5</dd>", "<dd>40 %</dd>", "<dd>2.5 days</dd>", "<dd>0 %</dd>",
		`<svg class="chart trend"`, `<svg class="chart rates"`, "<caption>Stories about Orange by month of publication</caption>",
		"<th scope=\"row\">February 2026</th><td>5</td><td>2</td><td>0</td>",
		`"median days to the first reply","value":2.5`, "5 published stories; 40 % with an official reply (median 2.5 days to the first reply)",
		`>Service Client</a> <span class="badge official">representative</span>`} {
		if !strings.Contains(html.UnescapeString(page), html.UnescapeString(want)) {
			t.Errorf("/company/orange lacks %q", want)
		}
	}
	_, page = rs.get(nil, "/company/free")
	if !strings.Contains(page, "Rates and medians are shown once a company has 5 published stories; Free has 1.") ||
		strings.Contains(page, "chart rates") || !strings.Contains(page, "<dd>—</dd>") {
		t.Errorf("/company/free shows rates under the minimum: %.3000s", mainOf(page))
	}
	_, feed := rs.get(nil, "/company/orange/feed")
	if !strings.Contains(feed, "5 published stories; 40 % with an official reply") {
		t.Errorf("the company feed's description lacks the figures: %.600s", feed)
	}
}

// TestCompaniesRanking checks /companies in each order, filtered by
// category, with rates under the minimum hidden and ranked last, and that
// a reply moves the figures on the cached page.
func TestCompaniesRanking(t *testing.T) {
	rs := newReplySite(t)
	rs.withScorecards()
	order := func(path string) []string {
		t.Helper()
		res, page := rs.get(nil, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		var names []string
		for _, part := range strings.Split(page, `<th scope="row"><a href="/company/`)[1:] {
			names = append(names, part[:strings.Index(part, `"`)])
		}
		return names
	}
	for _, c := range []struct{ path, want string }{
		{"/companies", "orange free"},
		{"/companies?sort=name", "free orange"},
		{"/companies?sort=replied", "orange free"},
		{"/companies?sort=reply-days", "orange free"},
		{"/companies?sort=nonsense", "orange free"},
		{"/companies?category=telecom", "orange free"},
	} {
		if got := strings.Join(order(c.path), " "); got != c.want {
			t.Errorf("%s: %q, want %q", c.path, got, c.want)
		}
	}
	_, page := rs.get(nil, "/companies")
	if !strings.Contains(page, `id="rules"`) || !strings.Contains(page, "Rates and medians are shown from 5 published stories") {
		t.Error("/companies does not say its rules")
	}
	if res, _ := rs.get(nil, "/companies?category=nowhere"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown category: %d", res.StatusCode)
	}
	// Free's row: one story, no rates.
	free := page[strings.Index(page, `href="/company/free"`):]
	free = free[:strings.Index(free, "</tr>")]
	if strings.Count(free, "<td>—</td>") != 4 {
		t.Errorf("Free's row shows rates: %s", free)
	}
	// A reply changes the cached page.
	if res, _ := rs.reply(rs.signIn(rs.rep), rs.story.Slug, "act", "We call you today."); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.StatusCode)
	}
	if _, page = rs.get(nil, "/companies"); !strings.Contains(page, "<td>60 %</td>") {
		t.Errorf("/companies after a reply: %.3000s", mainOf(page))
	}
}

// TestAdminEditsCompany: an admin edits a company, its domains and its
// representatives at /admin/companies/{id}; bad input comes back kept,
// with a message; nobody else finds the page.
func TestAdminEditsCompany(t *testing.T) {
	rs := newReplySite(t)
	admin := rs.signIn(rs.admin)
	base := "/admin/companies/" + itoa(rs.orange.ID)
	if res, _ := rs.get(rs.reader, base); res.StatusCode != http.StatusNotFound {
		t.Errorf("a reader gets %d", res.StatusCode)
	}
	edit := func(name, website, domains string) (*http.Response, string) {
		return rs.do(admin, http.MethodPost, base, url.Values{"name": {name}, "website": {website},
			"description": {"The incumbent operator."}, "domains": {domains}})
	}
	for _, c := range []struct{ name, website, domains, message, kept string }{
		{"Orange France", "javascript:alert(1)", "orange.fr", "The website must be an http:// or https:// address.", "javascript:alert(1)"},
		{"Orange France", "orange.fr", "orange.fr\nnot a domain", "is not an email domain", "not a domain"},
		{"Free", "orange.fr", "orange.fr", "Another company has this name", "orange.fr"},
		{"", "orange.fr", "", "Name the company.", "The incumbent operator."},
	} {
		res, body := edit(c.name, c.website, c.domains)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), c.message) ||
			!strings.Contains(html.UnescapeString(body), c.kept) {
			t.Errorf("edit %q %q %q: %d %.1500s", c.name, c.website, c.domains, res.StatusCode, mainOf(body))
		}
	}
	res, body := rs.do(admin, http.MethodPost, base, url.Values{"name": {"Orange"}, "logo": {"javascript:alert(1)"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The logo must be the address of a picture") {
		t.Errorf("bad logo: %d", res.StatusCode)
	}
	logo := "/media/0123456789abcdef0123456789abcdef/200x200.png"
	if res, _ := rs.do(admin, http.MethodPost, base, url.Values{"name": {"Orange"}, "logo": {logo}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logo: %d", res.StatusCode)
	}
	if _, page := rs.get(nil, "/company/orange"); !strings.Contains(page, `<img class="company-logo" src="`+logo+`"`) {
		t.Error("the logo is not on the company page")
	}
	if res, _ := edit("Orange France", "orange.fr", "orange.fr, @Sosh.fr"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	domains, err := rs.store.CompanyDomains(context.Background(), rs.orange.ID)
	check(t, err)
	if strings.Join(domains, " ") != "orange.fr sosh.fr" {
		t.Errorf("domains %v", domains)
	}
	_, page := rs.get(nil, "/company/orange")
	if !strings.Contains(page, "<h1>Orange France</h1>") || !strings.Contains(page, `href="https://orange.fr"`) {
		t.Errorf("the company page after the edit: %.1500s", mainOf(page))
	}
	// Representatives: an unknown handle is refused, kept; Paul is added, then removed.
	res, body = rs.do(admin, http.MethodPost, base+"/representatives", url.Values{"handle": {"@nobody"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "No one has the handle @nobody.") || !strings.Contains(body, `value="@nobody"`) {
		t.Errorf("unknown handle: %d %.1500s", res.StatusCode, mainOf(body))
	}
	paul := rs.testSite.readers[0]
	if res, _ := rs.do(admin, http.MethodPost, base+"/representatives", url.Values{"handle": {"@" + paul.Handle}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", res.StatusCode)
	}
	if _, page := rs.get(nil, "/company/orange"); !strings.Contains(page, ">"+paul.Name+"</a> <span class=\"badge official\">representative</span>") {
		t.Error("Paul is not shown as a representative")
	}
	if res, _ := rs.reply(rs.reader, rs.story.Slug, "act", "Paul for Orange."); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Paul's reply as a representative: %d", res.StatusCode)
	}
	if res, _ := rs.do(admin, http.MethodPost, base+"/representatives/"+itoa(paul.ID)+"/delete", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	res, _ = rs.do(rs.reader, http.MethodPost, "/stories/"+rs.story.Slug+"/company-reply/follow-ups", url.Values{"body": {"Still me."}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a removed representative's follow-up: %d", res.StatusCode)
	}
}
