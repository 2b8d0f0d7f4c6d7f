package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
	"doleances/models/pgtest"
)

// BenchmarkPageCache compares pages served by the real server on 127.0.0.1
// with a bare Fiber handler sending the same bytes (baseline-static), over
// real HTTP from parallel clients. Compare the req/s of the sub-benchmarks
// of one run (the machine may be shared): story-50-comments with
// baseline-static, story-signed-in with baseline-static-signed-in-size.
//
//	go test ./app -run '^$' -bench PageCache -benchtime 3s
func BenchmarkPageCache(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	store, storyPath, token := pageCacheSite(b)
	cfg := Config{Addr: "127.0.0.1:0", BaseURL: "http://127.0.0.1", Data: b.TempDir()}
	srv, err := newServer(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), store)
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	site := benchListen(b, func(ln net.Listener) error { done <- srv.Serve(ctx, ln); return nil })
	b.Cleanup(func() { cancel(); <-done; srv.Close() })
	body := benchGet(b, http.DefaultClient, site+storyPath, "")
	signedIn := benchGet(b, http.DefaultClient, site+storyPath, token) // larger: a report form under each comment
	base := fiber.New(fiber.Config{DisableStartupMessage: true})
	base.Get("/", func(c *fiber.Ctx) error { c.Type("html", "utf-8"); return c.Send(body) })
	base.Get("/signed-in", func(c *fiber.Ctx) error { c.Type("html", "utf-8"); return c.Send(signedIn) })
	b.Cleanup(func() { base.ShutdownWithTimeout(time.Second) })
	static := benchListen(b, base.Listener)
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512}}
	b.Cleanup(client.CloseIdleConnections) // first: the servers wait for open connections
	for _, bm := range []struct{ name, url, session string }{
		{"baseline-static", static + "/", ""},
		{"story-50-comments", site + storyPath, ""},
		{"front", site + "/", ""},
		{"front-fr", site + "/?lang=fr", ""}, // the other language's entry of the same page
		{"feed", site + "/feed", ""},
		{"baseline-static-signed-in-size", static + "/signed-in", ""},
		{"story-signed-in", site + storyPath, token},
		{"front-signed-in", site + "/", token},
	} {
		b.Run(bm.name, func(b *testing.B) {
			n := len(benchGet(b, client, bm.url, bm.session))
			b.SetBytes(int64(n))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					benchGet(b, client, bm.url, bm.session)
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// pageCacheSite is a story of about 8 kB with 50 comments, and a session of its author.
func pageCacheSite(b *testing.B) (*models.Store, string, string) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.db")
	if pgtest.URL() != "" {
		path = testPostgres(b)
	}
	store, err := models.Open(path, models.Options{})
	if err != nil {
		b.Fatal(err)
	}
	u := &models.User{Handle: "margot", Name: "Margot Lefèvre", Role: models.RoleAuthor}
	cat := &models.Category{Name: "Telecom"}
	if err := errorsOf(store.CreateUser(ctx, u), store.CreateCategory(ctx, cat)); err != nil {
		b.Fatal(err)
	}
	para := "The operator said the *cancellation* letter never arrived, although the [registered receipt](https://example.org) said otherwise. "
	var md strings.Builder
	for i := range 16 {
		fmt.Fprintf(&md, "## Week %d\n\n%s%s%s\n\n", i+1, para, para, para)
	}
	st, err := store.CreateStory(ctx, models.StoryInput{Title: "Résilier chez Orange", Body: md.String(), AuthorID: u.ID,
		CategoryIDs: []uint{cat.ID}, Tags: []string{"cancellation", "box"}, Status: models.StatusPublished})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 50 {
		_, err := store.AddComment(ctx, models.CommentInput{StoryID: st.ID, AuthorName: fmt.Sprintf("Reader %d", i),
			AuthorEmail: "r@example.org", Body: strings.Repeat("Same thing happened to me last spring. ", 5), Status: models.CommentApproved})
		if err != nil {
			b.Fatal(err)
		}
	}
	token, err := store.CreateSession(ctx, u.ID, 30*24*time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	return store, "/stories/" + st.Slug, token
}

func errorsOf(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// benchListen serves on a new 127.0.0.1 port and returns its URL.
func benchListen(b *testing.B, serve func(net.Listener) error) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go serve(ln)
	return "http://" + ln.Addr().String()
}

// benchGet fetches url (with a session cookie when given) and returns the body.
func benchGet(b *testing.B, c *http.Client, url, session string) []byte {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "doleances_session", Value: session})
	}
	res, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d, %v", url, res.StatusCode, err)
	}
	return body
}
