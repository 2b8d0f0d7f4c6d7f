package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// claimLink returns the claim link of the last mail to addr in the outbox.
func claimLink(t *testing.T, s *testSite, addr string) string {
	t.Helper()
	ms, err := s.store.Outbox(context.Background(), 50)
	check(t, err)
	for _, m := range ms {
		if m.To == addr && m.Kind == models.MailKindClaim {
			if l := regexp.MustCompile(`/claim/[A-Za-z0-9_\-]+`).FindString(m.Text); l != "" {
				return l
			}
		}
	}
	t.Fatalf("no claim mail to %s among %d", addr, len(ms))
	return ""
}

// TestCompanyClaim: a user whose verified address is at one of Orange's
// domains, or a subdomain of one, claims it from its page and represents
// it once they open the mailed link, which works once; others are refused
// with the reason, and an admin still removes a representative.
func TestCompanyClaim(t *testing.T) {
	rs := newReplySite(t)
	rs.withScorecards() // Free gets a story, hence a page
	ctx := context.Background()
	check(t, rs.store.UpdateCompany(ctx, rs.admin.ID, rs.orange.ID, models.CompanyInput{Name: "Orange", Domains: "orange.fr, orange.com"}))
	mk := func(handle, email string, verified bool) (*models.User, *visitor) {
		u := &models.User{Handle: handle, Name: strings.ToUpper(handle), Email: email, EmailVerified: verified}
		check(t, rs.store.CreateUser(ctx, u))
		return u, rs.signIn(u)
	}
	sophie, sv := mk("sophie", "sophie@sav.orange.fr", true)

	_, page := rs.get(nil, "/company/orange")
	wantIn(t, "the company page of a visitor", page, "<strong>orange.com</strong>, <strong>orange.fr</strong>", "or at a subdomain of one")
	if strings.Contains(page, "/claim\"") {
		t.Errorf("a visitor is offered the claim button")
	}
	_, page = rs.get(sv, "/company/orange")
	wantIn(t, "Sophie's company page", page, `action="/company/orange/claim"`, "Represent Orange</button>")

	res, page := rs.do(sv, http.MethodPost, "/company/orange/claim", url.Values{})
	wantCode(t, res, page, http.StatusOK)
	wantIn(t, "the claim's answer", page, "sent a link to sophie@sav.orange.fr")
	link := claimLink(t, rs.testSite, "sophie@sav.orange.fr")
	if ok, _ := rs.store.Represents(ctx, sophie.ID, rs.orange.ID); ok {
		t.Fatal("Sophie represents Orange before opening the link")
	}
	res, page = rs.get(nil, link)
	wantCode(t, res, page, http.StatusOK)
	wantIn(t, "the claim link", page, `action="`+link+`"`)
	res, page = rs.do(guest(), http.MethodPost, link, url.Values{})
	wantCode(t, res, page, http.StatusOK)
	wantIn(t, "the used claim link", page, "You represent Orange")
	if ok, _ := rs.store.Represents(ctx, sophie.ID, rs.orange.ID); !ok {
		t.Fatal("Sophie does not represent Orange after opening the link")
	}
	res, page = rs.do(guest(), http.MethodPost, link, url.Values{})
	wantCode(t, res, page, http.StatusNotFound)
	wantIn(t, "the replayed claim link", page, "This link no longer works")
	_, page = rs.get(sv, "/company/orange")
	wantIn(t, "the company page of its new representative", page, ">SOPHIE</a> <span class=\"badge official\">representative</span>", "You already represent this company.")
	res, page = rs.do(sv, http.MethodPost, "/company/orange/claim", url.Values{})
	wantCode(t, res, page, http.StatusForbidden)
	wantIn(t, "a second claim", page, "You already represent this company.")

	// Refusals: an unverified address, another domain (a look-alike too),
	// a company without domains.
	_, unverified := mk("paul", "paul@orange.fr", false)
	_, other := mk("zoe", "zoe@notorange.fr", true)
	for _, c := range []struct {
		v          *visitor
		path, want string
	}{
		{unverified, "/company/orange/claim", "not verified"},
		{other, "/company/orange/claim", "not at one of this company's domains"},
		{sv, "/company/free/claim", "no email domain on record"},
	} {
		res, page := rs.do(c.v, http.MethodPost, c.path, url.Values{})
		wantCode(t, res, page, http.StatusForbidden)
		wantIn(t, "POST "+c.path, html.UnescapeString(page), c.want)
	}
	_, page = rs.get(other, "/company/orange")
	if strings.Contains(page, `action="/company/orange/claim"`) || !strings.Contains(html.UnescapeString(page), "not at one of this company's domains") {
		t.Errorf("a user of another domain is offered the claim, or not told why not")
	}

	// An expired link does nothing.
	ana, av := mk("ana", "ana@orange.com", true)
	res, page = rs.do(av, http.MethodPost, "/company/orange/claim", url.Values{})
	wantCode(t, res, page, http.StatusOK)
	link = claimLink(t, rs.testSite, "ana@orange.com")
	rs.clock.add(25 * time.Hour)
	res, page = rs.do(guest(), http.MethodPost, link, url.Values{})
	wantCode(t, res, page, http.StatusNotFound)
	if ok, _ := rs.store.Represents(ctx, ana.ID, rs.orange.ID); ok {
		t.Error("an expired claim link made Ana a representative")
	}

	// The admin still removes a representative who claimed.
	admin := rs.signIn(rs.admin)
	res, _ = rs.do(admin, http.MethodPost, "/admin/companies/"+itoa(rs.orange.ID)+"/representatives/"+itoa(sophie.ID)+"/delete", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("removing Sophie: %d", res.StatusCode)
	}
	if ok, _ := rs.store.Represents(ctx, sophie.ID, rs.orange.ID); ok {
		t.Error("Sophie still represents Orange after the admin removed her")
	}
}

// TestDomainMatches: an address matches a domain or its subdomains, never
// a look-alike.
func TestDomainMatches(t *testing.T) {
	for _, c := range []struct {
		email, domain string
		want          bool
	}{
		{"a@orange.fr", "orange.fr", true},
		{"a@SAV.Orange.FR", "orange.fr", true},
		{"a@notorange.fr", "orange.fr", false},
		{"a@orange.fr.evil.com", "orange.fr", false},
		{"orange.fr", "orange.fr", false},
		{"a@orange.fr", "", false},
	} {
		if got := models.DomainMatches(c.email, c.domain); got != c.want {
			t.Errorf("DomainMatches(%q, %q) = %v", c.email, c.domain, got)
		}
	}
}
