package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"doleances/models"
)

// disguises are characters that show nothing or turn the text around: each
// one, put inside a short field, must be refused with a message, the text kept.
var disguises = []string{
	"\u202E", "\u202A", "\u2066", "\u2069", "\u200B", "\u200C", "\u200D", "\u200E", "\u200F", "\u2060",
	"\u2064", "\uFEFF", "\u00AD", "\u180E", "\u115F", "\u1160", "\u3164", "\uFFA0", "\u034F", "\U000E0041",
}

// TestInvisibleCharactersRefusedInEveryShortField types each disguise into
// every short field of the site's forms: a 422 that names the problem and
// gives the text back, and nothing saved.
func TestInvisibleCharactersRefusedInEveryShortField(t *testing.T) {
	cs := newSite(t, withComments())
	admin, author, reader := cs.signIn(cs.admin), cs.signIn(cs.author), cs.signIn(cs.readers[0])
	story := func(field, v string) url.Values {
		f := url.Values{"title": {"Un titre"}, "body": {"Le texte."}, "company": {"Orange"}, "city": {"Lyon"}, "tags": {"box"}, "action": {"draft"}}
		f.Set(field, v)
		return f
	}
	comment := func(field, v string) url.Values {
		f := url.Values{"name": {"Léa"}, "email": {"lea@example.org"}, "body": {"Pareil."}}
		f.Set(field, v)
		return f
	}
	type form struct {
		who   *visitor
		path  string
		field string
		make  func(field, v string) url.Values
	}
	forms := []form{
		{reader, "/me", "name", func(field, v string) url.Values { return url.Values{"name": {v}, "handle": {"paul"}} }},
		{author, "/write", "title", story}, {author, "/write", "company", story}, {author, "/write", "city", story}, {author, "/write", "tags", story},
		{admin, "/admin/categories", "name", func(field, v string) url.Values { return url.Values{field: {v}} }},
		{admin, "/admin/categories", "description", func(field, v string) url.Values { return url.Values{"name": {"Banques"}, field: {v}} }},
		{nil, "/stories/" + cs.story.Slug + "/comments", "name", comment},
		{nil, "/stories/" + cs.story.Slug + "/comments", "url", comment},
		{nil, "/stories/" + cs.story.Slug + "/comments", "email", comment},
	}
	for _, f := range forms {
		for i, d := range disguises {
			typed := "Qtyped" + strconv.Itoa(i) + "Paul" + d + "Martin"
			if f.field == "email" {
				typed = "qtyped" + strconv.Itoa(i) + "lea" + d + "@example.org"
			}
			if f.field == "url" {
				typed = "https://qtyped" + strconv.Itoa(i) + ".example/" + d + "x"
			}
			v, values := f.who, f.make(f.field, typed)
			if v == nil {
				v = guest()
				stamp := cs.form(v, cs.story)
				values.Set("stamp", stamp.Get("stamp"))
			}
			res, body := cs.do(v, http.MethodPost, f.path, values)
			page := html.UnescapeString(body)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "invisible or direction-changing character") ||
				!strings.Contains(page, typed) {
				t.Errorf("%s %s with U+%04X: %d, message or text missing", f.path, f.field, []rune(d)[0], res.StatusCode)
			}
		}
	}
}

// The joiners emoji and some scripts need are not disguises where they join.
func TestJoinersThatJoinAreAccepted(t *testing.T) {
	cs := newSite(t, withComments())
	reader := cs.signIn(cs.readers[0])
	for _, name := range []string{"Paul 👩‍💻", "Paul 👍🏽", "Paul 🏴󠁧󠁢󠁳󠁣󠁴󠁿", "می‌خواهم", "Paul ❤️"} {
		res, body := cs.do(reader, http.MethodPost, "/me", url.Values{"name": {name}, "handle": {"paul"}})
		wantCode(t, res, body, http.StatusSeeOther)
	}
}

