package handlers

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// ipLimiter caps the requests of one IP address per minute (form posts,
// searches). It lives in the process: a defence layer against bursts, not a
// rule the site relies on (the 15-second flood rule for comments is checked
// in the database), so several instances may each allow the rate without
// anything going wrong.
type ipLimiter struct {
	perMinute int // 0: no limit
	now       func() time.Time
	mu        sync.Mutex
	window    int64 // the current minute, in Unix minutes
	counts    map[string]int
}

func newIPLimiter(perMinute int, now func() time.Time) *ipLimiter {
	if now == nil {
		now = time.Now
	}
	return &ipLimiter{perMinute: perMinute, now: now, counts: map[string]int{}}
}

// allow counts a request from ip and returns 0, or the seconds to wait.
// An IPv6 address counts as its /64 network (models.AddressKey).
func (l *ipLimiter) allow(ip string) int {
	ip = models.AddressKey(ip)
	if l.perMinute <= 0 {
		return 0
	}
	t := l.now()
	min := t.Unix() / 60
	l.mu.Lock()
	defer l.mu.Unlock()
	if min != l.window {
		l.window, l.counts = min, map[string]int{} // a fixed window: forget the last minute whole
	}
	if l.counts[ip] >= l.perMinute {
		return int(60 - t.Unix()%60)
	}
	l.counts[ip]++
	return 0
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
		wait := l.allow(clientIP(c))
		if wait == 0 {
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
