package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"doleances/handlers"
	"doleances/models"
)

// fixedNow is the clock of the test sites: stories are dated before it.
var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const testBase = "https://doleances.example"

// fixtureSite is a small site served through the real route table.
type fixtureSite struct {
	t       *testing.T
	store   *models.Store
	web     *web
	stories map[string]*models.Story
	guest   string // a guest's email, which must never be shown
	author  *models.User
}

// newFixtureSite builds two categories, two companies, an author and four
// stories (one a draft) with comments in every status.
func newFixtureSite(t *testing.T, opts ...func(*handlers.Deps)) *fixtureSite {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(filepath.Join(t.TempDir(), "t.db"), models.Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ts := &fixtureSite{t: t, store: store, stories: map[string]*models.Story{}, guest: "secret.guest@example.org"}
	author := &models.User{Handle: "margot", Name: "Margot Lefèvre", Role: models.RoleAuthor}
	check(t, store.CreateUser(ctx, author))
	ts.author = author
	telecom, transport := &models.Category{Name: "Telecom", Position: 1}, &models.Category{Name: "Transport", Position: 2}
	check(t, store.CreateCategory(ctx, telecom))
	check(t, store.CreateCategory(ctx, transport))
	orange, velib := &models.Company{Name: "Orange"}, &models.Company{Name: "Vélib'"}
	check(t, store.CreateCompany(ctx, orange))
	check(t, store.CreateCompany(ctx, velib))
	add := func(key, title, body string, cat *models.Category, co *models.Company, daysAgo int, status string, tags ...string) {
		at := fixedNow.Add(-time.Duration(daysAgo) * 24 * time.Hour)
		st, err := store.CreateStory(ctx, models.StoryInput{
			Title: title, Body: body, AuthorID: author.ID, CategoryIDs: []uint{cat.ID}, CompanyID: &co.ID,
			Tags: tags, Status: status, PublishedAt: &at, Resolution: models.ResolutionResolved,
		})
		check(t, err)
		ts.stories[key] = st
	}
	add("box", "Résilier chez Orange", "I sent a [registered letter](/stories/velo) and ![the receipt](/static/receipt.png).\n\nSee [the law](https://www.legifrance.gouv.fr/) and the footnote.[^1]\n\n[^1]: A note.", telecom, orange, 3, models.StatusPublished, "livebox", "cancellation")
	add("velo", "Un vélo en panne", "La borne refusait le vélo. Then *Vélib'* refunded me.", transport, velib, 2, models.StatusPublished, "vélo")
	add("fibre", "La fibre, enfin", "The technician came on time.", telecom, orange, 1, models.StatusPublished, "fibre")
	add("draft", "Brouillon secret", "Not yet.", telecom, orange, 0, models.StatusDraft)
	comment := func(key, name, body, status string, hours int) {
		_, err := store.AddComment(ctx, models.CommentInput{
			StoryID: ts.stories[key].ID, AuthorName: name, AuthorEmail: ts.guest, Body: body, Status: status,
			CreatedAt: fixedNow.Add(-time.Duration(hours) * time.Hour),
		})
		check(t, err)
	}
	comment("box", "Claire", "Same thing happened to me, see [here](/stories/fibre).", models.CommentApproved, 30)
	comment("box", "Spammer", "Buy cheap watches", models.CommentSpam, 29)
	comment("box", "Waiting", "Held for moderation", models.CommentPending, 28)
	comment("velo", "Ahmed", "The bikes are better now.", models.CommentApproved, 20)
	comment("draft", "Early", "A comment on a draft", models.CommentApproved, 1)
	cfg := Config{Addr: "127.0.0.1:0", BaseURL: testBase, Data: t.TempDir()}
	opts = append([]func(*handlers.Deps){func(d *handlers.Deps) { d.Now = func() time.Time { return fixedNow } }}, opts...)
	w, err := newWeb(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)
	if err != nil {
		t.Fatal(err)
	}
	ts.web = w
	return ts
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// get requests path through the app with optional headers (name, value...).
func (ts *fixtureSite) get(path string, headers ...string) (*http.Response, string) {
	ts.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := ts.web.app.Test(req, -1)
	if err != nil {
		ts.t.Fatalf("GET %s: %v", path, err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		ts.t.Fatal(err)
	}
	return res, string(body)
}
