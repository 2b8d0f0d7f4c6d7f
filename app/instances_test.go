package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// Several instances of a site behind a load balancer share one database
// and nothing else: a second server built on the first one's database file
// (its own store, page cache and limiters; the same clock) stands for one.

// secondInstance builds another server on s's database.
func (s *testSite) secondInstance() *testSite {
	s.t.Helper()
	store, err := models.Open(s.dbPath, models.Options{Now: s.clock.now})
	check(s.t, err)
	srv, err := newServer(context.Background(), s.srv.cfg, slog.New(slog.NewTextHandler(s.Log, nil)), store)
	if err != nil {
		store.Close()
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { srv.Close() })
	b := *s
	b.store, b.srv, b.web = store, srv, srv.web
	return &b
}

// TestSearchLimitIsSharedByInstances: the searches of one address count
// on every instance, so that a load balancer does not multiply the rate.
func TestSearchLimitIsSharedByInstances(t *testing.T) {
	a := newSite(t, withComments(), withConfig(func(c *Config) { c.SearchRate = 3 }))
	b := a.secondInstance()
	for i, s := range []*testSite{a, b, a} {
		res, body := s.get(nil, "/search?q=orange+"+strings.Repeat("x", i))
		wantCode(t, res, body, http.StatusOK)
	}
	for _, s := range []*testSite{b, a} {
		res, body := s.get(nil, "/search?q=orange")
		wantCode(t, res, body, http.StatusTooManyRequests)
		if !strings.Contains(body, "Too many searches") || res.Header.Get("Retry-After") == "" {
			t.Error("the 429 lacks its reason or Retry-After")
		}
	}
}

// TestFloodRuleIsSharedByInstances: a guest who commented through one
// instance waits the 15 seconds on the other too, the text kept.
func TestFloodRuleIsSharedByInstances(t *testing.T) {
	a := newSite(t, withComments())
	b := a.secondInstance()
	v := guest()
	res, body := a.comment(v, a.story, "Pareil chez moi.", "name", "Lou", "email", "lou@example.org")
	wantCode(t, res, body, http.StatusSeeOther)
	f := b.form(v, b.story) // 13 seconds later
	f.Set("body", "Et encore une fois.")
	f.Set("name", "Lou")
	f.Set("email", "lou@example.org")
	res, body = b.do(v, http.MethodPost, "/stories/"+b.story.Slug+"/comments", f)
	wantCode(t, res, body, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") != "2" || !strings.Contains(body, "Et encore une fois.") {
		t.Errorf("Retry-After %q (want 2), text kept: %v", res.Header.Get("Retry-After"), strings.Contains(body, "Et encore une fois."))
	}
}

// TestCommentOnOneInstanceIsOnTheOthersPages: a page another instance
// keeps in its cache shows a comment posted on the first once
// models' externalPoll (one second) has passed; the commenter's session,
// made on one instance, works on the other.
func TestCommentOnOneInstanceIsOnTheOthersPages(t *testing.T) {
	a := newSite(t, withComments())
	b := a.secondInstance()
	reader := a.signIn(a.readers[0])
	a.clock.add(models.FloodInterval)
	f := b.form(reader, b.story) // signed in on a, the form got from b
	f.Set("body", "Vu depuis une autre instance.")
	page := "/stories/" + a.story.Slug
	res, body := b.get(nil, page) // kept in b's page cache
	wantCode(t, res, body, http.StatusOK)
	res, body = a.do(reader, http.MethodPost, page+"/comments", f)
	wantCode(t, res, body, http.StatusSeeOther)
	a.clock.add(time.Second) // models' externalPoll, within the form stamp's 10-second step
	res, body = b.get(nil, page)
	wantCode(t, res, body, http.StatusOK)
	if !strings.Contains(body, "Vu depuis une autre instance.") {
		t.Error("the other instance still serves the page without the comment")
	}
	res, body = b.get(reader, "/me")
	wantCode(t, res, body, http.StatusOK)
}

// TestSessionEndsOnEveryInstance: an instance keeps the sessions it looked
// up, yet a browser signed out on one instance is signed out on the other
// within models' externalPoll (one second), the stolen cookie too; an
// admin made reader on one loses the admin pages on the other as fast.
func TestSessionEndsOnEveryInstance(t *testing.T) {
	a := newSite(t, withComments())
	b := a.secondInstance()
	reader, admin := a.signIn(a.readers[0]), a.signIn(a.admin)
	token := reader.cookies["doleances_session"]
	// A copy of the cookie for each request: a refusal clears the one it got.
	stolen := func() *visitor { return &visitor{cookies: map[string]string{"doleances_session": token}} }
	for _, s := range []*testSite{a, b} {
		res, body := s.get(stolen(), "/me")
		wantCode(t, res, body, http.StatusOK)
	}
	res, body := a.do(reader, http.MethodPost, "/logout", url.Values{})
	wantCode(t, res, body, http.StatusSeeOther)
	for i, s := range []*testSite{a, b} {
		if i == 1 {
			a.clock.add(time.Second)
		}
		if res, _ := s.get(stolen(), "/me"); res.StatusCode == http.StatusOK {
			t.Errorf("instance %d still knows the session signed out", i)
		}
	}
	for _, s := range []*testSite{a, b} { // kept again, on the clock's new second
		res, body := s.get(admin, "/admin")
		wantCode(t, res, body, http.StatusOK)
	}
	check(t, a.store.PromoteUser(context.Background(), a.admin.ID, a.readers[1].ID, models.RoleAdmin))
	check(t, a.store.PromoteUser(context.Background(), a.readers[1].ID, a.admin.ID, models.RoleReader))
	for i, s := range []*testSite{a, b} {
		if i == 1 {
			a.clock.add(time.Second)
		}
		if res, _ := s.get(admin, "/admin"); res.StatusCode != http.StatusNotFound {
			t.Errorf("instance %d answers %d to the former admin on /admin", i, res.StatusCode)
		}
	}
}
