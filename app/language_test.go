package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLanguageIsChosenPerVisitor: the site's language, then Accept-Language,
// then the visitor's choice (a cookie set by POST /lang) and ?lang= on the
// hreflang alternates; each language has its own cached page.
func TestLanguageIsChosenPerVisitor(t *testing.T) {
	ts := newSite(t, withStories())
	for _, c := range []struct {
		name, path string
		headers    []string
		lang, text string
	}{
		{"default", "/", nil, "en", "Latest"},
		{"browser", "/", []string{"Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5"}, "fr", "Derniers récits"},
		{"browser, English again", "/", []string{"Accept-Language", "en-GB"}, "en", "Latest"},
		{"browser, unknown language", "/", []string{"Accept-Language", "de"}, "en", "Latest"},
		{"alternate", "/?lang=fr", nil, "fr", "Derniers récits"},
		{"alternate beats the browser", "/?lang=en", []string{"Accept-Language", "fr"}, "en", "Latest"},
		{"cookie beats the browser", "/", []string{"Accept-Language", "en", "Cookie", "doleances_lang=fr"}, "fr", "Derniers récits"},
	} {
		for range 2 { // the second from the page cache
			res, body := ts.get(nil, c.path, c.headers...)
			wantCode(t, res, body, http.StatusOK)
			wantIn(t, c.name, body, `<html lang="`+c.lang+`">`, c.text)
			if v := res.Header.Get("Vary"); !strings.Contains(v, "Accept-Language") || !strings.Contains(v, "Cookie") {
				t.Errorf("%s: Vary %q", c.name, v)
			}
		}
	}
	_, body := ts.get(nil, "/?lang=fr")
	wantIn(t, "French alternate", body,
		`<link rel="canonical" href="`+testBase+`/?lang=fr">`,
		`<link rel="alternate" hreflang="en" href="`+testBase+`/?lang=en">`,
		`<link rel="alternate" hreflang="fr" href="`+testBase+`/?lang=fr">`,
		`<link rel="alternate" hreflang="x-default" href="`+testBase+`/">`,
		`<button class="link-button" type="submit" name="lang" value="en" lang="en">English</button>`)
	_, body = ts.get(nil, "/")
	wantIn(t, "default page", body, `<link rel="canonical" href="`+testBase+`/">`)

	v := guest()
	res, _ := ts.do(v, http.MethodPost, "/lang", url.Values{"lang": {"fr"}, "next": {"/feeds"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/feeds" || v.cookies["doleances_lang"] != "fr" {
		t.Fatalf("POST /lang: %d to %q, cookies %v", res.StatusCode, res.Header.Get("Location"), v.cookies)
	}
	_, body = ts.get(v, "/feeds")
	wantIn(t, "after the switch", body, `<html lang="fr">`)
	res, _ = ts.do(v, http.MethodPost, "/lang", url.Values{"lang": {"de"}, "next": {"/"}})
	if res.StatusCode != http.StatusUnprocessableEntity || v.cookies["doleances_lang"] != "fr" {
		t.Errorf("POST /lang with an unknown language: %d, cookie %q", res.StatusCode, v.cookies["doleances_lang"])
	}
	// Back to the page the switch was on, with its query (a search).
	res, _ = ts.do(v, http.MethodPost, "/lang", url.Values{"lang": {"en"}, "next": {"/search"}},
		"Referer", "http://example.com/search?q=box&lang=fr")
	if loc := res.Header.Get("Location"); loc != "/search?q=box" {
		t.Errorf("POST /lang from a search sends to %q", loc)
	}
	res, _ = ts.do(v, http.MethodPost, "/lang", url.Values{"lang": {"en"}, "next": {"https://evil.example/"}},
		"Referer", "https://evil.example/page")
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("POST /lang sends to %q, want / for another site", loc)
	}
}

// TestSiteLanguageSetting: -lang fr makes French the language of visitors
// whose browser asks for none of the site's.
func TestSiteLanguageSetting(t *testing.T) {
	ts := newSite(t, withConfig(func(c *Config) { c.Lang = "fr" }))
	_, body := ts.get(nil, "/", "Accept-Language", "de")
	wantIn(t, "front page", body, `<html lang="fr">`, "Derniers récits")
	for _, bad := range []string{"-lang=de", "-timezone=Mars/Olympus"} {
		if _, err := parseConfig("doleances", []string{bad}, func(string) string { return "" }, &strings.Builder{}); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// TestStoryLanguage: the author says which language a story is in (the
// site's by default); its page, its JSON-LD and its feed items say it,
// whatever the visitor's language, and search finds it the same.
func TestStoryLanguage(t *testing.T) {
	ts := newSite(t, withStories())
	cats, err := ts.store.Categories(context.Background())
	check(t, err)
	author := ts.signIn(ts.author)
	_, body := ts.get(author, "/write")
	wantIn(t, "the editor", body, `<select id="lang" name="lang">`, `<option value="en" lang="en" selected>English</option>`)
	publish := func(title, lang string) string {
		form := url.Values{"title": {title}, "body": {"Le livreur a sonné à 7 h 02 précises."}, "resolution": {"open"},
			"categories": {fmt.Sprint(cats[0].ID)}, "action": {"publish"}}
		if lang != "" {
			form.Set("lang", lang)
		}
		res, body := ts.do(author, http.MethodPost, "/write", form)
		wantCode(t, res, body, http.StatusSeeOther)
		return res.Header.Get("Location")
	}
	fr := publish("Le livreur matinal", "fr")
	def := publish("The early courier", "")
	for _, visitor := range []string{"en", "fr"} {
		_, page := ts.get(nil, fr, "Cookie", "doleances_lang="+visitor)
		wantIn(t, "a French story for a "+visitor+" visitor", page, `<html lang="`+visitor+`">`,
			`<h1 lang="fr">Le livreur matinal</h1>`, `<div class="prose" lang="fr">`, `"inLanguage":"fr"`)
	}
	_, page := ts.get(nil, def)
	wantIn(t, "a story in the site's language", page, `<h1 lang="en">The early courier</h1>`, `"inLanguage":"en"`)
	res, body := ts.do(author, http.MethodPost, "/write", url.Values{"title": {"Bad"}, "body": {"Text."}, "lang": {"<script>"}, "action": {"save"}})
	wantCode(t, res, body, http.StatusUnprocessableEntity)
	wantIn(t, "a bad language", body, "Choose the language the story is written in.", `value="Bad"`)

	_, rss := ts.get(nil, "/feed")
	wantIn(t, "RSS", rss, "<language>en</language>", "<dc:language>fr</dc:language>", "<dc:language>en</dc:language>")
	_, atom := ts.get(nil, "/feed/atom", "Accept-Language", "fr")
	wantIn(t, "Atom", atom, `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">`, `<entry xml:lang="fr">`, `<entry xml:lang="en">`)
	for _, q := range []string{"livreur", "courier", "sonné"} {
		_, found := ts.get(nil, "/search?q="+url.QueryEscape(q))
		if !strings.Contains(found, "Le livreur matinal") && !strings.Contains(found, "The early courier") {
			t.Errorf("search %q finds neither story", q)
		}
	}
}

// TestMailInTheSiteLanguage: mails are written in the site's language
// (-lang), with French typography and a translated unsubscribe link.
func TestMailInTheSiteLanguage(t *testing.T) {
	ts := newSite(t, withConfig(func(c *Config) { c.Lang = "fr" }))
	res, body := ts.do(guest(), http.MethodPost, "/login/email", url.Values{"email": {"ada@example.org"}})
	wantCode(t, res, body, http.StatusOK)
	wantIn(t, "the page after asking", body, "Consultez vos e-mails")
	mails, err := ts.store.Outbox(context.Background(), 10)
	check(t, err)
	if len(mails) != 1 {
		t.Fatalf("%d mails", len(mails))
	}
	m := mails[0]
	if m.Subject != "Votre lien de connexion à Doléances" {
		t.Errorf("subject %q", m.Subject)
	}
	wantIn(t, "the mail", m.Text, "Ouvrez ce lien dans les 15 minutes pour vous connecter à Doléances.", "ignorez cet e-mail\u00a0: rien ne se passe sans le lien.")
	wantIn(t, "the mail's HTML", m.HTML, `<html lang="fr">`)
}

// TestSignedInStoryPagesPerLanguage: the story pages kept for signed-in
// readers (their shells) are kept per language, like the anonymous ones.
func TestSignedInStoryPagesPerLanguage(t *testing.T) {
	cs := newSite(t, withComments())
	v := cs.signIn(cs.readers[0])
	page := "/stories/" + cs.story.Slug
	for range 3 { // the later views come from the kept shell
		_, body := cs.get(v, page)
		wantIn(t, "in English", body, `<html lang="en">`, "Latest")
	}
	v.cookies["doleances_lang"] = "fr"
	for range 3 {
		_, body := cs.get(v, page)
		wantIn(t, "in French", body, `<html lang="fr">`, "Derniers récits", "Se déconnecter")
		if strings.Contains(body, ">Sign out<") {
			t.Error("a French page with the English account menu")
		}
	}
}
