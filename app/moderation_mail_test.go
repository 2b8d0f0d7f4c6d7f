package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestModerationMailAndSwitches: a report reaches the admins, and the
// outbox shows admins what was sent but not the links in it; the switches
// on /me stop the mails of new comments; a signed-in reader's follow with
// their verified address needs no confirmation, shows on /me and ends there.
func TestModerationMailAndSwitches(t *testing.T) {
	s, mb := startMailSite(t)
	root := s.browser()
	path := publishByMail(t, s, mb, root, "Free lost my parcel")
	bob := s.browser()
	signInByEmail(t, s, mb, bob, "bob@example.org", "/")
	if p := bob.post(s.URL+path+"/report", url.Values{"reason": {"spam"}, "csrf": {bob.csrf()}}); p.Status != http.StatusOK {
		t.Fatalf("report: %d", p.Status)
	}
	mb.Wait(t, "root@example.org", "New report on “Free lost my parcel”")
	if p := root.get(s.URL + "/admin/outbox"); p.Status != http.StatusOK || !strings.Contains(p.Body, "bob@example.org") ||
		strings.Contains(p.Body, "/login/email/") {
		t.Errorf("/admin/outbox: %d; it must list the mails sent over SMTP without their links", p.Status)
	}

	if p := root.post(s.URL+"/me/mail", url.Values{"csrf": {root.csrf()}}); p.Status != http.StatusOK {
		t.Fatalf("POST /me/mail: %d", p.Status)
	}
	if me := root.get(s.URL + "/me").Body; strings.Contains(me, `name="comments" value="1" checked`) {
		t.Error("/me still shows the comment mails on")
	}
	p := bob.post(s.URL+path+"/follow", url.Values{"csrf": {bob.csrf()}})
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "You follow the comments on") {
		t.Fatalf("a signed-in follow with the verified address: %d\n%s", p.Status, p.Body)
	}
	fan := s.browser()
	fan.post(s.URL+path+"/follow", url.Values{"email": {"fan@example.org"}})
	confirmByMail(t, s, mb.Wait(t, "fan@example.org", "Confirm"))
	postComment(t, s, bob, path, url.Values{"body": {"Mine too."}})
	mb.Wait(t, "fan@example.org", "Reader commented on")
	if n := count(mb, "root@example.org", "commented on"); n != 0 {
		t.Errorf("%d comment mails to an author who switched them off", n)
	}
	if n := count(mb, "bob@example.org", "commented on"); n != 0 {
		t.Error("a follower heard of their own comment")
	}
	me := bob.get(s.URL + "/me").Body
	if !strings.Contains(me, "the comments on Free lost my parcel") {
		t.Fatalf("/me does not list the follow:\n%s", me)
	}
	m := regexp.MustCompile(`action="(/me/follows/\d+/delete)"`).FindStringSubmatch(me)
	if m == nil {
		t.Fatal("no way to end the follow on /me")
	}
	bob.post(s.URL+m[1], url.Values{"csrf": {bob.csrf()}})
	if strings.Contains(bob.get(s.URL+"/me").Body, "the comments on Free lost my parcel") {
		t.Error("the follow is still listed after ending it")
	}
}
