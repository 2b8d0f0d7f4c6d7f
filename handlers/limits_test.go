package handlers

import (
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestBodyLimit(t *testing.T) {
	tests := map[string]int{
		"/write": StoryBodyLimit, "/preview": StoryBodyLimit, "/stories/a-b/edit": StoryBodyLimit,
		"/stories/x/updates": StoryBodyLimit, "/stories/x/comments": CommentLimit, "/comments/12/edit": CommentLimit,
		"/comments/12/delete": FormLimit, "/stories//comments": FormLimit, "/stories/x/comments/close": FormLimit,
		"/me": FormLimit, "/admin/categories": FormLimit, "/auth/github": FormLimit, "/": FormLimit,
	}
	for path, want := range tests {
		if got := BodyLimit(path); got != want {
			t.Errorf("BodyLimit(%q) = %d, want %d", path, got, want)
		}
	}
	if !(FormLimit < CommentLimit && CommentLimit < StoryBodyLimit && StoryBodyLimit < MaxBody) {
		t.Error("the limits are not in order: every route's must be under the server's")
	}
}

// The client address behind trusted proxies is the rightmost one that is
// not a trusted proxy; without trust, the peer's.
func TestRealIP(t *testing.T) {
	// app.Test's connections come from 0.0.0.0.
	tests := []struct {
		trusted []string
		xff     string
		want    string
	}{
		{nil, "203.0.113.1", "0.0.0.0"},
		{[]string{"10.0.0.0/8"}, "203.0.113.1", "0.0.0.0"},
		{[]string{"0.0.0.0/32"}, "203.0.113.1", "203.0.113.1"},
		{[]string{"0.0.0.0/32"}, "198.51.100.1, 203.0.113.1", "203.0.113.1"},
		{[]string{"0.0.0.0/32", "10.0.0.0/8"}, "198.51.100.1, 203.0.113.1, 10.2.3.4", "203.0.113.1"},
		{[]string{"0.0.0.0/32", "10.0.0.0/8"}, "10.9.9.9, 10.2.3.4", "10.9.9.9"},
		{[]string{"0.0.0.0/32"}, "", "0.0.0.0"},
		{[]string{"0.0.0.0/32"}, "garbage, 203.0.113.1", "203.0.113.1"},
		{[]string{"0.0.0.0/32", "10.0.0.0/8"}, "203.0.113.1, garbage, 10.2.3.4", "10.2.3.4"},
		{[]string{"0.0.0.0/32"}, "2001:db8::1", "2001:db8::1"},
	}
	for _, tt := range tests {
		var prefixes []netip.Prefix
		for _, p := range tt.trusted {
			prefixes = append(prefixes, netip.MustParsePrefix(p))
		}
		app := fiber.New()
		app.Use(realIP(prefixes))
		app.Get("/", func(c *fiber.Ctx) error { return c.SendString(clientIP(c)) })
		req := httptest.NewRequest("GET", "/", nil)
		if tt.xff != "" {
			req.Header.Set("X-Forwarded-For", tt.xff)
		}
		res, err := app.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 100)
		n, _ := res.Body.Read(buf)
		if got := string(buf[:n]); got != tt.want {
			t.Errorf("trusted %v, X-Forwarded-For %q: client %q, want %q", tt.trusted, tt.xff, got, tt.want)
		}
	}
}
