package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Request body limits, in bytes. The server refuses anything over MaxBody
// before a handler runs; each route then has its own, lower limit. Each is
// set so that a field that is merely too long (a 10,001-character comment,
// a 100,001-character story, even in 4-byte characters sent URL-encoded at
// 12 bytes each) still reaches its handler, which gives the form back with
// a message, while an absurd body gets a 413 page.
const (
	MaxBody        = 2 << 20    // the server's hard cap
	StoryBodyLimit = 1536 << 10 // the editor, its preview and updates: 100,000 characters
	CommentLimit   = 256 << 10  // comments and their edits: 10,000 characters plus name, email, website
	FormLimit      = 64 << 10   // every other form: sign-in, account, admin, reports
)

// bodyLimits are the routes allowed more than FormLimit, as route patterns.
var bodyLimits = []struct {
	pattern string
	limit   int
}{
	{"/write", StoryBodyLimit},
	{"/preview", StoryBodyLimit},
	{"/write/autosave", StoryBodyLimit},
	{"/stories/:slug/autosave", StoryBodyLimit},
	{"/stories/:slug/edit", StoryBodyLimit},
	{"/stories/:slug/updates", StoryBodyLimit},
	{"/stories/:slug/comments", CommentLimit},
	{"/comments/:id/edit", CommentLimit},
	{"/stories/:slug/company-reply", CommentLimit},
	{"/stories/:slug/company-reply/follow-ups", CommentLimit},
	{"/admin/legal/:slug", StoryBodyLimit},
	{"/admin/import", ImportLimit},
}

// uploadLimits are the routes that take pictures, with the limit of a
// multipart body sent to them.
var uploadLimits = []struct {
	pattern string
	limit   int
}{
	{"/media", MediaBodyLimit},
	{"/me/avatar", MediaBodyLimit},
	{"/write", EditorUploadLimit},
	{"/stories/:slug/edit", EditorUploadLimit},
}

// UploadLimit is the most bytes a body of contentType sent to path may
// have when it carries pictures, or 0 when path takes none (the server reads
// at most MaxBody of it then). The server calls it on each request's headers,
// before it reads the body.
func UploadLimit(path, contentType string) int {
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), fiber.MIMEMultipartForm) {
		return 0
	}
	for _, u := range uploadLimits {
		if matchRoute(u.pattern, path) {
			return u.limit
		}
	}
	return 0
}

// BodyLimit is the most bytes a request body to path may have.
func BodyLimit(path string) int {
	for _, b := range bodyLimits {
		if matchRoute(b.pattern, path) {
			return b.limit
		}
	}
	return FormLimit
}

// matchRoute says whether path matches a route pattern whose ":name"
// segments match any one segment.
func matchRoute(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], ":") && ps[i] != xs[i] || xs[i] == "" && ps[i] != "" {
			return false
		}
	}
	return true
}

// limitBodies refuses a compressed request body (415: inflating it could
// turn a few kilobytes into gigabytes, and no browser compresses a form)
// and a body over its route's limit (413), before anything reads the body.
func limitBodies(c *fiber.Ctx) error {
	if ce := strings.TrimSpace(c.Get(fiber.HeaderContentEncoding)); ce != "" && !strings.EqualFold(ce, "identity") {
		return &PageError{Status: fiber.StatusUnsupportedMediaType, Heading: tr(c, "Compressed forms are not accepted"),
			Message: "This request was sent compressed (Content-Encoding: " + clip(ce, 40) + "). Please send it again without compression."}
	}
	limit := BodyLimit(c.Path())
	if u := UploadLimit(c.Path(), c.Get(fiber.HeaderContentType)); u > 0 {
		limit = u
	}
	// The length announced is the length read; asking for Body() would
	// rebuild a multipart body, pictures and all, in memory.
	n := c.Request().Header.ContentLength()
	if n < 0 {
		n = len(c.Request().Body())
	}
	if n > limit {
		return tooLarge()
	}
	return c.Next()
}

// tooLarge is the page of a body over its limit.
func tooLarge() error {
	return &PageError{Status: fiber.StatusRequestEntityTooLarge, Heading: "That was too much to send",
		Message: "What was sent is far larger than anything this form takes (a story holds up to 100,000 characters, a comment 10,000), so it was not read. Nothing was saved."}
}

// clip cuts s to n bytes at most, for quoting what a client sent.
func clip(s string, n int) string {
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}

// clientIPLocal holds the client's address as realIP found it.
const clientIPLocal = "client-ip"

// clientIP is the address of the client of the request, as found by realIP.
func clientIP(c *fiber.Ctx) string {
	if ip, ok := c.Locals(clientIPLocal).(string); ok {
		return ip
	}
	return c.IP()
}

// realIP finds the client's address: the peer's, unless the peer is one of
// the trusted proxies, in which case X-Forwarded-For is read from the right
// (each proxy appends the address it got the request from) and the first
// address that is not a trusted proxy is the client. Reading from the left,
// as Fiber's ProxyHeader does, would believe whatever a client wrote there.
func realIP(trusted []netip.Prefix) fiber.Handler {
	return func(c *fiber.Ctx) error {
		peer := c.IP()
		if !trusts(trusted, peer) {
			c.Locals(clientIPLocal, peer)
			return c.Next()
		}
		ip := peer
		hops := strings.Split(string(c.Request().Header.Peek(fiber.HeaderXForwardedFor)), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a garbled hop: trust nothing to its left
			}
			ip = a.Unmap().String()
			if !trusts(trusted, ip) {
				break
			}
		}
		c.Locals(clientIPLocal, ip)
		return c.Next()
	}
}

// trusts says whether the address ip is in one of the trusted ranges.
func trusts(trusted []netip.Prefix, ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(trusted, func(p netip.Prefix) bool { return p.Contains(a.Unmap()) })
}

// OwnRequestID drops the X-Request-Id a client sent, so that the ids in the
// log (and the one the 500 page asks visitors to quote) are the server's
// own; a trusted proxy's is kept when it looks like an id.
func OwnRequestID(trusted []netip.Prefix) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if id := c.Get(fiber.HeaderXRequestID); id != "" && (!trusts(trusted, c.IP()) || !requestIDPattern.MatchString(id)) {
			c.Request().Header.Del(fiber.HeaderXRequestID)
		}
		return c.Next()
	}
}

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// NewRequestID returns a random request id: 16 hex digits from crypto/rand.
// Fiber's default counts up from a seed, so that one id tells the next ones
// (and how busy the site is) to whoever is shown it on an error page.
func NewRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b)
}
