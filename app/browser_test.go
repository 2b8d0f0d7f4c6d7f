package app

import (
	"bytes"
	"encoding/json"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doleances/models"

	"doleances/app/demo"
)

// chromium finds Debian's Chromium. Without it the browser tests skip,
// except under CI, where .ci/run installs it and its absence is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	slow(t)
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; .ci/run installs it")
	}
	t.Skip("chromium not installed")
	return ""
}

// dumpDOM loads url in a page of its own, as chromium --dump-dom did, and
// returns the document Chromium built, as HTML.
func dumpDOM(t *testing.T, url string) []byte {
	t.Helper()
	c := newPage(t)
	defer c.close()
	c.load(url)
	var html string
	if err := json.Unmarshal(c.eval(`(document.doctype ? new XMLSerializer().serializeToString(document.doctype) + "\n" : "") +
		document.documentElement.outerHTML`), &html); err != nil {
		t.Fatal(err)
	}
	return []byte(html)
}

// screenshotAt loads url in a page of its own, w×h pixels, and saves what
// it shows as a PNG file, as chromium --screenshot --window-size=w,h did.
func screenshotAt(t *testing.T, url, file string, w, h int) {
	t.Helper()
	c := chromiumPage(t, w, h)
	defer c.close()
	c.load(url)
	c.screenshotViewport(file)
}

// load navigates a blank page and waits for the load event, as
// Chromium's --dump-dom and --screenshot do (redirects followed), as long
// as they were given (a minute).
func (c *cdp) load(url string) {
	c.t.Helper()
	var nav struct{ ErrorText string }
	c.call("Page.navigate", map[string]any{"url": url}, &nav)
	if nav.ErrorText != "" {
		c.t.Fatalf("chromium %s: %s", url, nav.ErrorText)
	}
	c.waitUntil(url, `location.href !== "about:blank" && document.readyState === "complete"`, time.Minute)
}

// TestScreenshots renders the front page and a story page at desktop and
// phone widths in headless Chromium. The PNGs land in DOLEANCES_SCREENSHOTS
// (or a temporary folder) for a person to look at; the test checks that
// they are real pages, not blank ones, and that the DOM Chromium built
// holds the content.
func TestScreenshots(t *testing.T) {
	slow(t)
	chromium(t)
	base, stop := startRun(t, "-data", t.TempDir())
	defer stop()
	dir := screenshotDir(t)
	story := demo.Stories[0]
	pages := map[string]string{"front": "/", "story": "/stories/" + models.Slugify(story.Title)}
	for name, path := range pages {
		dom := dumpDOM(t, base+path)
		if !bytes.Contains(dom, []byte("Doléances")) || !bytes.Contains(dom, []byte(`class="sidebar"`)) {
			t.Errorf("%s: the DOM lacks the layout", name)
		}
		for _, size := range []struct {
			label string
			w, h  int
		}{{"desktop", 1280, 1800}, {"phone", 390, 1600}} {
			file := filepath.Join(dir, name+"-"+size.label+".png")
			screenshotAt(t, base+path, file, size.w, size.h)
			checkScreenshot(t, file, size.w, size.h)
		}
	}
	if !strings.Contains(string(dumpDOM(t, base+pages["story"])), "<table>") {
		t.Error("story DOM lacks the rendered table")
	}
}

// screenshotDir is where screenshots go: DOLEANCES_SCREENSHOTS, created if
// missing, or a temporary folder.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("DOLEANCES_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func checkScreenshot(t *testing.T, file string, w, h int) {
	t.Helper()
	if b := checkPNG(t, file).Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s is %v, want %dx%d", file, b, w, h)
	}
}

// colours counts the distinct colours on a sparse grid of the image.
func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

// TestFrenchScreenshots renders the front page and a story page of a
// French site (-lang fr) at desktop and phone widths; docs/screenshots
// holds a set (DOLEANCES_SCREENSHOTS=docs/screenshots go test ./app -run
// FrenchScreenshots). The story is the demo's, written in English: its
// text says so with its own lang attribute.
func TestFrenchScreenshots(t *testing.T) {
	slow(t)
	chromium(t)
	base, stop := startRun(t, "-data", t.TempDir(), "-lang", "fr")
	defer stop()
	dir := screenshotDir(t)
	story := "/stories/" + models.Slugify(demo.Stories[0].Title)
	for name, path := range map[string]string{"front-fr": "/?lang=fr", "story-fr": story + "?lang=fr"} {
		dom := string(dumpDOM(t, base+path))
		for _, want := range []string{`<html lang="fr">`, "Derniers récits", "Catégories"} {
			if !strings.Contains(dom, want) {
				t.Errorf("%s: the DOM lacks %q", name, want)
			}
		}
		for _, size := range []struct {
			label string
			w, h  int
		}{{"desktop", 1280, 1800}, {"phone", 390, 1600}} {
			file := filepath.Join(dir, name+"-"+size.label+".png")
			screenshotAt(t, base+path, file, size.w, size.h)
			checkScreenshot(t, file, size.w, size.h)
		}
	}
}
