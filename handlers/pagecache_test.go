package handlers

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

type fixedChanges time.Time

func (f fixedChanges) SiteChangedAt(context.Context) (time.Time, error) { return time.Time(f), nil }

// cacheApp serves /:name through the page cache: "cookie" sets a cookie,
// "nostore" its own Cache-Control, "missing" is a 404, "big-N" and "p-N"
// are N bytes; renders counts the handler's runs.
func cacheApp(gen *atomic.Uint64, budget int) (*fiber.App, *pageCache, map[string]int) {
	now := func() time.Time { return time.Date(2026, 1, 1, 12, 0, 5, 0, time.UTC) }
	cache := newPageCache(gen.Load, now, budget)
	renders := map[string]int{}
	app := fiber.New(fiber.Config{Immutable: true})
	app.Use(conditional(fixedChanges(now().Add(-time.Minute)), cache, now))
	app.Get("/:name", cached(func(c *fiber.Ctx) error {
		name := c.Params("name")
		renders[name]++
		switch {
		case name == "cookie":
			c.Cookie(&fiber.Cookie{Name: "x", Value: "y"})
		case name == "nostore":
			c.Set(fiber.HeaderCacheControl, "no-store")
		case name == "missing":
			return fiber.ErrNotFound
		}
		_, size, _ := strings.Cut(name, "-")
		n, _ := strconv.Atoi(size)
		return c.SendString(strings.Repeat("x", max(n, 10)))
	}))
	return app, cache, renders
}

func fetch(t *testing.T, app *fiber.App, path string) string {
	t.Helper()
	res, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func TestPageCacheKeepsOnlyWhatItMay(t *testing.T) {
	var gen atomic.Uint64
	app, _, renders := cacheApp(&gen, 1<<20)
	want := map[string]int{"ok": 1, "cookie": 3, "nostore": 3, "missing": 3}
	for name := range want {
		for range 3 {
			fetch(t, app, "/"+name)
		}
	}
	for name, n := range want {
		if renders[name] != n {
			t.Errorf("/%s: rendered %d times for 3 views, want %d", name, renders[name], n)
		}
	}
	gen.Add(1) // a write
	fetch(t, app, "/ok")
	if renders["ok"] != 2 {
		t.Error("a page was served from the cache after a write")
	}
}

func TestPageCacheStaysWithinItsBudget(t *testing.T) {
	var gen atomic.Uint64
	const budget = 64 << 10
	app, cache, renders := cacheApp(&gen, budget)
	for i := range 10 { // 10 pages of 10 kB in 64 kB: the first ones go
		fetch(t, app, "/p"+strconv.Itoa(i)+"-10000")
	}
	if cache.size > budget || len(cache.items) > 6 {
		t.Errorf("%d bytes in %d entries for a %d-byte budget", cache.size, len(cache.items), budget)
	}
	fetch(t, app, "/p9-10000")
	fetch(t, app, "/p0-10000")
	if renders["p9-10000"] != 1 || renders["p0-10000"] != 2 {
		t.Errorf("renders: newest %d, oldest %d; want 1 and 2", renders["p9-10000"], renders["p0-10000"])
	}
	// A page over a quarter of the budget is never kept.
	fetch(t, app, "/big-20000")
	fetch(t, app, "/big-20000")
	if renders["big-20000"] != 2 {
		t.Error("a page over a quarter of the budget was kept")
	}
}

// halfRenderer writes half a page, then fails.
type halfRenderer struct{}

func (halfRenderer) Render(w io.Writer, _, _ string, _ any) error {
	io.WriteString(w, "<html><body>half a pa")
	return errors.New("template failed")
}

func (halfRenderer) Partial(w io.Writer, _, _ string, _ any) error {
	return halfRenderer{}.Render(w, "", "", nil)
}

// TestRenderNeverSendsHalfAPage: pages are rendered into the response's own
// buffer, which a failing template must leave empty for the error page.
func TestRenderNeverSendsHalfAPage(t *testing.T) {
	p := &pages{views: halfRenderer{}}
	// SendStatus writes its text only into an empty body.
	app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error { return c.SendStatus(500) }})
	app.Get("/", func(c *fiber.Ctx) error { return p.render(c, 200, "story", nil) })
	res, err := app.Test(httptest.NewRequest("GET", "/", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 500 || string(b) != "Internal Server Error" {
		t.Errorf("%d %q, want 500 and the error page alone", res.StatusCode, b)
	}
}

// A page marked popular-only (the search page) is kept from its second
// request on, whatever its query string, and goes with the next write.
func TestPageCacheKeepsPopularSearchesOnly(t *testing.T) {
	var gen atomic.Uint64
	now := func() time.Time { return time.Date(2026, 1, 1, 12, 0, 5, 0, time.UTC) }
	cache := newPageCache(gen.Load, now, 1<<20)
	renders := map[string]int{}
	app := fiber.New(fiber.Config{Immutable: true})
	app.Use(conditional(fixedChanges(now().Add(-time.Minute)), cache, now))
	app.Get("/search", cachedPopular(func(c *fiber.Ctx) error {
		renders[c.Query("q")]++
		return c.SendString("results for " + c.Query("q") + " at " + strconv.FormatUint(gen.Load(), 10))
	}))
	for range 4 {
		fetch(t, app, "/search?q=orange")
	}
	fetch(t, app, "/search?q=once")
	if renders["orange"] != 2 || renders["once"] != 1 {
		t.Errorf("renders %v: want orange twice (the second is kept), once once", renders)
	}
	if len(cache.items) != 1 {
		t.Errorf("%d pages kept, want only the popular search", len(cache.items))
	}
	gen.Add(1) // a write
	if got := fetch(t, app, "/search?q=orange"); got != "results for orange at 1" || renders["orange"] != 3 {
		t.Errorf("after a write: %q, %d renders", got, renders["orange"])
	}
}
