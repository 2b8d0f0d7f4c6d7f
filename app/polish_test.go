package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// TestLimitMessagesWriteNumbersAsTheHelpDoes: a comment past the limit
// says "10,050" and "10,000", as the README and help write numbers.
func TestLimitMessagesWriteNumbersAsTheHelpDoes(t *testing.T) {
	cs := newSite(t, withComments())
	res, body := cs.comment(cs.signIn(cs.readers[0]), cs.story, strings.Repeat("a", 10050))
	wantCode(t, res, body, http.StatusUnprocessableEntity)
	wantIn(t, "the comment too long", body, "The comment is 10,050 characters long; the limit is 10,000.")
}

// TestModerationFlashSaysRealPlurals: "1 comment changed", "2 comments changed".
func TestModerationFlashSaysRealPlurals(t *testing.T) {
	cs := newSite(t, withComments())
	admin := cs.signIn(cs.admin)
	for n, want := range map[int]string{1: "1 comment changed.", 2: "2 comments changed.", 0: "0 comments changed."} {
		_, body := cs.get(admin, "/admin/comments?done="+strconv.Itoa(n))
		wantIn(t, "the moderation flash", body, want)
		if strings.Contains(body, "(s)") {
			t.Errorf("done=%d: the page still says (s)", n)
		}
	}
}

var maxlengthRe = regexp.MustCompile(`<(?:input|textarea)[^>]*>`)

// TestFormsMaxlengthMatchTheServer: every short field of every form says
// in maxlength the limit the models enforce (a title field allowed 400
// characters where the server took 200).
func TestFormsMaxlengthMatchTheServer(t *testing.T) {
	cs := newSite(t, withComments())
	admin := cs.signIn(cs.admin)
	res, body := cs.do(cs.signIn(cs.readers[0]), http.MethodPost, "/write", storyForm("For review", "Text.", "publish"))
	wantCode(t, res, body, http.StatusSeeOther) // in the review queue, with its note field
	limits := map[string]int{"title": models.MaxTitleLen, "company": models.MaxCompanyNameLen, "city": models.MaxCityLen,
		"name": models.MaxNameLen, "handle": models.MaxHandleLen, "email": models.MaxEmailLen, "url": models.MaxURLLen,
		"website": models.MaxURLLen, "note": models.MaxNoteLen, "cover_alt": models.MaxAltLen, "picture_alt": models.MaxAltLen}
	category := map[string]int{"name": models.MaxCategoryNameLen, "description": models.MaxDescriptionLen}
	pages := map[string]map[string]int{"/write": limits, "/me": limits, "/notice": limits, "/stories/" + cs.story.Slug: limits,
		"/admin/legal/legal-notice": limits, "/admin/categories": category, "/admin": limits}
	seen := map[string]bool{}
	for path, want := range pages {
		res, body := cs.get(admin, path)
		wantCode(t, res, body, http.StatusOK)
		for _, tag := range maxlengthRe.FindAllString(body, -1) {
			name := attr(tag, "name")
			limit, ok := want[name]
			if !ok || strings.Contains(tag, `type="hidden"`) {
				continue
			}
			seen[name] = true
			if got := attr(tag, "maxlength"); got != strconv.Itoa(limit) && !(strings.HasPrefix(tag, "<textarea") && got == "") {
				t.Errorf("%s: field %q has maxlength %q, the server's limit is %d", path, name, got, limit)
			}
		}
	}
	for _, name := range []string{"title", "company", "city", "name", "handle", "email", "url", "note", "description"} {
		if !seen[name] {
			t.Errorf("no form checked has a field %q", name)
		}
	}
}

