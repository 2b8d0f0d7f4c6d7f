package app

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"

	"doleances/handlers/i18n"
)

// TestEveryPageIsTranslated renders every page a guest, a reader and an
// admin reach (the crawl from the front page, every page of the route
// table's authorization list, and the error pages) in the pseudo-locale,
// where every message of the catalogue comes out between ⟦ and ⟧. Once
// those and the user content are taken out, any word left is interface
// text that did not go through the catalogue; and no French message may
// be missing from the catalogue. Each page also answers the same in
// English and French.
func TestEveryPageIsTranslated(t *testing.T) {
	var mu sync.Mutex
	missing := map[string]bool{}
	f := newAuthzFixture(t, withConfig(func(c *Config) {
		c.pseudoLocale = true
		c.missingText = func(_, key string) { mu.Lock(); missing[key] = true; mu.Unlock() }
	}))
	allowed := contentWords(t, f)
	leaks := map[string][]string{} // word -> pages
	pages := 0
	for _, actor := range []string{"guest", "reader", "admin"} {
		v := f.visitor(actor)
		v.cookies["doleances_lang"] = i18n.Pseudo
		for _, path := range translationPaths(t, f, actor) {
			res, body := f.cs.get(v, path)
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				continue
			}
			pages++
			for _, w := range untranslated(body, allowed) {
				leaks[w] = append(leaks[w], actor+" "+path)
			}
			for _, lang := range []string{"en", "fr"} {
				other, _ := f.cs.get(f.visitor(actor), path, "Cookie", "doleances_lang="+lang)
				if other.StatusCode != res.StatusCode {
					t.Errorf("%s as %s: %d in %s, %d in the pseudo-locale", path, actor, other.StatusCode, lang, res.StatusCode)
				}
			}
		}
	}
	// Forms sent back with their fields marked: the models' messages.
	for _, p := range []struct {
		actor, path string
		form        url.Values
	}{
		{"reader", "/write", url.Values{"title": {strings.Repeat("x", 250)}, "body": {"\u200b"}, "resolution": {"open"}, "action": {"publish"}}},
		{"guest", "/notice", url.Values{"url": {"https://elsewhere.example/"}, "explanation": {strings.Repeat("x", 20000)}}},
		{"reader", "/me", url.Values{"name": {""}, "handle": {"A"}}},
		{"admin", "/admin/categories", url.Values{"name": {""}, "slug": {"Not A Slug"}}},
		{"guest", "/stories/" + f.cs.story.Slug + "/comments", url.Values{"body": {""}, "name": {""}, "email": {"nope"}}},
	} {
		v := f.visitor(p.actor)
		v.cookies["doleances_lang"] = i18n.Pseudo
		res, body := f.cs.do(v, http.MethodPost, p.path, p.form)
		if res.StatusCode < 400 {
			t.Errorf("POST %s as %s: %d, want the form again", p.path, p.actor, res.StatusCode)
		}
		pages++
		for _, w := range untranslated(body, allowed) {
			leaks[w] = append(leaks[w], p.actor+" POST "+p.path)
		}
	}
	t.Logf("%d pages checked", pages)
	if pages < 60 {
		t.Errorf("only %d pages rendered", pages)
	}
	words := make([]string, 0, len(leaks))
	for w := range leaks {
		words = append(words, w)
	}
	sort.Strings(words)
	for _, w := range words {
		t.Errorf("untranslated %q on %d pages, e.g. %s", w, len(leaks[w]), leaks[w][0])
	}
	keys := make([]string, 0, len(missing))
	for k := range missing {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Errorf("not in the French catalogue: %q", k)
	}
}

// translationPaths are the pages to check as actor: the pages the crawl
// reaches from the front page and from the account pages, the pages of the
// authorization table the actor may see, and pages that only errors show.
func translationPaths(t *testing.T, f *authzFixture, actor string) []string {
	start := []string{"/", "/login", "/search?q=text", "/search?q=zzzzqqq", "/notice", "/transparency", "/companies",
		"/feeds", "/legal/terms", "/no-such-page", "/stories/no-such-story", "/me", "/write", "/me/stories"}
	for _, rule := range authzPages {
		start = append(start, rule.path(f))
	}
	return crawl(t, f.cs, f.visitor(actor), start, 400)
}

// crawl follows the same-site links of pages from start, GETs only, up
// to limit pages.
func crawl(t *testing.T, ts *testSite, v *visitor, start []string, limit int) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	queue := append([]string(nil), start...)
	for len(queue) > 0 && len(out) < limit {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		out = append(out, path)
		res, body := ts.get(v, path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, m := range linkRE.FindAllStringSubmatch(body, -1) {
			link := html.UnescapeString(m[1])
			link = strings.TrimPrefix(link, ts.srv.cfg.BaseURL)
			link, _, _ = strings.Cut(link, "#")
			if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") || strings.HasPrefix(link, "/static/") ||
				strings.HasPrefix(link, "/media/") || strings.Contains(link, "lang=") || strings.HasSuffix(link, "/export") {
				continue
			}
			if !seen[link] {
				queue = append(queue, link)
			}
		}
	}
	return out
}

