package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

type changeStore interface {
	SiteChangedAt(ctx context.Context) (time.Time, error)
}

// conditional answers GET and HEAD requests for pages and feeds with an ETag
// (a hash of the body: cheap, and never stale) and a Last-Modified date (the
// last write to anything a page shows), and turns a request whose
// If-None-Match or If-Modified-Since still holds into a 304 without a body.
// Responses that set their own Cache-Control (errors, health) are left alone.
func conditional(store changeStore, now func() time.Time) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return c.Next()
		}
		// The clock is read before the stamp and the stamp before the page's
		// queries: a write after them has a later second than the date sent.
		start := now()
		changed, err := store.SiteChangedAt(c.UserContext())
		if err != nil {
			changed = time.Time{} // no date then; the ETag still works
		}
		if err := c.Next(); err != nil {
			return err
		}
		res := &c.Response().Header
		if c.Response().StatusCode() != fiber.StatusOK || len(res.Peek(fiber.HeaderCacheControl)) > 0 {
			return nil
		}
		sum := sha256.Sum256(c.Response().Body())
		etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
		c.Set(fiber.HeaderETag, etag)
		c.Set(fiber.HeaderCacheControl, "no-cache")
		lastMod := changed.Truncate(time.Second)
		// A date in the current second could hide a write later in that second.
		sendDate := !changed.IsZero() && start.Truncate(time.Second).After(lastMod)
		if sendDate {
			c.Set(fiber.HeaderLastModified, lastMod.UTC().Format(http.TimeFormat))
		}
		if notModified(c.Get(fiber.HeaderIfNoneMatch), c.Get(fiber.HeaderIfModifiedSince), etag, lastMod, sendDate) {
			c.Status(fiber.StatusNotModified)
			c.Response().ResetBody()
			res.Del(fiber.HeaderContentType)
			res.Del(fiber.HeaderContentLength)
		}
		return nil
	}
}

// notModified applies RFC 9110 §13.2.2: If-None-Match decides when present
// (weak comparison); otherwise If-Modified-Since, if a date was sent.
func notModified(inm, ims, etag string, lastMod time.Time, dated bool) bool {
	if inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == etag {
				return true
			}
		}
		return false
	}
	if ims == "" || !dated {
		return false
	}
	since, err := http.ParseTime(ims)
	return err == nil && !lastMod.After(since)
}