// attr is the value of an attribute in one tag, "" when absent.
func attr(tag, name string) string {
	m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestCommentTimesShowTheSiteZone: a comment written at 12:00 UTC in March
// reads 13:00 CET on a site in Europe/Paris (the default), 12:00 UTC on a
// site set to UTC.
func TestCommentTimesShowTheSiteZone(t *testing.T) {
	for zone, want := range map[string]string{"": "March 1, 2026 at 13:00 CET", "UTC": "March 1, 2026 at 12:00 UTC", "America/Montreal": "March 1, 2026 at 07:00 EST"} {
		cs := newSite(t, withComments(), withConfig(func(c *Config) { c.Timezone = zone }))
		cs.clock.set(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
		res, body := cs.comment(cs.signIn(cs.admin), cs.story, "Même chose chez moi.")
		wantCode(t, res, body, http.StatusSeeOther)
		_, body = cs.get(nil, "/stories/"+cs.story.Slug)
		if !strings.Contains(body, ">"+want+"</time>") {
			t.Errorf("timezone %q: no comment time %q on the story page", zone, want)
		}
	}
	_, err := parseConfig("doleances", []string{"-timezone", "Mars/Olympus"}, func(string) string { return "" }, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "timezone") {
		t.Errorf("an unknown zone: %v", err)
	}
	c, err := parseConfig("doleances", nil, func(k string) string { return map[string]string{"DOLEANCES_TIMEZONE": "Asia/Tokyo"}[k] }, &strings.Builder{})
	if err != nil || c.Timezone != "Asia/Tokyo" {
		t.Errorf("DOLEANCES_TIMEZONE: %q, %v", c.Timezone, err)
	}
}

// TestSearchShowsTextNotMarkdown: a comment's snippet reads "lettre
// recommandée", not "*lettre recommandée*"; a phrase search's heading has
// one pair of quotes, curly.
func TestSearchShowsTextNotMarkdown(t *testing.T) {
	cs := newSite(t, withComments())
	res, body := cs.comment(cs.signIn(cs.admin), cs.story, "J'ai envoyé une *lettre recommandée* et **rien**, voir [le site](https://example.org).")
	wantCode(t, res, body, http.StatusSeeOther)
	_, body = cs.get(nil, "/search?q="+url.QueryEscape(`"lettre recommandée"`))
	wantIn(t, "the search of a phrase", body, "In the comments:", "<mark>lettre</mark> <mark>recommandée</mark> et rien, voir le site",
		"Results for “lettre recommandée”</h1>", "<title>Search for “lettre recommandée” ·")
	if strings.Contains(body, "*<mark>") || strings.Contains(body, "“&#34;") || strings.Contains(body, "[le site]") {
		t.Error("the search page shows Markdown marks or doubled quotes")
	}
	for q, want := range map[string]string{`orange`: "“orange”", `orange "la box"`: "orange “la box”", `"open`: "“open”"} {
		_, body = cs.get(nil, "/search?q="+url.QueryEscape(q))
		wantIn(t, "the heading of "+q, body, "Results for "+want+"</h1>")
	}
}

// TestFeedsCarryDatedUpdates: an update added to a story shows in its feed
// item after the text, and the item's updated date becomes the update's.
func TestFeedsCarryDatedUpdates(t *testing.T) {
	ts := newSite(t, withStories())
	st := ts.stories["fibre"]
	ts.clock.set(siteStart.Add(72 * time.Hour))
	res, body := ts.do(ts.signIn(ts.author), http.MethodPost, "/stories/"+st.Slug+"/updates", url.Values{"body": {"Refund **received** at last."}, "resolution": {"resolved"}})
	wantCode(t, res, body, http.StatusSeeOther)
	for _, path := range []string{"/feed", "/feed/atom"} {
		ctype := "application/rss+xml; charset=utf-8"
		if strings.HasSuffix(path, "atom") {
			ctype = "application/atom+xml; charset=utf-8"
		}
		f := ts.parseFeed(path, ctype)
		found := false
		for _, it := range f.Items {
			if it.Title != st.Title {
				continue
			}
			found = true
			html := it.Content + it.Description
			if !strings.Contains(html, "Update, 4 March 2026") || !strings.Contains(html, "Refund <strong>received</strong> at last.") {
				t.Errorf("%s: the item lacks the update: %q", path, html)
			}
			if path == "/feed/atom" && (it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(siteStart.Add(72*time.Hour))) {
				t.Errorf("%s: the item's updated date is %v", path, it.UpdatedParsed)
			}
		}
		if !found {
			t.Errorf("%s: no item for %q", path, st.Title)
		}
	}
}
