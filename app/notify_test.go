package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"doleances/app/mail/mailtest"
)

var (
	heldIDRe = regexp.MustCompile(`name="ids" value="(\d+)"`)
)

// publishByMail signs in the admin by email (once per browser) and
// publishes a story, returning its path.
func publishByMail(t *testing.T, s *testSite, mb *mailtest.Server, admin *browser, title string) string {
	t.Helper()
	if admin.signedInAs() == "" {
		signInByEmail(t, s, mb, admin, "root@example.org", "/")
	}
	s.clock.add(time.Second) // the test clock stands still: this story comes after what came before
	f := storyForm(title, "They cut the line for three weeks.", "publish")
	f.Set("csrf", admin.csrf())
	p := admin.post(s.URL+"/write", f)
	u, _ := url.Parse(p.URL)
	if p.Status != http.StatusOK || !strings.HasPrefix(u.Path, "/stories/") {
		t.Fatalf("publish: %d at %s\n%.500s", p.Status, p.URL, p.Body)
	}
	return u.Path
}

// postComment posts a comment on the story at path, as the form of the page
// would, two seconds after it was shown; csrf is sent when b is signed in.
func postComment(t *testing.T, s *testSite, b *browser, path string, f url.Values) page {
	t.Helper()
	story := b.get(s.URL + path)
	m := stampRe.FindStringSubmatch(story.Body)
	if m == nil {
		t.Fatalf("no comment form on %s", path)
	}
	f.Set("stamp", m[1])
	if c := csrfRe.FindStringSubmatch(story.Body); c != nil {
		f.Set("csrf", c[1])
	}
	s.clock.add(16 * time.Second) // past the 2-second rule and the 15-second flood rule
	p := b.post(s.URL+path+"/comments", f)
	if p.Status != http.StatusOK {
		t.Fatalf("comment: %d\n%.800s", p.Status, p.Body)
	}
	return p
}

// confirmByMail opens the confirmation link of the last confirmation mail
// to addr and presses its button.
func confirmByMail(t *testing.T, s *testSite, m mailtest.Message) {
	t.Helper()
	link := linkIn(t, s, m, "/email/confirm/")
	b := s.browser()
	if p := b.get(link); p.Status != http.StatusOK || !strings.Contains(p.Body, ">Confirm</button>") {
		t.Fatalf("confirmation link: %d\n%s", p.Status, p.Body)
	}
	if p := b.post(link, url.Values{}); p.Status != http.StatusOK || !strings.Contains(p.Body, "is confirmed") {
		t.Fatalf("confirming: %d\n%s", p.Status, p.Body)
	}
	if p := b.post(link, url.Values{}); p.Status != http.StatusNotFound || !strings.Contains(p.Body, "no longer works") {
		t.Errorf("a replayed confirmation link: %d", p.Status)
	}
}

// count is the number of mails received to rcpt whose subject holds subject.
func count(mb *mailtest.Server, rcpt, subject string) int {
	n := 0
	for _, m := range mb.Messages() {
		if strings.Contains(m.Subject(), subject) && strings.EqualFold(strings.Join(m.To, ","), rcpt) {
			n++
		}
	}
	return n
}

// TestReplyNotificationsConfirmationAndUnsubscribe: a guest who asks for
// replies gets a confirmation first and nothing else until they confirm;
// then each reply, with a one-click unsubscribe that works without signing
// in; the story's author hears of every comment, and of the held one as a
// moderator.
func TestReplyNotificationsConfirmationAndUnsubscribe(t *testing.T) {
	s, mb := startMailSite(t)
	admin := s.browser()
	path := publishByMail(t, s, mb, admin, "Orange cut my line")

	claire := s.browser()
	postComment(t, s, claire, path, url.Values{"name": {"Claire\r\nBcc: spy@evil.example"}, "email": {"claire@example.org"},
		"body": {"Same here, three months."}, "notify": {"1"}})
	confirm := mb.Wait(t, "claire@example.org", "Confirm your address")
	held := mb.Wait(t, "root@example.org", "held for moderation")
	if held.Head.Get("List-Unsubscribe") == "" || held.Head.Get("Bcc") != "" {
		t.Errorf("the moderation mail: List-Unsubscribe %q, Bcc %q", held.Head.Get("List-Unsubscribe"), held.Head.Get("Bcc"))
	}
	m := heldIDRe.FindStringSubmatch(admin.get(s.URL + "/admin/comments").Body)
	if m == nil {
		t.Fatal("no held comment on /admin/comments")
	}
	parent := m[1]
	if p := admin.post(s.URL+"/admin/comments", url.Values{"ids": {parent}, "action": {"approve"}, "status": {"pending"}, "csrf": {admin.csrf()}}); p.Status != http.StatusOK {
		t.Fatalf("approve: %d", p.Status)
	}
	mb.Wait(t, "root@example.org", "Claire Bcc: spy@evil.example commented on")

	bob := s.browser()
	signInByEmail(t, s, mb, bob, "bob@example.org", path)
	postComment(t, s, bob, path, url.Values{"body": {"Before the confirmation."}, "parent": {parent}})
	mb.Wait(t, "root@example.org", "Reader commented on")
	confirmByMail(t, s, confirm)
	postComment(t, s, bob, path, url.Values{"body": {"After the confirmation."}, "parent": {parent}})
	reply := mb.Wait(t, "claire@example.org", "replied to your comment")
	if n := count(mb, "claire@example.org", "replied"); n != 1 || !strings.Contains(reply.Text(), "After the confirmation.") {
		t.Errorf("%d reply mails to the guest (want only the one after confirming):\n%s", n, reply.Text())
	}
	unsub := strings.Trim(reply.Head.Get("List-Unsubscribe"), "<>")
	if !strings.HasPrefix(unsub, s.URL+"/unsubscribe/") || reply.Head.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("List-Unsubscribe %q, List-Unsubscribe-Post %q", unsub, reply.Head.Get("List-Unsubscribe-Post"))
	}
	// A GET shows a button and changes nothing; the one-click POST of a
	// mail program (no cookie, no Origin) unsubscribes.
	if p := s.browser().get(unsub); p.Status != http.StatusOK || !strings.Contains(p.Body, ">Unsubscribe</button>") {
		t.Errorf("GET of the unsubscribe link: %d", p.Status)
	}
	req, _ := http.NewRequest(http.MethodPost, unsub, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if p := s.browser().do(req); p.Status != http.StatusOK || !strings.Contains(p.Body, "Unsubscribed") {
		t.Fatalf("one-click unsubscribe: %d", p.Status)
	}
	if p := s.browser().post(unsub[:len(unsub)-3]+"xyz", url.Values{}); p.Status != http.StatusNotFound {
		t.Errorf("a forged unsubscribe link: %d", p.Status)
	}
	postComment(t, s, bob, path, url.Values{"body": {"After the unsubscribe."}, "parent": {parent}})
	mb.Wait(t, "root@example.org", "Reader commented on")
	waitFor(t, func() bool { return count(mb, "root@example.org", "commented on") == 4 })
	if n := count(mb, "claire@example.org", "replied"); n != 1 {
		t.Errorf("%d reply mails after unsubscribing, want still 1", n)
	}
	for _, m := range mb.Messages() {
		if !strings.EqualFold(strings.Join(m.To, ","), "claire@example.org") && strings.Contains(m.Raw, "claire@example.org") {
			t.Errorf("a mail to %v shows the guest's address", m.To)
		}
	}
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met in 10 s")
}
