package i18n

import (
	"strings"
	"testing"
	"time"
)

func bundle(t *testing.T, o Options) *Bundle {
	t.Helper()
	b, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPluralForms: French uses the singular for 0 and 1, English only for 1.
func TestPluralForms(t *testing.T) {
	b := bundle(t, Options{})
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0 comments"}, {"en", 1, "1 comment"}, {"en", 2, "2 comments"}, {"en", 10000, "10,000 comments"},
		{"fr", 0, "0 commentaire"}, {"fr", 1, "1 commentaire"}, {"fr", 2, "2 commentaires"}, {"fr", 10000, "10\u00a0000 commentaires"},
	} {
		if got := b.Locale(c.lang).T("%d comments", c.n); got != c.want {
			t.Errorf("%s %d comments: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	// Every plural message of the French catalogue has its singular and plural.
	fr := b.Locale("fr")
	for key, s := range fr.keys {
		if s == "" && fr.T(key, 1) == fr.T(key, 2) {
			t.Errorf("fr %q: 1 gives %q, 2 gives %q", key, fr.T(key, 1), fr.T(key, 2))
		}
	}
	if got := b.Locale("en").T("after %d days", 0); got != "the same day" {
		t.Errorf("after 0 days: %q", got)
	}
}

// TestDatesAndNumbers: the date forms of each language, in the site's zone.
func TestDatesAndNumbers(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	b := bundle(t, Options{Zone: paris})
	en, fr := b.Locale("en"), b.Locale("fr")
	jan19 := time.Date(2009, 1, 19, 23, 30, 0, 0, time.UTC) // already the 20th in Paris
	for _, c := range []struct{ got, want string }{
		{en.Date(jan19), "January 20, 2009"},
		{fr.Date(jan19), "20 janvier 2009"},
		{fr.Date(time.Date(2009, 3, 1, 12, 0, 0, 0, time.UTC)), "1er mars 2009"},
		{en.Date(time.Date(2009, 3, 1, 12, 0, 0, 0, time.UTC)), "March 1, 2009"},
		{fr.Date(time.Date(2009, 8, 15, 12, 0, 0, 0, time.UTC)), "15 août 2009"},
		{en.DateTime(jan19), "January 20, 2009 at 00:30 CET"},
		{fr.DateTime(time.Date(2009, 7, 14, 10, 5, 0, 0, time.UTC)), "14 juillet 2009 à 12:05 CEST"},
		{fr.Month(2009, time.December), "décembre 2009"},
		{en.Number(10000), "10,000"},
		{fr.Number(10000), "10\u00a0000"},
		{en.Number(999), "999"},
		{fr.Decimal(3.5), "3,5"},
		{en.Decimal(3.5), "3.5"},
		{en.Date(time.Time{}), ""},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}

// TestFrenchTypography: a no-break space before : ; ! ? and inside « »,
// never a plain one, in every French message.
func TestFrenchTypography(t *testing.T) {
	fr := bundle(t, Options{}).Locale("fr")
	if got := fr.T("Read “%s”", "Orange"); got != "Lire «\u00a0Orange\u00a0»" {
		t.Errorf("quotes: %q", got)
	}
	if got := fr.T("What are you looking for?"); got != "Que cherchez-vous\u202f?" {
		t.Errorf("question: %q", got)
	}
	for key, s := range fr.keys {
		for _, bad := range []string{" :", " ;", " !", " ?", "« ", " »"} {
			if strings.Contains(s, bad) {
				t.Errorf("fr %q has a plain space in %q", key, bad)
			}
		}
	}
}

// TestTextOfModelMessages: a message formatted in English below the
// handlers reads in French with its numbers and names.
func TestTextOfModelMessages(t *testing.T) {
	var missing []string
	b := bundle(t, Options{Missing: func(_, key string) { missing = append(missing, key) }})
	fr := b.Locale("fr")
	for _, c := range []struct{ in, want string }{
		{"The title is 250 characters long; the limit is 200.", "Le titre fait 250 caractères\u202f; la limite est 200."},
		{"The category \"Télécom\" has this name already.", "La catégorie \"Télécom\" porte déjà ce nom."},
		{"A story needs a title.", "Un récit a besoin d'un titre."},
		// A message inside a message: both read in French.
		{"Confirmation links work once, for 7 days. Nothing was changed.", "Les liens de confirmation servent une fois, pendant 7 jours. Rien n'a été changé."},
		{"The story is 100,001 characters long; the limit is 100,000.", "Le récit fait 100\u00a0001 caractères\u202f; la limite est 100\u00a0000."},
		{"Un récit a besoin d'un titre.", "Un récit a besoin d'un titre."},
		{"This contains an invisible or direction-changing character (U+200B, character 3); please remove it.",
			"Ceci contient un caractère invisible ou qui change le sens d'écriture (U+200B, caractère 3)\u202f; retirez-le."},
	} {
		if got := fr.Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if len(missing) > 0 {
		t.Errorf("reported missing: %q", missing)
	}
	if fr.Text("Not a message of the site"); len(missing) != 1 {
		t.Errorf("an unknown message is not reported: %q", missing)
	}
	if got := b.Locale("en").Text("The title is 250 characters long; the limit is 200."); got != "The title is 250 characters long; the limit is 200." {
		t.Errorf("English: %q", got)
	}
}

// TestLanguageMatching: Accept-Language picks the nearest of the site's
// languages, the site's when none is near; every catalogue loads.
func TestLanguageMatching(t *testing.T) {
	b := bundle(t, Options{Default: "fr"})
	for header, want := range map[string]string{
		"": "fr", "en-US,en;q=0.9": "en", "fr-CA": "fr", "de-DE,de;q=0.9": "fr", "de,en;q=0.5": "en", "*": "fr", "garbage;;q=": "fr",
	} {
		for range 2 { // the second from the remembered headers
			if got := b.Accept(header).Code; got != want {
				t.Errorf("Accept-Language %q: %s, want %s", header, got, want)
			}
		}
	}
	if _, err := New(Options{Default: "de"}); err == nil {
		t.Error("an unknown site language is accepted")
	}
	if names := len(b.All()); names < 2 {
		t.Errorf("%d languages", names)
	}
}

// TestCataloguesAreComplete: every catalogue but the English one (whose
// keys are its texts) has every message of the French one, which the
// page tests check against the interface; a new language's file is
// checked by the same rule.
func TestCataloguesAreComplete(t *testing.T) {
	b := bundle(t, Options{})
	fr := b.Locale("fr")
	for _, l := range b.All() {
		if l.Code == "en" || l.Code == "fr" {
			continue
		}
		for key := range fr.keys {
			if _, ok := l.keys[key]; !ok {
				t.Errorf("%s lacks %q", l.Code, key)
			}
		}
		if l.Name == "" {
			t.Errorf("%s has no name for the switch", l.Code)
		}
	}
	if fr.Name != "Français" || b.Locale("en").Name != "English" {
		t.Errorf("names: %q, %q", fr.Name, b.Locale("en").Name)
	}
}
