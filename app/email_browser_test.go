package app

import (
	"strings"
	"testing"
	"time"
)

// TestEmailSignInAndCommentInChromium: in headless Chromium, a reader asks
// for a sign-in link on /login, opens the mailed link, presses its button,
// lands back on the story and comments, asking for replies by email.
func TestEmailSignInAndCommentInChromium(t *testing.T) {
	chromium(t)
	s, mb := startMailSite(t)
	path := publishByMail(t, s, mb, s.browser(), "The parcel that never came")

	c := chromiumPage(t, 1280, 1400)
	c.open(s.URL + "/login?next=" + path)
	c.eval(`document.getElementById("login-email").value = "reader@example.org";
		document.querySelector('form[action="/login/email"] button').click(); true`)
	c.waitFor("the check-your-mail page", `document.body && document.body.innerText.includes("Check your mail")`)
	link := linkIn(t, s, mb.Wait(t, "reader@example.org", "sign-in link"), "/login/email/")
	c.open(link)
	c.eval(`document.querySelector('form[action^="/login/email/"] button').click(); true`)
	c.waitFor("the story after signing in", `location.pathname === `+jsString(path)+` && document.getElementById("c-body") !== null`)
	s.clock.add(12 * time.Second) // the form refuses posts sent under 2 seconds after its stamp (rounded up to 10 s)
	c.eval(`document.getElementById("c-body").value = "Same parcel, same story.";
		document.querySelector('input[name=notify]').checked = true;
		document.querySelector('.comment-form button[type=submit]').click(); true`)
	c.waitFor("the comment on the page", `document.body && document.querySelector(".comment") && document.body.innerText.includes("Same parcel, same story.")`)
	m := mb.Wait(t, "root@example.org", "commented on “The parcel that never came”")
	if !strings.Contains(m.Text(), "Same parcel, same story.") {
		t.Errorf("the author's mail:\n%s", m.Text())
	}
}
