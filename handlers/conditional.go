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
// Responses that set their own Cache-Control (errors, health, the pages of a
// signed-in person) are left alone. Pages fit for the page cache are served
// from it when it has them, and kept in it otherwise: a hit runs no query.
func conditional(store changeStore, cache *pageCache, now func() time.Time) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return c.Next()
		}
		if p := cache.lookup(c); p != nil {
			return p.send(c)
		}
		if currentSession(c) != nil {
			return c.Next() // private, no-store: no validators, so no query for them
		}
		// The generation and the clock are read before the stamp and the
		// stamp before the page's queries: a write after them has a later
		// second than the date sent, and makes the kept page old.
		gen := cache.gen()
		start := now()
		changed, err := store.SiteChangedAt(c.UserContext())
		if err != nil {
			changed = time.Time{} // no date then; the ETag still works
		}
		if err := c.Next(); err != nil {
			return err
		}
		if c.Response().StatusCode() != fiber.StatusOK || len(c.Response().Header.Peek(fiber.HeaderCacheControl)) > 0 {
			return nil
		}
		sum := sha256.Sum256(c.Response().Body())
		p := &cachedPage{gen: gen, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
			lastMod: changed.Truncate(time.Second)}
		// A date in the current second could hide a write later in that second.
		p.dated = !changed.IsZero() && start.Truncate(time.Second).After(p.lastMod)
		cache.keep(c, p)
		p.validate(c)
		return nil
	}
}

// send answers the request with the kept page (or a 304).
func (p *cachedPage) send(c *fiber.Ctx) error {
	c.Status(fiber.StatusOK)
	c.Response().Header.SetContentType(p.ctype)
	c.Response().SetBodyRaw(p.body) // never written to: SetBodyRaw does not copy
	p.validate(c)
	return nil
}

// validate sets the page's validators on the response and turns it into a
// 304 when the request's still hold.
func (p *cachedPage) validate(c *fiber.Ctx) {
	res := &c.Response().Header
	c.Set(fiber.HeaderETag, p.etag)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	if p.dated {
		c.Set(fiber.HeaderLastModified, p.lastMod.UTC().Format(http.TimeFormat))
	}
	if notModified(c.Get(fiber.HeaderIfNoneMatch), c.Get(fiber.HeaderIfModifiedSince), p.etag, p.lastMod, p.dated) {
		c.Status(fiber.StatusNotModified)
		c.Response().ResetBody()
		res.Del(fiber.HeaderContentType)
		res.Del(fiber.HeaderContentLength)
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
