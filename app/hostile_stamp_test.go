package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// A person who waits MinFormTime after getting a comment form is never
// refused as too quick, wherever in a stamp step they got it, signed in or
// not; a refused form sent again at once is accepted. Only a form posted
// within MinFormTime of the start of its step is refused.
func TestQuickCommentsAtTheStepBoundaries(t *testing.T) {
	cs := newSite(t, withComments()) // 12:00:00, a step start
	path := "/stories/" + cs.story.Slug
	paul := cs.signIn(cs.readers[0])
	stampOf := func(body string) string {
		m := stampRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no stamp on the page")
		}
		return m[1]
	}
	// at moves the clock to 12:mm:ss + d from the test's start.
	at := func(d time.Duration) { cs.clock.add(siteStart.Add(d).Sub(cs.clock.now())) }
	send := func(v *visitor, stamp, body string) (*http.Response, string) {
		f := url.Values{"stamp": {stamp}, "body": {body}}
		if v.csrf == "" {
			f.Set("name", "Léa")
			f.Set("email", "lea@example.org")
		}
		return cs.do(v, http.MethodPost, path+"/comments", f)
	}
	for _, tt := range []struct {
		name      string
		v         *visitor
		got, sent time.Duration // from 12:00:00
		quick     bool
		wantStamp string // the seconds the page's stamp holds, when it matters
	}{
		{name: "guest, half a second into a step", v: guest(), got: 20500 * time.Millisecond, sent: 22500 * time.Millisecond},
		{name: "guest, at the end of a step", v: guest(), got: 49900 * time.Millisecond, sent: 51900 * time.Millisecond},
		{name: "guest, instant post at a step start", v: guest(), got: 80 * time.Second, sent: 81900 * time.Millisecond, quick: true},
		{name: "signed in, mid-step", v: paul, got: 107300 * time.Millisecond, sent: 109300 * time.Millisecond, wantStamp: "1772366507"},
		{name: "signed in, instant post", v: paul, got: 135 * time.Second, sent: 136 * time.Second, quick: true},
	} {
		at(tt.got)
		_, page := cs.get(tt.v, path)
		stamp := stampOf(page)
		if tt.wantStamp != "" && !strings.HasPrefix(stamp, tt.wantStamp+".") {
			t.Errorf("%s: a page got at %v has the stamp %s", tt.name, cs.clock.now().Format("15:04:05.0"), stamp)
		}
		at(tt.sent)
		body := "Commentaire : " + tt.name
		res, answer := send(tt.v, stamp, body)
		if !tt.quick {
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("%s: sent %v after the page: %d\n%.300s", tt.name, tt.sent-tt.got, res.StatusCode, answer)
			}
			continue
		}
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(answer, "That was quick") || !strings.Contains(answer, body) {
			t.Errorf("%s: an instant post: %d", tt.name, res.StatusCode)
			continue
		}
		if res, answer := send(tt.v, stampOf(answer), body); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: the refused form sent again at once: %d\n%.300s", tt.name, res.StatusCode, answer)
		}
	}
	if models.MinFormTime != 2*time.Second {
		t.Fatalf("the cases above assume a MinFormTime of 2 s, not %v", models.MinFormTime)
	}
}
