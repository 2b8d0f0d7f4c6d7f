package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"doleances/models"
	"doleances/models/pgtest"
)

// onDatabaseOf builds a second instance of the site a: on a's database,
// with a's clock.
func onDatabaseOf(a *testSite) siteOption {
	return func(s *siteSetup) { s.cfg.DatabaseURL, s.clock = a.dbPath, a.clock }
}

// Two instances of the site on one PostgreSQL database, as behind a load
// balancer: what is done on one is there on the other.
func TestTwoInstancesShareOneDatabase(t *testing.T) {
	if pgtest.URL() == "" {
		t.Skip("needs PostgreSQL (" + pgtest.Env + "): only there do instances share a database")
	}
	limit := withConfig(func(c *Config) { c.SearchRate = 2 })
	a := newSite(t, withComments(), limit)
	b := newSite(t, onDatabaseOf(a), limit)
	ctx := context.Background()

	t.Run("a session made on A works on B", func(t *testing.T) {
		v := a.signIn(a.readers[0])
		_, body := b.get(v, "/me")
		wantIn(t, "B's /me with A's session", body, "@"+a.readers[0].Handle)
	})
	t.Run("a sign-in link made on A opens on B", func(t *testing.T) {
		uid := a.readers[1].ID
		token, err := a.store.CreateOneTimeToken(ctx, models.PurposeSignIn, &uid, time.Hour)
		check(t, err)
		res, body := b.do(nil, http.MethodPost, "/signin/"+token, url.Values{})
		wantCode(t, res, body, http.StatusSeeOther)
		if !strings.Contains(res.Header.Get("Set-Cookie"), "doleances_session=") {
			t.Errorf("B opened A's link without a session: %v", res.Header["Set-Cookie"])
		}
	})
	t.Run("a comment posted on A is on B's next page", func(t *testing.T) {
		path := "/stories/" + a.story.Slug
		_, before := b.get(nil, path) // B has the page in its cache
		const text = "Posted on instance A."
		if strings.Contains(before, text) {
			t.Fatal("the comment is there before it is posted")
		}
		res, body := a.comment(a.signIn(a.admin), a.story, text)
		wantCode(t, res, body, http.StatusSeeOther)
		// B looks at the database's version at most once a second on the
		// shared clock (a.comment moved it already, past the form's wait).
		a.clock.add(time.Second)
		if _, after := b.get(nil, path); !strings.Contains(after, text) {
			t.Error("B's page cache still serves the page from before the comment")
		}
	})
	t.Run("a search limit hit on A counts on B", func(t *testing.T) {
		for i := range 2 {
			res, body := a.get(nil, "/search?q=orange+"+string(rune('a'+i)))
			wantCode(t, res, body, http.StatusOK)
		}
		if res, _ := b.get(nil, "/search?q=orange"); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("B answered %s to a search over the limit hit on A, want 429", res.Status)
		}
	})
}
