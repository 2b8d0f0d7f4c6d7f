package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// writerChromium opens a Chromium window of w×h signed in as u on s.
func writerChromium(t *testing.T, s *testSite, u *models.User, w, h int) *cdp {
	t.Helper()
	v := s.signIn(u)
	c := chromiumPage(t, w, h)
	c.call("Network.setCookie", map[string]any{"name": "doleances_session", "value": v.cookies["doleances_session"], "url": s.URL, "httpOnly": true}, nil)
	return c
}

// press sends a key as the keyboard does (keyDown then keyUp), with
// modifiers as CDP counts them (2: Ctrl, 4: Meta).
func (c *cdp) press(key, code string, keyCode, modifiers int) {
	c.t.Helper()
	down := map[string]any{"type": "rawKeyDown", "key": key, "code": code, "windowsVirtualKeyCode": keyCode, "modifiers": modifiers}
	if key == "Enter" {
		down["type"], down["text"] = "keyDown", "\r" // a key that types something: Enter presses a focused button
	}
	c.call("Input.dispatchKeyEvent", down, nil)
	c.call("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": keyCode, "modifiers": modifiers}, nil)
}

// writingSite is a listening site on the real clock (a stopped one would
// renew sessions with cookies that Chromium takes as expired), with an
// author and a category.
func writingSite(t *testing.T) (*testSite, *models.User) {
	t.Helper()
	s := newSite(t, listening())
	u := s.newUser("margot", "Margot Lefèvre", models.RoleAuthor)
	check(t, s.store.CreateCategory(context.Background(), &models.Category{Name: "Telecom", Position: 1}))
	return s, u
}

// TestEditorLayoutInChromium: at 1366 px the editor has no sidebar, a
// monospace text box and the preview beside it; the toolbar's buttons and
// the Ctrl+B / Ctrl+I shortcuts format the selection; at 390 px Write and
// Preview are tabs.
func TestEditorLayoutInChromium(t *testing.T) {
	slow(t)
	s, author := writingSite(t)
	c := writerChromium(t, s, author, 1366, 1000)
	c.open(s.URL + "/write")
	if got := string(c.eval(`document.querySelector(".sidebar") === null`)); got != "true" {
		t.Error("the editor still shows the sidebar")
	}
	if got := string(c.eval(`getComputedStyle(document.getElementById("body")).fontFamily`)); !strings.Contains(got, "monospace") {
		t.Errorf("the text box's font is %s, want a monospace one", got)
	}
	if got := string(c.eval(`(function (b, p) { return b.width > 550 && p.left >= b.right && Math.abs(p.top - b.top) < 120; })(
		document.getElementById("body").getBoundingClientRect(), document.getElementById("preview-pane").getBoundingClientRect())`)); got != "true" {
		t.Errorf("text and preview are not side by side and wide: %s", c.eval(`JSON.stringify([document.getElementById("body").getBoundingClientRect(), document.getElementById("preview-pane").getBoundingClientRect()])`))
	}
	if got := string(c.eval(`!document.querySelector(".md-toolbar").hidden && document.querySelector(".md-help").hidden`)); got != "true" {
		t.Error("with JavaScript the toolbar should replace the Markdown help")
	}
	c.eval(`var b = document.getElementById("body"); b.value = "the word and more"; b.focus(); b.setSelectionRange(4, 8); true`)
	c.press("b", "KeyB", 66, 2)
	if got := string(c.eval(`document.getElementById("body").value`)); got != `"the **word** and more"` {
		t.Errorf("Ctrl+B gave %s", got)
	}
	c.eval(`document.getElementById("body").setSelectionRange(17, 21); true`)
	c.press("i", "KeyI", 73, 4) // Cmd+I, as on a Mac
	if got := string(c.eval(`document.getElementById("body").value`)); got != `"the **word** and _more_"` {
		t.Errorf("Cmd+I gave %s", got)
	}
	// The toolbar works from the keyboard: a focused button and Enter.
	c.eval(`var b = document.getElementById("body"); b.setSelectionRange(0, 0); document.querySelector('[data-md=heading]').focus(); true`)
	c.press("Enter", "Enter", 13, 0)
	if got := string(c.eval(`document.getElementById("body").value`)); got != `"## the **word** and _more_"` {
		t.Errorf("the heading button gave %s", got)
	}
	c.waitFor("the live preview of the heading", `document.querySelector("#preview h2 strong")`)

	p := writerChromium(t, s, author, 390, 900)
	p.open(s.URL + "/write")
	if got := string(p.eval(`(function (t, pv, b) { return t.offsetHeight > 0 && pv.offsetHeight === 0 && b.offsetHeight > 0; })(
		document.querySelector(".editor-tabs"), document.getElementById("preview-pane"), document.getElementById("body"))`)); got != "true" {
		t.Fatal("at 390 px the editor should show the Write tab, the preview hidden")
	}
	p.eval(`document.getElementById("tab-preview").click(); true`)
	if got := string(p.eval(`document.getElementById("preview-pane").offsetHeight > 0 && document.getElementById("body").offsetHeight === 0 &&
		document.getElementById("tab-preview").getAttribute("aria-selected")`)); got != `"true"` {
		t.Errorf("the Preview tab does not show the preview: %s", got)
	}
}

