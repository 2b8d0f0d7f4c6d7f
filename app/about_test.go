package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAuthorAbout: a bio and links saved on /me show on the author page,
// escaped, with rel="me nofollow ugc"; a link that is not http(s), a bio
// too long or a fourth link get a 422 with the message and the text kept.
func TestAuthorAbout(t *testing.T) {
	s := newSite(t, withStories())
	w := s.signIn(s.author)
	bio := "Expat in Lyon since 2019.\nI write about <b>banks</b> & telecoms."
	r, body := s.do(w, http.MethodPost, "/me/about", url.Values{"bio": {bio},
		"links": {"https://margot.example/", " https://mastodon.social/@margot ", ""}})
	wantCode(t, r, body, http.StatusSeeOther)
	avatar := "/media/0123456789abcdef0123456789abcdef/200x200.png"
	check(t, s.store.SetAvatar(context.Background(), s.author.ID, avatar))
	_, page := s.get(nil, "/author/"+s.author.Handle)
	wantIn(t, "the author page", page, html.EscapeString(bio), `<img class="avatar large author-avatar" src="`+avatar+`"`,
		`<a href="https://margot.example/" rel="me nofollow ugc noopener">https://margot.example/</a>`,
		`<a href="https://mastodon.social/@margot" rel="me nofollow ugc noopener">`)
	if strings.Contains(page, "<b>banks</b>") {
		t.Error("the bio's HTML is not escaped")
	}
	for name, c := range map[string]struct {
		form  url.Values
		field string
		msg   string
	}{
		"javascript link": {url.Values{"bio": {"Kept bio"}, "links": {"javascript:alert(1)"}}, "links", "is not a web address"},
		"no scheme":       {url.Values{"bio": {"Kept bio"}, "links": {"margot.example"}}, "links", "is not a web address"},
		"four links": {url.Values{"bio": {"Kept bio"}, "links": {"https://a.example", "https://b.example", "https://c.example", "https://d.example"}},
			"links", "At most 3 links; there are 4."},
		"long bio": {url.Values{"bio": {strings.Repeat("é", 601)}, "links": {"https://kept.example/"}}, "bio", "The bio is 601 characters long; the limit is 600."},
	} {
		r, body := s.do(w, http.MethodPost, "/me/about", c.form)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", name, r.StatusCode)
			continue
		}
		wantIn(t, name, body, html.EscapeString(c.msg), `id="`+c.field+`-error"`, html.EscapeString(c.form.Get("bio")),
			`value="`+html.EscapeString(c.form["links"][0])+`"`)
	}
	if _, page = s.get(nil, "/author/"+s.author.Handle); !strings.Contains(page, "margot.example") {
		t.Error("a refused form changed the saved links")
	}
}
