package app

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSafetyScreenshots takes, in headless Chromium at 1366 and 390
// pixels wide, the notice form, the admin's decision page and a story with
// a passage removed after a notice and a phone number masked. The PNGs
// land in DOLEANCES_SCREENSHOTS (docs/screenshots holds a set).
func TestSafetyScreenshots(t *testing.T) {
	chromium(t)
	slow(t)
	s := newSite(t, listening())
	m := regexp.MustCompile(`url=(http://\S+/setup/\S+)`).FindStringSubmatch(s.Log.String())
	if m == nil {
		t.Fatal("no setup link in the log")
	}
	admin := s.browser()
	admin.post(m[1], url.Values{"name": {"Marianne"}})
	csrf := admin.csrf()
	body := "I waited three weeks for the fibre technician. When I called the shop, the manager, Mr Dupont, is a crook who pockets the deposits.\n\n" +
		"Call me if it happened to you too: 06 12 34 56 78. My contract n° 40123456 was cancelled anyway."
	p := admin.post(s.URL+"/write", url.Values{"csrf": {csrf}, "title": {"Three weeks without internet"}, "body": {body},
		"company": {"Orange"}, "resolution": {"open"}, "action": {"publish"}})
	if p.Status != http.StatusOK || !strings.Contains(p.URL, "/stories/") {
		t.Fatalf("publish: %d %s", p.Status, p.URL)
	}
	story := p.URL
	p = s.browser().post(s.URL+"/notice", url.Values{"url": {story}, "reason": {"defamation"}, "name": {"Paul Dupont"},
		"email": {"paul@example.org"}, "good_faith": {"1"}, "explanation": {"I am the manager named in the story. I never took any deposit: this accuses me of a crime."}})
	if p.Status != http.StatusCreated {
		t.Fatalf("notice: %d", p.Status)
	}
	dir := screenshotDir(t)
	sizes := []struct {
		label string
		w     int
	}{{"desktop", 1366}, {"phone", 390}}
	browsers, widths := map[string]*cdp{}, map[string]int{"desktop": 1366, "phone": 390}
	shot := func(c *cdp, name, size string) {
		file := filepath.Join(dir, name+"-"+size+".png")
		c.screenshot(file)
		if w := checkPNG(t, file).Bounds().Dx(); w != widths[size] {
			t.Errorf("%s is %d pixels wide", file, w)
		}
	}
	for _, size := range sizes {
		c := chromiumPage(t, size.w, 900)
		// Chromium's window is at least 500 pixels wide: the phone's width is emulated.
		c.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": size.w, "height": 900, "deviceScaleFactor": 1, "mobile": size.w < 500}, nil)
		browsers[size.label] = c
		c.open(s.URL + "/notice?url=" + url.QueryEscape(story))
		c.eval(`document.querySelector('input[value=defamation]').checked = true;
			document.getElementById("explanation").value = "The story names me and says I steal deposits: that is false and accuses me of a crime.";
			document.getElementById("name").value = "Paul Dupont"; document.getElementById("email").value = "paul@example.org";
			document.querySelector('input[name=good_faith]').checked = true; true`)
		shot(c, "notice-form", size.label)

		c.call("Network.setCookie", map[string]any{"name": "doleances_session", "value": admin.cookie("doleances_session").Value, "url": s.URL}, nil)
		c.open(s.URL + "/admin/notices/1")
		c.eval(`document.querySelector('input[value=redact]').checked = true;
			document.getElementById("passage").value = "Mr Dupont, is a crook who pockets the deposits";
			document.getElementById("reasons").value = "The passage accuses a named person of a crime without any proof; the rest of the story is the author's experience and stays."; true`)
		shot(c, "notice-decision", size.label)
	}
	p = admin.post(s.URL+"/admin/notices/1/decide", url.Values{"csrf": {csrf}, "decision": {"redact"},
		"passage": {"Mr Dupont, is a crook who pockets the deposits"}, "reasons": {"An accusation of a crime without proof."}})
	if p.Status != http.StatusOK {
		t.Fatalf("decide: %d", p.Status)
	}
	for _, size := range sizes {
		c := browsers[size.label]
		c.open(story)
		var text string
		if err := json.Unmarshal(c.eval(`document.querySelector("main").innerText`), &text); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "[passage removed on") || !strings.Contains(text, "06 •• •• •• 78") || strings.Contains(text, "crook") {
			t.Errorf("the story is not redacted and masked: %.600s", text)
		}
		shot(c, "story-redacted", size.label)
	}
}
