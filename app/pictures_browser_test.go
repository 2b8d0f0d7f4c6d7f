package app

import (
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPicturesInChromium pastes a picture into the editor as a person does
// (the script sends it to /media and inserts its Markdown at the cursor),
// publishes, and checks that the story's picture loads with its srcset. It
// then takes the demo's story with a cover and a photo at desktop (1366)
// and phone (390) widths: the screenshots in docs/screenshots come from here
// (DOLEANCES_SCREENSHOTS=docs/screenshots go test ./app -run PicturesInChromium).
func TestPicturesInChromium(t *testing.T) {
	chromium(t)
	s := newSite(t, listening(), withConfig(func(c *Config) { c.Demo = true }))
	m := regexp.MustCompile(`url=(http://\S+/setup/\S+)`).FindStringSubmatch(s.Log.String())
	if m == nil {
		t.Fatal("no setup link in the log")
	}
	b := s.browser()
	b.post(m[1], url.Values{"name": {"Marianne"}})
	session := b.cookie("doleances_session")
	if session == nil {
		t.Fatal("setup did not sign in")
	}
	c := chromiumPage(t, 1366, 1000)
	c.call("Network.setCookie", map[string]any{"name": session.Name, "value": session.Value, "url": s.URL, "httpOnly": true}, nil)
	c.open(s.URL + "/write")
	c.eval(`document.getElementById("title").value = "The letter they never received"; true`)
	c.eval(`var b = document.getElementById("body"); b.value = "I sent it on Monday.\n\nThey say it never came."; b.setSelectionRange(20, 20);
		document.getElementById("picture_alt").value = "The receipt of the registered letter"; true`)
	c.eval(`new Promise(function (done) {
		var cv = document.createElement("canvas"); cv.width = 1200; cv.height = 800;
		var g = cv.getContext("2d"); g.fillStyle = "#c33"; g.fillRect(0, 0, 1200, 800); g.fillStyle = "#fff"; g.fillRect(200, 200, 800, 400);
		cv.toBlob(function (blob) {
			var dt = new DataTransfer(); dt.items.add(new File([blob], "receipt.png", {type: "image/png"}));
			document.getElementById("body").dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
			done(true);
		}, "image/png");
	})`)
	c.waitFor("the pasted picture's Markdown", `/I sent it on Monday\.\n\n!\[The receipt of the registered letter\]\(\/media\/[0-9a-f]{32}\/1200x800\.jpg\)\n\nThey say/.test(document.getElementById("body").value)`)
	c.waitFor("the live preview's picture", `document.querySelector("#preview img[srcset]") && document.querySelector("#preview img").complete && document.querySelector("#preview img").naturalWidth > 0`)
	c.eval(`document.querySelector('button[value=publish]').click(); true`)
	c.waitFor("the published story", `location.pathname === "/stories/the-letter-they-never-received" && document.readyState === "complete"`)
	c.waitFor("the story's picture loaded", `(function (i) { return i && i.complete && i.naturalWidth > 0 && /480w/.test(i.srcset); })(document.querySelector(".prose img"))`)

	dir := screenshotDir(t)
	story := s.URL + "/stories/resilier-chez-orange-a-three-month-saga"
	for _, v := range []struct {
		name string
		w, h int
	}{{"story-pictures-desktop.png", 1366, 1500}, {"story-pictures-phone.png", 390, 1600}} {
		c := chromiumPage(t, v.w, v.h)
		c.open(story)
		c.waitFor("the cover", `(function (i) { return i && i.complete && i.naturalWidth > 0; })(document.querySelector(".cover img"))`)
		if got := string(c.eval(`document.querySelector(".cover img").currentSrc`)); !strings.Contains(got, "/media/") {
			t.Errorf("%s: the cover's source is %s", v.name, got)
		}
		c.eval(`document.querySelector(".prose img").loading = "eager"; true`)
		c.waitFor("the photo in the text", `(function (i) { return i.complete && i.naturalWidth > 0; })(document.querySelector(".prose img"))`)
		file := filepath.Join(dir, v.name)
		c.screenshotViewport(file)
		checkPNG(t, file)
	}
}
