package models

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestFlood(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "Box", time.Time{})
	rita, sam := newUser(t, s, "rita", RoleReader), newUser(t, s, "sam", RoleReader)
	post := func(p CommentPost) error { _, _, err := s.PostComment(ctx, p); return err }
	tooSoon := func(name string, err error, want time.Duration) {
		t.Helper()
		var ts *TooSoonError
		if !errors.Is(err, ErrTooSoon) || !errors.As(err, &ts) || ts.Wait != want {
			t.Errorf("%s: %v, want to wait %v", name, err, want)
		}
	}
	if err := post(userPost(st.ID, rita, "one")); err != nil {
		t.Fatal(err)
	}
	clock.Add(5 * time.Second)
	tooSoon("same user 5 s later", post(userPost(st.ID, rita, "two")), 10*time.Second)
	clock.Add(9*time.Second + 500*time.Millisecond)
	tooSoon("same user 14.5 s later", post(userPost(st.ID, rita, "two")), time.Second)
	if err := post(userPost(st.ID, sam, "another user, same IP")); err != nil {
		t.Errorf("another user: %v", err)
	}
	if err := post(guestPost(st.ID, "10.0.0.1", "g@example.com", "a guest on that IP")); err != nil {
		t.Errorf("guest on a user's IP: %v", err)
	}
	clock.Add(time.Second)
	if err := post(userPost(st.ID, rita, "two")); err != nil {
		t.Errorf("same user 15.5 s later: %v", err)
	}
	tooSoon("guest, same IP", post(guestPost(st.ID, "10.0.0.1", "h@example.com", "x")), 14*time.Second)
	if err := post(guestPost(st.ID, "10.0.0.2", "g@example.com", "other IP")); err != nil {
		t.Errorf("guest on another IP: %v", err)
	}
	// A refused comment does not count: after the wait the guest may post.
	clock.Add(14 * time.Second)
	if err := post(guestPost(st.ID, "10.0.0.1", "h@example.com", "x")); err != nil {
		t.Errorf("guest after the wait: %v", err)
	}
	if err := post(CommentPost{StoryID: st.ID, Name: "G", Email: "g@example.com", Body: "no IP"}); err == nil {
		t.Error("a guest comment without IP was accepted")
	}
}

func TestCheckFormTiming(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]error{
		0: ErrFormTooFast, 1900 * time.Millisecond: ErrFormTooFast, -time.Hour: ErrFormTooFast,
		MinFormTime: nil, time.Hour: nil,
	} {
		if err := CheckFormTiming(at, at.Add(d)); err != want {
			t.Errorf("posted after %v: %v, want %v", d, err, want)
		}
	}
}

var (
	htmlTag   = regexp.MustCompile(`<[a-z][^>]*>`)
	activeTag = regexp.MustCompile(`^<(script|iframe|img|object|embed|style)|\son[a-z]+=|javascript:|data:`)
)

func TestHostileCommentsRenderInert(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := newUser(t, s, "rita", RoleReader)
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "Box", time.Time{})
	for _, body := range []string{
		"<script>alert(1)</script>",
		"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) <javascript:alert(1)>",
		"[d](data:text/html;base64,PHNjcmlwdD4=)",
		`<img src=x onerror="alert(1)">`,
		`<iframe src="https://evil.example"></iframe>`,
		"![i](https://x.example/a.png\" onerror=\"alert(1))",
	} {
		clock.Add(FloodInterval)
		c, _, err := s.PostComment(ctx, userPost(st.ID, u, body))
		if ve := (*ValidationError)(nil); errors.As(err, &ve) && ve.Fields["body"] != "" && strings.HasPrefix(body, "<") {
			continue // raw HTML alone renders to nothing: refused as empty, which is inert too
		}
		if err != nil {
			t.Errorf("%q: %v", body, err)
			continue
		}
		// Text may mention anything; no tag may be active.
		for _, tag := range htmlTag.FindAllString(strings.ToLower(c.HTML), -1) {
			if activeTag.MatchString(tag) {
				t.Errorf("%q renders the tag %s", body, tag)
			}
		}
	}
}

// A guest rotating through the addresses of one IPv6 /64 is one poster for
// the flood rule; another /64 is another poster.
func TestFloodCountsIPv6Networks(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "Box", time.Time{})
	post := func(ip string) error {
		_, _, err := s.PostComment(ctx, guestPost(st.ID, ip, "g@example.com", "from "+ip))
		return err
	}
	if err := post("2001:db8:1:2::1"); err != nil {
		t.Fatal(err)
	}
	clock.Add(5 * time.Second)
	if err := post("2001:db8:1:2:aaaa:bbbb:cccc:dddd"); !errors.Is(err, ErrTooSoon) {
		t.Errorf("another address of the same /64: %v, want too soon", err)
	}
	if err := post("2001:db8:1:3::1"); err != nil {
		t.Errorf("another /64: %v", err)
	}
	for ip, want := range map[string]string{"2001:db8:1:2::1": "2001:db8:1:2::/64", "::ffff:192.0.2.1": "192.0.2.1",
		"192.0.2.1": "192.0.2.1", "fe80::1%eth0": "fe80::/64", "pipe": "pipe"} {
		if got := AddressKey(ip); got != want {
			t.Errorf("AddressKey(%q) = %q, want %q", ip, got, want)
		}
	}
}