// TestEditorWithoutJavaScript: the toolbar is hidden in the HTML and the
// Markdown help is there, so a browser without JavaScript keeps a working
// form with its help.
func TestEditorWithoutJavaScript(t *testing.T) {
	s := newSite(t, withStories())
	_, body := s.get(s.signIn(s.author), "/write")
	for _, want := range []string{`class="md-toolbar" role="toolbar" aria-label="Formatting" aria-controls="body" hidden`,
		`class="help md-help">(Markdown: **bold**`, `class="editor-tabs" role="tablist" aria-label="Editor" hidden`} {
		if !strings.Contains(body, want) {
			t.Errorf("/write lacks %s", want)
		}
	}
	if strings.Contains(body, `class="sidebar"`) {
		t.Error("/write shows the sidebar")
	}
}

// TestAutosaveInChromium: typing a new story shows "Saved at hh:mm", moves
// the address to the draft's editor and keeps the text on the server;
// leaving with unsaved changes asks first. On a public story the changes
// stay on the device (the story is unchanged) and coming back offers them.
func TestAutosaveInChromium(t *testing.T) {
	slow(t)
	s, author := writingSite(t)
	ctx := context.Background()
	c := writerChromium(t, s, author, 1366, 1000)
	c.open(s.URL + "/write")
	c.eval(`document.getElementById("title").value = "The box that never came";
		var b = document.getElementById("body"); b.value = "I waited all day."; b.dispatchEvent(new Event("input", {bubbles: true})); true`)
	if got := string(c.eval(`(function () { var e = new Event("beforeunload", {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; })()`)); got != "true" {
		t.Error("leaving with unsaved text does not ask first")
	}
	c.waitFor("Saved at", `/^Saved at \d\d:\d\d$/.test(document.getElementById("autosave-status").textContent)`)
	c.waitFor("the draft's address", `/^\/stories\/draft-[a-z0-9-]+\/edit$/.test(location.pathname) && /\/edit$/.test(document.getElementById("editor").getAttribute("action"))`)
	slug := strings.TrimSuffix(strings.TrimPrefix(strings.Trim(string(c.eval(`location.pathname`)), `"`), "/stories/"), "/edit")
	st, err := s.store.StoryForEditBySlug(ctx, slug, author.ID)
	check(t, err)
	if st.Body != "I waited all day." || st.Status != models.StatusDraft {
		t.Errorf("the server kept %s %q", st.Status, st.Body)
	}
	if got := string(c.eval(`(function () { var e = new Event("beforeunload", {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; })()`)); got != "false" {
		t.Error("leaving asks although everything is saved")
	}
	// Saving by hand goes to the same draft, not to a new story.
	c.eval(`document.querySelector('button[value=draft]').click(); true`)
	c.waitFor("the saved draft", `location.search === "?saved=draft" && document.readyState === "complete"`)
	if mine, _ := s.store.StoriesOf(ctx, author.ID); len(mine) != 1 {
		t.Errorf("autosave then Save draft made %d stories", len(mine))
	}

	pub, err := s.store.CreateStory(ctx, models.StoryInput{Title: "Published already", Body: "The public text.", AuthorID: author.ID,
		CategoryIDs: []uint{1}, Status: models.StatusPublished})
	check(t, err)
	edit := s.URL + "/stories/" + pub.Slug + "/edit"
	c.open(edit)
	c.eval(`var b = document.getElementById("body"); b.value = "The public text, changed."; b.dispatchEvent(new Event("input", {bubbles: true})); true`)
	c.waitFor("kept on this device", `/^Kept on this device at \d\d:\d\d/.test(document.getElementById("autosave-status").textContent)`)
	if got, _ := s.store.PublishedStory(ctx, pub.Slug); got == nil || got.Body != "The public text." {
		t.Error("an autosave changed the published story")
	}
	c.eval(`window.onbeforeunload = null; location.reload(); true`)
	c.waitFor("the restore offer", `document.readyState === "complete" && document.querySelector(".restore-offer button")`)
	c.eval(`document.querySelector(".restore-offer button").click(); true`)
	if got := string(c.eval(`document.getElementById("body").value`)); got != `"The public text, changed."` {
		t.Errorf("restoring gave %s", got)
	}
}