// Names that pass for the site or its staff are refused to readers and
// guests, however they are spelled; an admin may use them.
func TestNamesThatMimicTheSiteAreReserved(t *testing.T) {
	cs := newSite(t, withComments())
	reader, admin := cs.signIn(cs.readers[0]), cs.signIn(cs.admin)
	names := []string{"admin", "Administrator", "ＡＤＭＩＮ", "Àdmïn", "a d m i n", "adm1n", "Admin team", "Modérateur",
		"MODERATOR", "deleted user", "Deleted-User", "dеleted usеr", "Doléances", "DOLEANCES officiel", "Dоléаnces", "Webmaster",
		"adrnin", "Ad\u200Dmin"}
	for _, name := range names {
		res, body := cs.do(reader, http.MethodPost, "/me", url.Values{"name": {name}, "handle": {"paul"}})
		if page := html.UnescapeString(body); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, name) {
			t.Errorf("display name %q: %d", name, res.StatusCode)
		}
		f := cs.form(guest(), cs.story)
		f.Set("name", name)
		f.Set("email", "x@example.org")
		f.Set("body", "Bonjour.")
		if res, _ := cs.do(guest(), http.MethodPost, "/stories/"+cs.story.Slug+"/comments", f); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("guest name %q: %d", name, res.StatusCode)
		}
	}
	for _, handle := range []string{"admin", "admin-2", "site-admin", "deleted-user", "doleances", "moderator", "adm1n"} {
		res, _ := cs.do(reader, http.MethodPost, "/me", url.Values{"name": {"Paul"}, "handle": {handle}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("handle %q: %d", handle, res.StatusCode)
		}
	}
	for _, name := range []string{"Badminton Bob", "Paul Martin", "Modernes Temps", "Dominique"} {
		res, body := cs.do(reader, http.MethodPost, "/me", url.Values{"name": {name}, "handle": {"paul"}})
		wantCode(t, res, body, http.StatusSeeOther)
	}
	res, body := cs.do(admin, http.MethodPost, "/me", url.Values{"name": {"Admin"}, "handle": {"admin"}})
	wantCode(t, res, body, http.StatusSeeOther)
	u, err := cs.store.SignInWithIdentity(context.Background(), models.IdentityInput{Provider: "github", ProviderUserID: "66",
		Name: "Admin\u202E", Nick: "admin"})
	check(t, err)
	if u.Name != "Reader" || strings.Contains(u.Handle, "admin") {
		t.Errorf("a provider's reserved name became %q @%s", u.Name, u.Handle)
	}
}

// The deleted-user account is listed nowhere and cannot be given a role.
func TestDeletedUserIsNotListedNorPromotable(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	admin, ines := cs.signIn(cs.admin), cs.readers[1]
	_, err := cs.store.CreateStory(ctx, models.StoryInput{Title: "Gardée après départ", Body: "Texte.", AuthorID: ines.ID, Status: models.StatusPublished})
	check(t, err)
	check(t, cs.store.DeleteUser(ctx, ines.ID, true))
	ghost, err := cs.store.UserByHandle(ctx, models.DeletedUserHandle)
	check(t, err)
	_, users := cs.get(admin, "/admin/users")
	if strings.Contains(users, "@"+models.DeletedUserHandle) || !strings.Contains(users, "@paul") {
		t.Error("/admin/users lists the deleted-user account (or not the others)")
	}
	_, sitemap := cs.get(nil, "/sitemap.xml")
	for n := 1; strings.Contains(sitemap, "sitemap-") && n < 3; n++ {
		_, part := cs.get(nil, "/sitemap-"+strconv.Itoa(n)+".xml")
		sitemap += part
	}
	if strings.Contains(sitemap, "/author/"+models.DeletedUserHandle) || !strings.Contains(sitemap, "/author/margot") {
		t.Error("the sitemap lists the deleted-user author page (or not the others)")
	}
	for _, role := range []string{models.RoleAdmin, models.RoleAuthor} {
		res, body := cs.do(admin, http.MethodPost, "/admin/users/"+strconv.FormatUint(uint64(ghost.ID), 10)+"/role", url.Values{"role": {role}})
		wantCode(t, res, body, http.StatusUnprocessableEntity)
	}
	if u, _ := cs.store.UserByHandle(ctx, models.DeletedUserHandle); u.Role != models.RoleReader {
		t.Errorf("the deleted-user account became %s", u.Role)
	}
}

// Two categories cannot have names that read the same.
func TestCategoryNamesAreUnique(t *testing.T) {
	cs := newSite(t, withComments()) // has "Telecom"
	admin := cs.signIn(cs.admin)
	for _, name := range []string{"Telecom", "TÉLÉCOM", " telecom ", "Ｔｅｌｅｃｏｍ"} {
		res, body := cs.do(admin, http.MethodPost, "/admin/categories", url.Values{"name": {name}})
		if page := html.UnescapeString(body); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `"Telecom" has this name already`) {
			t.Errorf("a second category %q: %d", name, res.StatusCode)
		}
	}
	res, body := cs.do(admin, http.MethodPost, "/admin/categories", url.Values{"name": {"Banques"}})
	wantCode(t, res, body, http.StatusSeeOther)
	cats, err := cs.store.Categories(context.Background())
	check(t, err)
	var bank uint
	for _, c := range cats {
		if c.Name == "Banques" {
			bank = c.ID
		}
	}
	res, body = cs.do(admin, http.MethodPost, "/admin/categories/"+strconv.FormatUint(uint64(bank), 10), url.Values{"name": {"télécom"}, "slug": {"banques"}})
	wantCode(t, res, body, http.StatusUnprocessableEntity)
	res, body = cs.do(admin, http.MethodPost, "/admin/categories/"+strconv.FormatUint(uint64(bank), 10), url.Values{"name": {"Banques et assurances"}, "slug": {"banques"}})
	wantCode(t, res, body, http.StatusSeeOther)
}
