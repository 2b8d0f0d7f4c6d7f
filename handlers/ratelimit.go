package handlers

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// postLimiter caps the POSTs of one IP address per minute. It lives in the
// process: a defence layer against bursts, not a rule the site relies on
// (the 15-second flood rule for comments is checked in the database), so
// several instances may each allow the rate without anything going wrong.
type postLimiter struct {
	perMinute int
	now       func() time.Time
	mu        sync.Mutex
	window    int64 // the current minute, in Unix minutes
	counts    map[string]int
}

func newPostLimiter(perMinute int, now func() time.Time) *postLimiter {
	return &postLimiter{perMinute: perMinute, now: now, counts: map[string]int{}}
}

// allow counts a POST from ip and returns 0, or the seconds to wait.
func (l *postLimiter) allow(ip string) int {
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

// limit refuses a POST over the rate with a 429 that gives the form back.
func (a *auth) limitPosts(l *postLimiter) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if l.perMinute <= 0 || c.Method() != fiber.MethodPost {
			return c.Next()
		}
		wait := l.allow(c.IP())
		if wait == 0 {
			return c.Next()
		}
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
		if strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON) {
			return c.Status(fiber.StatusTooManyRequests).JSON(fiber.Map{"error": "too many requests", "retry_after": wait})
		}
		return a.resubmit(c, fiber.StatusTooManyRequests,
			"Too many forms were sent from your address in the last minute. Please wait "+strconv.Itoa(wait)+" seconds.")
	}
}