// TestPublishAndReadInChromium publishes from the editor: the story opens
// with the confirmation and its share links, its script counts the read
// (without cookies), and My stories shows it. The screenshots of the
// editor, the confirmation and My stories at 1366 and 390 px wide in
// docs/screenshots come from here
// (DOLEANCES_SCREENSHOTS=docs/screenshots go test ./app -run PublishAndReadInChromium).
func TestPublishAndReadInChromium(t *testing.T) {
	slow(t)
	s, author := writingSite(t)
	ctx := context.Background()
	dir := screenshotDir(t)
	c := writerChromium(t, s, author, 1366, 900)
	c.open(s.URL + "/write")
	c.eval(`document.getElementById("title").value = "The router that never came";
		document.getElementById("company").value = "Orange"; document.getElementById("city").value = "Lyon";
		document.querySelector('input[name=categories]').checked = true;
		var b = document.getElementById("body");
		b.value = "## Day one\n\nI ordered **fibre** in March. The router was to come in a week.\n\n- called 4 times\n- wrote a _registered_ letter\n\n> We will call you back.\n\nThey never did.";
		b.dispatchEvent(new Event("input", {bubbles: true})); true`)
	c.waitFor("Saved at", `/^Saved at \d\d:\d\d$/.test(document.getElementById("autosave-status").textContent) && document.querySelector("#preview h2")`)
	c.screenshotViewport(filepath.Join(dir, "writing-editor-desktop.png"))
	c.eval(`document.querySelector('button[value=publish]').click(); true`)
	c.waitFor("the confirmation", `location.pathname === "/stories/the-router-that-never-came" && document.readyState === "complete" && document.getElementById("published")`)
	if got := string(c.eval(`document.getElementById("share-url").value`)); got != jsString(s.URL+"/stories/the-router-that-never-came") {
		t.Errorf("the address shown is %s", got)
	}
	if got := string(c.eval(`!document.getElementById("copy-link").hidden && document.querySelectorAll(".share-links a").length`)); got != "3" {
		t.Errorf("copy button shown and share links: %s", got)
	}
	c.screenshotViewport(filepath.Join(dir, "writing-published-desktop.png"))
	st, err := s.store.PublishedStory(ctx, "the-router-that-never-came")
	check(t, err)
	deadline := time.Now().Add(10 * time.Second)
	for n := 0; n != 1; {
		counts, err := s.store.ReadCounts(ctx, []uint{st.ID})
		check(t, err)
		if n = counts[st.ID]; n != 1 && time.Now().After(deadline) {
			t.Fatalf("the story's read count is %d, want 1", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.open(s.URL + "/me/stories")
	if got := string(c.eval(`document.querySelector(".my-story-stats").textContent`)); !strings.Contains(got, "read by 1 person") {
		t.Errorf("My stories shows %s", got)
	}
	c.screenshotViewport(filepath.Join(dir, "writing-mystories-desktop.png"))

	p := writerChromium(t, s, author, 390, 844)
	for _, shot := range []struct{ path, file string }{
		{"/write", "writing-editor-phone.png"},
		{"/stories/the-router-that-never-came?published=1", "writing-published-phone.png"},
		{"/me/stories", "writing-mystories-phone.png"},
	} {
		p.open(s.URL + shot.path)
		if shot.path == "/write" {
			p.eval(`document.getElementById("title").value = "Fibre at last"; document.getElementById("body").value = "The **technician** came on time."; true`)
		} else if strings.Contains(shot.path, "published") {
			p.eval(`document.getElementById("published").scrollIntoView(); true`)
		}
		p.screenshotViewport(filepath.Join(dir, shot.file))
	}
	for _, f := range []string{"writing-editor", "writing-published", "writing-mystories"} {
		checkPNG(t, filepath.Join(dir, f+"-desktop.png"))
		checkPNG(t, filepath.Join(dir, f+"-phone.png"))
	}
}