var (
	otherLangRE = regexp.MustCompile(`<([a-z0-9]+)\b[^>]*\slang="[^"x][^"]*"[^>]*>`)
	hiddenRE    = regexp.MustCompile(`(?s)<script\b.*?</script>|<style\b.*?</style>|<head>.*?</head>|<textarea\b.*?</textarea>|<code>.*?</code>|<option value="(?:[0-9]+)?"[^>]*>[^<]*</option>`)
	headTextRE  = regexp.MustCompile(`<title>([^<]*)</title>|<(?:meta name="description" content|link rel="alternate" type="[^"]*" title)="([^"]*)"`)
	attrRE      = regexp.MustCompile(`\s(?:title|alt|placeholder|aria-label)="([^"]*)"`)
	tagRE       = regexp.MustCompile(`<[^>]*>`)
	markedRE    = regexp.MustCompile(`⟦[^⟦⟧]*⟧`)
	wordRE      = regexp.MustCompile(`\p{L}[\p{L}\p{M}'’-]*`)
	urlRE       = regexp.MustCompile(`https?://\S+`)
)

// untranslated returns the words of a page's visible text (and of the
// attributes people read) that are neither in a translated message nor
// in the site's content.
func untranslated(page string, allowed map[string]bool) []string {
	page = withoutOtherLanguages(page)
	var text strings.Builder
	// What the head says to people: the title, the description, the feeds' names.
	for _, m := range headTextRE.FindAllStringSubmatch(page, -1) {
		text.WriteString(" " + m[1] + m[2] + " ")
	}
	page = hiddenRE.ReplaceAllString(page, " ")
	for _, m := range attrRE.FindAllStringSubmatch(page, -1) {
		text.WriteString(" " + m[1] + " ")
	}
	text.WriteString(tagRE.ReplaceAllString(page, " "))
	s := html.UnescapeString(text.String())
	for prev := ""; prev != s; {
		prev, s = s, markedRE.ReplaceAllString(s, " ")
	}
	var out []string
	s = urlRE.ReplaceAllString(s, " ")
	for _, w := range wordRE.FindAllString(s, -1) {
		// A single letter is an initial standing for a picture.
		if w = strings.Trim(w, "'’-"); len([]rune(w)) > 1 && !allowed[strings.ToLower(w)] {
			out = append(out, w)
		}
	}
	return out
}

// withoutOtherLanguages cuts out the elements marked as in another
// language (the switch's buttons, a story in its own language), each to its
// matching end tag.
func withoutOtherLanguages(page string) string {
	for {
		loc := otherLangRE.FindStringSubmatchIndex(page)
		if loc == nil {
			return page
		}
		name := page[loc[2]:loc[3]]
		open, end := regexp.MustCompile(`<`+name+`\b`), "</"+name+">"
		depth, i := 1, loc[1]
		for depth > 0 {
			next := strings.Index(page[i:], end)
			if next < 0 {
				return page[:loc[0]]
			}
			depth += len(open.FindAllStringIndex(page[i:i+next], -1)) - 1
			i += next + len(end)
		}
		page = page[:loc[0]] + " " + page[i:]
	}
}

// codeColumns hold the site's codes (a status, a role), not people's words.
var codeColumns = map[string]bool{"status": true, "state": true, "role": true, "kind": true, "resolution": true,
	"reason": true, "decision": true, "outcome": true, "purpose": true, "appeal_outcome": true, "action": true, "mail_state": true}

// contentWords are the words of everything the site's people wrote (every
// text of every table but the outbox, whose mails are the site's own
// text), and the few names the interface shows as they are.
func contentWords(t *testing.T, f *authzFixture) map[string]bool {
	t.Helper()
	words := map[string]bool{}
	// The names the interface shows as they are, and the words searched for.
	for _, w := range []string{"doléances", "github", "english", "français", "rss", "atom", "text", "zzzzqqq", "cet", "cest", "utc"} {
		words[w] = true
	}
	for _, name := range tablesOf(t, f.db) {
		if name == "outbox" {
			continue
		}
		rows, err := f.db.Raw(`SELECT * FROM "` + name + `"`).Rows()
		check(t, err)
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			check(t, rows.Scan(ptrs...))
			for i, v := range vals {
				if codeColumns[cols[i]] {
					continue // the site's own codes, shown through the catalogue
				}
				for _, w := range wordRE.FindAllString(html.UnescapeString(fmt.Sprint(v)), -1) {
					words[strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }))] = true
				}
			}
		}
		check(t, rows.Err())
		rows.Close()
	}
	return words
}
