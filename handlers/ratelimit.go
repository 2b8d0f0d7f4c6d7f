package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// hitCounter counts the hits of a rate limit where every instance of the
// site sees them (*models.Store: a row per key and minute in the database).
type hitCounter interface {
	CountHit(ctx context.Context, key string, at time.Time) (int, error)
}

// ipLimiter caps the requests of one client (an IP address, or a user for
// uploads) per minute: form posts, searches, mails, notices, pictures. The
// count is kept in the database, so that several instances behind a load
// balancer allow the rate between them, not each. The process keeps only
// the keys the database said were over the limit this minute, to refuse
// their next requests without a query (the count only grows within a
// minute, so the database is still the truth).
type ipLimiter struct {
	name      string // tells this limit's rows from the others'
	perMinute int    // 0: no limit
	hits      hitCounter
	now       func() time.Time
	mu        sync.Mutex
	window    int64           // the current minute, in Unix minutes
	full      map[string]bool // keys over the limit in window
}

func newIPLimiter(name string, perMinute int, hits hitCounter, now func() time.Time) *ipLimiter {
	if now == nil {
		now = time.Now
	}
	return &ipLimiter{name: name, perMinute: perMinute, hits: hits, now: now, full: map[string]bool{}}
}

// allow counts a request from key (an address, or "user:ID") and returns 0,
// or the seconds to wait. An IPv6 address counts as its /64 network
// (models.AddressKey).
func (l *ipLimiter) allow(ctx context.Context, key string) (int, error) {
	if l.perMinute <= 0 {
		return 0, nil
	}
	key = models.AddressKey(key)
	t := l.now()
	wait := int(60 - t.Unix()%60)
	if l.refused(t.Unix()/60, key) {
		return wait, nil
	}
	n, err := l.hits.CountHit(ctx, l.name+"|"+key, t)
	if err != nil {
		return 0, fmt.Errorf("%s limit: %w", l.name, err)
	}
	if n <= l.perMinute {
		return 0, nil
	}
	l.mu.Lock()
	l.full[key] = true
	l.mu.Unlock()
	return wait, nil
}

// refused says whether key was found over the limit earlier in minute,
// forgetting the keys of earlier minutes.
func (l *ipLimiter) refused(minute int64, key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if minute != l.window {
		l.window, l.full = minute, map[string]bool{}
	}
	return l.full[key]
}

// limitPosts refuses a POST over the rate with a 429 that gives the form back.
// The editor's live preview and autosave, sent at pauses in the typing, and
// the read counts that story pages send are counted apart (previews), so
// that writing or reading never uses up the forms of the minute.
func (a *auth) limitPosts(forms, previews *ipLimiter) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodPost {
			return c.Next()
		}
		l := forms
		if p := c.Path(); p == "/preview" || strings.HasSuffix(p, "/autosave") || strings.HasSuffix(p, "/read") {
			l = previews
		}
		wait, err := l.allow(c.UserContext(), clientIP(c))
		if err != nil {
			return err
		} else if wait == 0 {
			return c.Next()
		}
		if wantsJSON(c) {
			return tooManyJSON(c, wait)
		}
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
		return a.resubmit(c, fiber.StatusTooManyRequests,
			tr(c, "Too many forms were sent from your address in the last minute. Please wait %d seconds.", wait), !a.crossSite(c))
	}
}

// tooManyJSON is the 429 of a limit for a script.
func tooManyJSON(c *fiber.Ctx, wait int) error {
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusTooManyRequests).JSON(fiber.Map{"error": "too many requests", "retry_after": wait})
}
