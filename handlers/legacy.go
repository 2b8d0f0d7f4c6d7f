package handlers

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// legacyStore finds what an old address of an imported blog became.
type legacyStore interface {
	LegacyTarget(ctx context.Context, key string) (string, error)
}

// feedSuffixes are WordPress's feed addresses after a page's path, and the
// feed here each becomes.
var feedSuffixes = []struct{ old, now string }{
	{"/feed/atom", "/feed/atom"},
	{"/feed/rss2", "/feed"},
	{"/feed/rss", "/feed"},
	{"/feed/rdf", "/feed"},
	{"/feed", "/feed"},
}

// legacyLinks answers 301 to the old addresses of a blog imported from
// WordPress (/2008/03/slug/, /?p=6, /category/a/b/, their feeds, all under
// the blog's old path). It looks them up only for a GET that would
// otherwise be a 404, so normal routing costs nothing more; the one
// exception is the front page with ?p=, which would otherwise show the
// front page (and is never kept in the page cache, having a query).
func legacyLinks(store legacyStore) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return c.Next()
		}
		if c.Path() == "/" && c.Query("p") != "" {
			if to := legacyTarget(c, store); to != "" {
				return c.Redirect(to, fiber.StatusMovedPermanently)
			}
			return fiber.ErrNotFound
		}
		err := c.Next()
		if err == nil || !isNotFound(err) {
			return err
		}
		if to := legacyTarget(c, store); to != "" {
			c.Response().ResetBody()
			return c.Redirect(to, fiber.StatusMovedPermanently)
		}
		return err
	}
}

// isNotFound says whether err is answered with a 404.
func isNotFound(err error) bool {
	var fe *fiber.Error
	return errors.Is(err, models.ErrNotFound) || (errors.As(err, &fe) && fe.Code == fiber.StatusNotFound)
}

// legacyTarget returns where the request's old address leads now, or "".
func legacyTarget(c *fiber.Ctx, store legacyStore) string {
	path := c.Path()
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	ctx := c.UserContext()
	if to, err := store.LegacyTarget(ctx, models.LegacyKey(path, c.Query("p"))); err == nil {
		return to
	}
	trimmed := strings.ToLower(strings.TrimRight(path, "/"))
	if base, n, ok := pagedPath(trimmed); ok {
		to, err := store.LegacyTarget(ctx, models.LegacyKey(base, ""))
		switch {
		case err != nil:
			return ""
		case strings.HasPrefix(to, "/stories/"):
			return to // a post split in pages (<!--nextpage-->) is one story here
		}
		return strings.TrimRight(to, "/") + "/page/" + n
	}
	for _, f := range feedSuffixes {
		if base, ok := strings.CutSuffix(trimmed, f.old); ok {
			if to, err := store.LegacyTarget(ctx, models.LegacyKey(base, "")); err == nil {
				return strings.TrimRight(to, "/") + f.now
			}
			return ""
		}
	}
	return ""
}

// pagedPath splits a list's later page, /category/x/page/2, into the
// list's path and the page number.
func pagedPath(path string) (base, n string, ok bool) {
	i := strings.LastIndex(path, "/page/")
	if i < 0 {
		return "", "", false
	}
	n = path[i+len("/page/"):]
	if _, err := strconv.Atoi(n); err != nil || n == "" {
		return "", "", false
	}
	return path[:i], n, true
}
