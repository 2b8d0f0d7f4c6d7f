package app

import (
	"image"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWriteInChromium signs in through a local fake GitHub in headless
// Chromium, writes a story with the live preview showing the server's
// rendering, publishes it and finds it on the front page. (The first admin,
// made with the setup link, creates the categories beforehand.) Screenshots of the editor and
// of /admin land in DOLEANCES_SCREENSHOTS (or a temporary folder).
func TestWriteInChromium(t *testing.T) {
	slow(t)
	chromium(t)
	gh := newFakeProvider(t, "github", ada)
	s := newSite(t, listening(), withConfig(all(withGitHub(gh), func(c *Config) { c.AdminEmails = ada.Email })))
	m := regexp.MustCompile(`url=(http://\S+/setup/\S+)`).FindStringSubmatch(s.Log.String())
	if m == nil {
		t.Fatal("no setup link in the log")
	}
	b := s.browser()
	b.post(m[1], url.Values{"name": {"Marianne"}})
	if b.cookie("doleances_session") == nil {
		t.Fatal("setup did not sign in")
	}
	csrf := b.csrf()
	for _, name := range []string{"Telecom & internet", "Banks", "Housing"} {
		b.post(s.URL+"/admin/categories", url.Values{"csrf": {csrf}, "name": {name}})
	}
	dir := screenshotDir(t)

	c := chromiumPage(t, 1280, 1400)
	c.open(s.URL + "/login?next=/write")
	c.eval(`document.querySelector('a[href^="/auth/github"]').click(); true`)
	c.waitFor("the editor after signing in with GitHub", `location.pathname === "/write" && document.getElementById("body") !== null`)
	c.eval(`document.getElementById("title").value = "The router that never came"; true`)
	c.eval(`document.getElementById("company").value = "Orange"; document.getElementById("city").value = "Lyon";
		document.querySelector('input[name=categories]').checked = true; true`)
	c.eval(`var b = document.getElementById("body");
		b.value = "## Day one\n\nI ordered **fibre** in March.\n\n- called 4 times\n- [a link](javascript:alert(1))\n\n> We will call you back.";
		b.dispatchEvent(new Event("input")); true`)
	c.waitFor("the live preview", `document.querySelector("#preview strong") && document.querySelector("#preview h2")`)
	if html := string(c.eval(`document.getElementById("preview").innerHTML`)); strings.Contains(html, "javascript:") {
		t.Errorf("the live preview shows a javascript: link: %s", html)
	}
	editor := filepath.Join(dir, "editor-desktop.png")
	c.screenshot(editor)
	checkPNG(t, editor)

	c.eval(`document.querySelector('button[value=publish]').click(); true`)
	c.waitFor("the published story", `location.pathname === "/stories/the-router-that-never-came" && document.readyState === "complete"`)
	if p := s.browser().get(s.URL + "/"); !strings.Contains(p.Body, "The router that never came") {
		t.Error("the published story is not on the front page")
	}

	c.open(s.URL + "/admin")
	admin := filepath.Join(dir, "admin-desktop.png")
	c.screenshot(admin)
	checkPNG(t, admin)
}

// checkPNG decodes a screenshot and fails on a blank or unstyled page.
func checkPNG(t *testing.T, file string) image.Image {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if n := colours(img); n < 50 {
		t.Errorf("%s has %d colours: a blank or unstyled page", file, n)
	}
	return img
}
