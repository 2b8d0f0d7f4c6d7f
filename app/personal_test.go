package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPersonalDataMasked: a story's phone number, IBAN and contract number
// are masked on its page and feed; the editor shows the writer the
// original with what will be masked, and the writer may show a false
// positive (the order number) but not the IBAN.
func TestPersonalDataMasked(t *testing.T) {
	ts := newSite(t)
	w := ts.writerAs("alice", "author")
	body := "Call 06 12 34 56 78. IBAN FR76 3000 6000 0112 3456 7890 189. Order n° 40123456."
	f := url.Values{"title": {"Phone"}, "body": {body}, "resolution": {"open"}, "action": {"preview"}}
	r := w.post(t, "/write", f)
	wantStatus(t, "preview", r, http.StatusOK)
	wantIn(t, "preview", r.Body, "06 •• •• •• 78", `name="show" value="40123456"`, "always masked:",
		`name="show" value="06 12 34 56 78"`)
	if strings.Contains(r.Body, `name="show" value="FR76`) {
		t.Error("the IBAN may be shown")
	}

	// Show the order number, and try to show the IBAN too: it stays masked.
	f["show"] = []string{"40123456", "FR76 3000 6000 0112 3456 7890 189"}
	f.Set("action", "publish")
	r = w.post(t, "/write", f)
	wantStatus(t, "publish", r, http.StatusSeeOther)
	_, page := ts.get(guest(), r.Location)
	wantIn(t, "the story", page, "06 •• •• •• 78", "n° 40123456", "FR76 •••• ••••")
	for _, secret := range []string{"12 34 56", "3000 6000"} {
		if strings.Contains(page, secret) {
			t.Errorf("the story page shows %q", secret)
		}
	}
	_, feed := ts.get(guest(), "/feed")
	if strings.Contains(feed, "12 34 56") {
		t.Error("the feed shows the phone number")
	}

	r = w.get(t, "/stories/"+publishedSlug(r.Location)+"/edit")
	wantStatus(t, "editor", r, http.StatusOK)
	wantIn(t, "editor", r.Body, body, `name="show" value="40123456" checked`)
	if strings.Contains(r.Body, `name="show" value="06 12 34 56 78" checked`) {
		t.Error("the phone number is shown without being chosen")
	}

	// The live preview follows the boxes ticked.
	r = w.post(t, "/preview", url.Values{"body": {body}, "show": {"06 12 34 56 78"}})
	wantStatus(t, "live preview", r, http.StatusOK)
	wantIn(t, "live preview", r.Body, "06 12 34 56 78", "n° ••••••56")
}
