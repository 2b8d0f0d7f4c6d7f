package app

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// contrastJS lists the visible text of the page whose colour is under
// 4.5:1 on the background it stands on (3:1 for large text), as WCAG 2
// counts it: the background is the first opaque one up the tree.
const contrastJS = `(() => {
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length === 3 || c[3] > 0.9) return c; } return [255, 255, 255]; };
  const bad = [];
  document.querySelectorAll("body *").forEach(el => {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) return;
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility === "hidden" || el.closest(".visually-hidden, .skip, .hp, svg, mark")) return;
    const a = lum(rgb(cs.color)), b = lum(bg(el)), ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(cs.fontSize), large = size >= 24 || size >= 18.66 && Number(cs.fontWeight) >= 700;
    if (ratio < (large ? 3 : 4.5)) bad.push(el.tagName + "." + el.className + " “" + el.textContent.trim().slice(0, 30) + "” " + ratio.toFixed(2));
  });
  return bad;
})()`

// TestRunningAndReadingInChromium, at 1366 and 390 pixels wide: the admin
// dashboard without the sidebar; the phone header folded into a menu that
// opens without JavaScript and a category bar that shows it scrolls; the
// dark theme with text at least 4.5:1 everywhere (as in the light theme);
// Reply opening the form under the comment; a guest's name kept on the
// device; a guest's Like done once back signed in. Screenshot pairs land in
// DOLEANCES_SCREENSHOTS (docs/screenshots holds a set).
func TestRunningAndReadingInChromium(t *testing.T) {
	chromium(t)
	slow(t)
	cs := newSite(t, listening(), withComments())
	// The real time: Chromium drops cookies that expire before it.
	cs.clock.set(time.Now().Truncate(10 * time.Second))
	res, body := cs.comment(cs.signIn(cs.readers[0]), cs.story, "Same here: I sent a *lettre recommandée* and waited six weeks.")
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.comment(cs.signIn(cs.author), cs.story, "Thank you, Paul. I'll add your \"six weeks\" to the story.", "parent", itoa(cs.lastComment().ID))
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.comment(cs.signIn(cs.readers[1]), cs.story, "Orange told me « ce n'est pas possible » three times.")
	wantCode(t, res, body, http.StatusSeeOther)
	// Something waits: a reader's story to review, a held guest comment.
	res, body = cs.do(cs.signIn(cs.readers[1]), http.MethodPost, "/write", storyForm("The bank that lost my transfer", "Three weeks, no news.", "publish"))
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.comment(guest(), cs.other, "Win at the casino!", "name", "Spammer", "email", "s@example.org")
	wantCode(t, res, body, http.StatusSeeOther)
	admin := cs.signIn(cs.admin)
	story := cs.URL + "/stories/" + cs.story.Slug
	dir := screenshotDir(t)
	for _, size := range []struct {
		label string
		w     int
	}{{"desktop", 1366}, {"phone", 390}} {
		c := chromiumPage(t, size.w, 900)
		c.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": size.w, "height": 900, "deviceScaleFactor": 1, "mobile": size.w < 500}, nil)
		shot := func(name string, whole bool) {
			file := filepath.Join(dir, name+"-"+size.label+".png")
			if whole {
				c.screenshot(file)
			} else {
				c.screenshotViewport(file)
			}
			if w := checkPNG(t, file).Bounds().Dx(); w != size.w {
				t.Errorf("%s is %d pixels wide", file, w)
			}
		}
		truth := func(what, expr string) {
			t.Helper()
			if string(c.eval(expr)) != "true" {
				t.Errorf("%s: %s is not true", size.label, what)
			}
		}
		contrastOK := func(where string) {
			t.Helper()
			var bad []string
			check(t, json.Unmarshal(c.eval(contrastJS), &bad))
			if len(bad) > 0 {
				t.Errorf("%s, %s: text under 4.5:1: %s", size.label, where, strings.Join(bad, "; "))
			}
		}

		c.call("Network.setCookie", map[string]any{"name": "doleances_session", "value": admin.cookies["doleances_session"], "url": cs.URL}, nil)
		c.open(cs.URL + "/admin")
		truth("the dashboard has no sidebar and counts what waits", `!document.querySelector(".sidebar") && document.querySelectorAll(".attention .is-due").length === 2`)
		contrastOK("the admin dashboard")
		shot("admin-dashboard", true)

		c.open(story)
		if size.label == "phone" {
			truth("the menu is folded", `getComputedStyle(document.querySelector(".account-panel")).display === "none"`)
			truth("the header is one short row", `document.querySelector(".masthead > .wrap").getBoundingClientRect().height < 150`)
			truth("the category bar fades at its edge", `getComputedStyle(document.querySelector(".topnav"), "::after").backgroundImage.includes("gradient")`)
			truth("the sidebar keeps recent stories, not the archives", `getComputedStyle(document.querySelector(".sb-recent")).display !== "none" && getComputedStyle(document.querySelector(".sb-archives")).display === "none"`)
			c.eval(`document.querySelector(".menu-button").click(); true`)
		}
		truth("the account's links show, each on one line", `[...document.querySelectorAll(".account-panel a, .account-panel button")].every(a => {
			const r = a.getBoundingClientRect(); return r.width > 0 && r.height < 2 * parseFloat(getComputedStyle(a).lineHeight || 20) + 26; })`)
		shot("phone-menu", false)
		contrastOK("a story, light")

		c.call("Emulation.setEmulatedMedia", map[string]any{"features": []map[string]string{{"name": "prefers-color-scheme", "value": "dark"}}}, nil)
		c.open(story)
		truth("the dark theme is on", `getComputedStyle(document.body).backgroundColor === "rgb(21, 24, 29)"`)
		contrastOK("a story, dark")
		shot("story-dark", true)
		c.open(cs.URL + "/admin")
		contrastOK("the admin dashboard, dark")
		c.call("Emulation.setEmulatedMedia", map[string]any{"features": []map[string]string{{"name": "prefers-color-scheme", "value": "light"}}}, nil)

		// A guest replies under a comment, and asks to be remembered.
		c.call("Network.clearBrowserCookies", nil, nil)
		c.open(story)
		c.eval(`document.querySelector(".comment a.reply").click(); true`)
		truth("the form is under the comment", `document.getElementById("respond").closest("li.comment") === document.querySelector(".comment") &&
			document.querySelector("input[name=parent]").value === document.querySelector(".comment").id.replace("comment-", "") &&
			document.activeElement === document.getElementById("c-body")`)
		c.eval(`document.getElementById("c-name").value = "Zoé"; document.getElementById("c-email").value = "zoe@example.org";
			document.getElementById("c-body").value = "Six weeks for me too."; document.getElementById("c-remember").checked = true; true`)
		c.eval(`window.scrollTo(0, document.querySelector(".comment").getBoundingClientRect().top + scrollY - 10); true`)
		shot("reply-form", false)
		cs.clock.add(20 * time.Second)
		c.eval(`document.querySelector(".comment-form button[type=submit]").click(); true`)
		c.waitFor("the reply under the comment", `document.readyState === "complete" && [...document.querySelectorAll(".comment .replies .comment-body")].some(b => b.textContent.includes("Six weeks for me too."))`)
		c.open(story)
		truth("the guest's name and email are filled in from this device", `document.getElementById("c-name").value === "Zoé" && document.getElementById("c-email").value === "zoe@example.org" && document.getElementById("c-remember").checked`)

		// A guest's Like: sign in, come back, and it is done.
		c.eval(`document.querySelector('form.reaction[data-kind=like] button').click(); true`)
		c.waitFor("the sign-in page", `location.pathname === "/login" && document.readyState === "complete"`)
		var next string
		check(t, json.Unmarshal(c.eval(`new URLSearchParams(location.search).get("next")`), &next))
		token, err := cs.store.CreateOneTimeToken(context.Background(), models.PurposeSignIn, &cs.readers[map[string]int{"desktop": 0, "phone": 1}[size.label]].ID, time.Hour)
		check(t, err)
		c.open(cs.URL + "/signin/" + token) // a sign-in in this browser, as a mailed link gives
		c.eval(`document.querySelector("main form button").click(); true`)
		c.waitFor("signed in", `location.pathname === "/me" && document.readyState === "complete"`)
		c.call("Page.navigate", map[string]any{"url": cs.URL + next}, nil) // not c.open: the page moves on by itself
		c.waitFor("the like done", `location.search === "" && document.readyState === "complete" && document.querySelector('form.reaction[data-kind=like] .reaction-button.is-on') !== null`)
	}
}
