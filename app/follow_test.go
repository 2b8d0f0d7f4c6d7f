package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestFollowDoubleOptInAndDigest: following a list by email sends only a
// confirmation; nothing comes before it is confirmed; then each new story
// comes at once, or in a daily digest for those who chose it.
func TestFollowDoubleOptInAndDigest(t *testing.T) {
	s, mb := startMailSite(t)
	admin := s.browser()
	publishByMail(t, s, mb, admin, "The first story") // makes the company "orange"

	fan, dig := s.browser(), s.browser()
	for _, f := range []struct {
		b    *browser
		path string
		form url.Values
	}{
		{fan, "/follow", url.Values{"email": {"Fan@Example.org"}}},
		{dig, "/company/orange/follow", url.Values{"email": {"dig@example.org"}, "digest": {"1"}}},
	} {
		p := f.b.post(s.URL+f.path, f.form)
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "Check your mail") {
			t.Fatalf("POST %s: %d\n%s", f.path, p.Status, p.Body)
		}
	}
	fanConfirm := mb.Wait(t, "fan@example.org", "Confirm your address")
	digConfirm := mb.Wait(t, "dig@example.org", "Confirm your address")
	publishByMail(t, s, mb, admin, "Before the confirmation")
	confirmByMail(t, s, fanConfirm)
	confirmByMail(t, s, digConfirm)
	publishByMail(t, s, mb, admin, "After the confirmation")
	m := mb.Wait(t, "fan@example.org", "New story: After the confirmation")
	if m.Head.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.Contains(m.Text(), "/stories/after-the-confirmation") {
		t.Errorf("the new-story mail:\n%s", m.Raw)
	}
	if count(mb, "fan@example.org", "Before the confirmation") != 0 {
		t.Error("a follower heard of a story published before they confirmed")
	}
	if count(mb, "dig@example.org", "New story") != 0 {
		t.Error("a digest follower got a mail for each story")
	}
	s.clock.add(25 * time.Hour)
	d := mb.Wait(t, "dig@example.org", "new on the stories about")
	if !strings.Contains(d.Text(), "After the confirmation") || strings.Contains(d.Text(), "Before the confirmation") ||
		d.Head.Get("List-Unsubscribe") == "" {
		t.Errorf("the digest:\n%s", d.Text())
	}
}

// TestFollowAbuse: strangers' addresses get a few confirmations a day at
// most, one IP address a few mail requests a minute, whatever is asked;
// bad addresses come back in the form.
func TestFollowAbuse(t *testing.T) {
	s, mb := startMailSite(t)
	b := s.browser()
	for i := 0; i < 12; i++ {
		if i%4 == 0 {
			s.clock.add(time.Minute) // under the per-IP rate
		}
		if p := b.post(s.URL+"/follow", url.Values{"email": {"stranger@example.org"}}); p.Status != http.StatusOK {
			t.Fatalf("follow %d: %d", i, p.Status)
		}
	}
	for i := 0; i < 5; i++ {
		b.post(s.URL+"/follow", url.Values{"email": {"other@example.org"}})
	}
	if p := b.post(s.URL+"/follow", url.Values{"email": {"sixth@example.org"}}); p.Status != http.StatusTooManyRequests || !strings.Contains(p.Body, `value="sixth@example.org"`) {
		t.Errorf("a sixth mail request in a minute: %d, want 429 with the address kept", p.Status)
	}
	waitFor(t, func() bool { return count(mb, "stranger@example.org", "Confirm") >= 3 })
	time.Sleep(300 * time.Millisecond)
	if n := count(mb, "stranger@example.org", ""); n != 3 {
		t.Errorf("%d mails to a stranger asked 12 times, want 3 confirmations", n)
	}
	p := b.post(s.URL+"/tag/nothing-here/follow", url.Values{"email": {"a@example.org"}})
	if p.Status != http.StatusNotFound {
		t.Errorf("following an unknown tag: %d", p.Status)
	}
	s.clock.add(time.Minute)
	p = b.post(s.URL+"/follow", url.Values{"email": {"not an address\r\nBcc: x@evil.example"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "not an address") {
		t.Errorf("a bad address: %d\n%s", p.Status, p.Body)
	}
}
