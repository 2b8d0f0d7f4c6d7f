package app

import (
	"fmt"
	"net/http"
	"net/url"

	"doleances/handlers"
	"doleances/models"
)

// The actors of the authorization table. "owner" wrote the story, the
// draft, the comment and the identity the routes act on; "author" is
// another author.
var authzActors = []string{"guest", "reader", "author", "owner", "admin"}

const signedIn = "reader author owner admin"

// authzRule says who may use a state-changing route, on what, with what form.
type authzRule struct {
	allowed string // the actors that may, space-separated
	path    func(f *authzFixture) string
	form    func(f *authzFixture, actor string) url.Values
	inert   bool   // allowed, but changes no row (a preview)
	file    string // the field of a picture sent with the form, as multipart
}

// authzTable is every state-changing route of the site. A route missing
// from it fails TestAuthorizationTable, so a new route is covered by default.
var authzTable = map[string]authzRule{
	"POST /auth/:provider": {allowed: signedIn, path: fixed("/auth/github")},
	"POST /logout":         {allowed: signedIn, path: fixed("/logout")},
	"POST /lang":           {allowed: "guest " + signedIn, path: fixed("/lang"), form: values("lang", "fr", "next", "/"), inert: true},
	// The site has an admin, so its setup link does nothing for anyone.
	"POST /setup/:token": {allowed: "", path: func(f *authzFixture) string { return "/setup/" + f.setup },
		form: values("name", "Usurper")},
	// Whoever holds a sign-in link signs in with it.
	"POST /signin/:token": {allowed: "guest " + signedIn, path: func(f *authzFixture) string { return "/signin/" + f.signin }},
	"POST /me": {allowed: signedIn, path: fixed("/me"), form: func(f *authzFixture, actor string) url.Values {
		return url.Values{"name": {"A New Name"}, "handle": {f.handle(actor)}}
	}},
	"POST /me/identities/:id/unlink": {allowed: "owner", path: func(f *authzFixture) string {
		return fmt.Sprintf("/me/identities/%d/unlink", f.identity)
	}},
	"POST /me/sessions/delete": {allowed: signedIn, path: fixed("/me/sessions/delete")},
	"POST /me/delete":          {allowed: signedIn, path: fixed("/me/delete"), form: values("content", "keep", "confirm", "yes")},
	"POST /write": {allowed: signedIn, path: fixed("/write"), form: func(f *authzFixture, _ string) url.Values {
		return url.Values{"title": {"A new story"}, "body": {"It happened."}, "categories": {fmt.Sprint(f.category)}, "resolution": {"open"}}
	}},
	"POST /media":                 {allowed: signedIn, path: fixed("/media"), file: "file", form: values("alt", "A square")},
	"POST /me/avatar":             {allowed: signedIn, path: fixed("/me/avatar"), file: "avatar"},
	"POST /me/about":              {allowed: signedIn, path: fixed("/me/about"), form: values("bio", "Expat in Lyon.", "links", "https://example.org/")},
	"POST /preview":               {allowed: signedIn, path: fixed("/preview"), form: values("body", "*Hello*"), inert: true},
	"POST /stories/:slug/edit":    {allowed: "owner admin", path: story("edit"), form: authzStoryForm},
	"POST /stories/:slug/publish": {allowed: "owner admin", path: func(f *authzFixture) string { return "/stories/" + f.draft.Slug + "/publish" }},
	"POST /write/autosave":        {allowed: signedIn, path: fixed("/write/autosave"), form: values("title", "Typing", "body", "Half")},
	"POST /stories/:slug/autosave": {allowed: "owner admin", path: func(f *authzFixture) string { return "/stories/" + f.draft.Slug + "/autosave" },
		form: values("title", "Typing", "body", "Half")},
	"POST /stories/:slug/unpublish": {allowed: "owner admin", path: story("unpublish")},
	"POST /stories/:slug/delete":    {allowed: "owner admin", path: story("delete"), form: values("confirm", "yes")},
	"POST /stories/:slug/updates": {allowed: "owner admin", path: story("updates"),
		form: values("body", "They called back.", "resolution", "resolved")},
	"POST /admin/stories/:id/approve": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/stories/%d/approve", f.review.ID)
	}},
	"POST /admin/stories/:id/send-back": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/stories/%d/send-back", f.review.ID)
	}, form: values("note", "Say which shop, please.")},
	"POST /admin/users/:id/role": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/users/%d/role", f.users["reader"].ID)
	}, form: values("role", models.RoleAdmin)},
	"POST /admin/categories": {allowed: "admin", path: fixed("/admin/categories"), form: values("name", "Banks")},
	"POST /admin/categories/:id": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/categories/%d", f.category)
	}, form: values("name", "Telecoms")},
	"POST /admin/categories/:id/delete": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/categories/%d/delete", f.category)
	}, form: values("confirm", "yes")},
	"POST /admin/companies/merge": {allowed: "admin", path: fixed("/admin/companies/merge"), form: func(f *authzFixture, _ string) url.Values {
		return url.Values{"from": {fmt.Sprint(f.from)}, "into": {fmt.Sprint(f.into)}, "confirm": {"yes"}}
	}},
	"POST /admin/import": {allowed: "admin", path: fixed("/admin/import"), form: values(uploadField, blogExport)},
	// Guests comment too (held for moderation, but saved).
	"POST /stories/:slug/comments": {allowed: "guest " + signedIn, path: story("comments"), form: func(f *authzFixture, actor string) url.Values {
		v := f.cs.form(f.visitor(actor), f.cs.story)
		v.Set("body", "Same here.")
		v.Set("name", "Visitor")
		v.Set("email", "visitor@example.org")
		return v
	}},
	"POST /stories/:slug/comments/close": {allowed: "owner admin", path: story("comments/close"), form: values("closed", "1")},
	// Readers' browsers count reads without cookies; signed-in or not, a read counts.
	"POST /stories/:slug/read":   {allowed: "guest " + signedIn, path: story("read")},
	"POST /stories/:slug/like":   {allowed: signedIn, path: story("like"), form: values("on", "1")},
	"POST /stories/:slug/metoo":  {allowed: signedIn, path: story("metoo"), form: values("on", "1")},
	"POST /stories/:slug/report": {allowed: signedIn, path: story("report"), form: values("reason", "spam")},
	// Only representatives of the story's company reply ("author" represents it).
	"POST /stories/:slug/company-reply": {allowed: "author", path: story("company-reply"), form: values("kind", "act", "body", "We will call you.")},
	"POST /stories/:slug/company-reply/follow-ups": {allowed: "author", path: func(f *authzFixture) string {
		return "/stories/" + f.cs.other.Slug + "/company-reply/follow-ups"
	}, form: values("body", "We called.")},
	"POST /company-replies/:id/report": {allowed: signedIn, path: func(f *authzFixture) string {
		return fmt.Sprintf("/company-replies/%d/report", f.reply)
	}, form: func(f *authzFixture, _ string) url.Values {
		return url.Values{"reason": {"abuse"}, "slug": {f.cs.other.Slug}}
	}},
	"POST /admin/company-replies/:id/delete": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/company-replies/%d/delete", f.reply)
	}},
	"POST /admin/companies/:id": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/companies/%d", f.sfr)
	}, form: values("name", "SFR Mobile", "website", "sfr.fr", "domains", "sfr.fr")},
	"POST /admin/companies/:id/representatives": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/companies/%d/representatives", f.sfr)
	}, form: func(f *authzFixture, _ string) url.Values { return url.Values{"handle": {f.users["reader"].Handle}} }},
	"POST /admin/companies/:id/representatives/:user/delete": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/companies/%d/representatives/%d/delete", f.sfr, f.users["author"].ID)
	}},
	"POST /stories/:slug/resolution": {allowed: "owner admin", path: story("resolution"), form: values("resolution", "resolved")},
	"POST /comments/:id/edit":        {allowed: "owner", path: comment("edit"), form: values("body", "Edited.")},
	"POST /comments/:id/delete":      {allowed: "owner", path: comment("delete"), form: values("confirm", "yes")},
	"POST /comments/:id/report": {allowed: signedIn, path: comment("report"), form: func(f *authzFixture, _ string) url.Values {
		return url.Values{"reason": {"spam"}, "slug": {f.cs.story.Slug}}
	}},
	// The owner moderates the comments under their own story.
	"POST /admin/comments": {allowed: "owner admin", path: fixed("/admin/comments"), form: func(f *authzFixture, _ string) url.Values {
		return url.Values{"one": {fmt.Sprintf("spam:%d", f.comment.ID)}}
	}},
	"POST /admin/reports/:id/resolve": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/reports/%d/resolve", f.report)
	}},
	// Anyone may send a notice, signed in or not.
	"POST /notice": {allowed: "guest " + signedIn, path: fixed("/notice"), form: func(f *authzFixture, _ string) url.Values {
		return url.Values{"url": {"/stories/" + f.cs.story.Slug}, "reason": {models.NoticeHate}, "explanation": {"Hateful."},
			"name": {"Paul"}, "email": {"paul@example.org"}, "good_faith": {"1"}}
	}},
	"POST /admin/notices/:id/decide": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/notices/%d/decide", f.notice)
	}, form: values("decision", models.DecisionKeep, "reasons", "An opinion.")},
	"POST /admin/notices/:id/appeal": {allowed: "admin", path: func(f *authzFixture) string {
		return fmt.Sprintf("/admin/notices/%d/appeal", f.appealed)
	}, form: values("outcome", models.AppealUpheld, "reasons", "Still defamatory.")},
	// Only the author of the content decided on may appeal.
	"POST /me/notices/:id/appeal": {allowed: "owner", path: func(f *authzFixture) string {
		return fmt.Sprintf("/me/notices/%d/appeal", f.decided)
	}, form: values("appeal", "It is true: here is the court's judgment.")},
	"POST /admin/legal/:slug": {allowed: "admin", path: fixed("/admin/legal/terms"), form: values("title", "Terms", "body", "Be nice.")},
	// Mail: anyone may ask for a link, use one, follow or unsubscribe.
	"POST /login/email": {allowed: "guest " + signedIn, path: fixed("/login/email"), form: values("email", "someone@example.org")},
	"POST /login/email/:token": {allowed: "guest " + signedIn, path: func(f *authzFixture) string {
		return "/login/email/" + f.emailLink
	}},
	"POST /email/confirm/:token": {allowed: "guest " + signedIn, path: func(f *authzFixture) string {
		return "/email/confirm/" + f.confirm
	}},
	"POST /unsubscribe/:token": {allowed: "guest " + signedIn, path: func(f *authzFixture) string {
		return "/unsubscribe/" + f.unsub
	}},
	"POST /me/email": {allowed: signedIn, path: fixed("/me/email"), form: values("email", "second@example.org")},
	"POST /me/mail":  {allowed: signedIn, path: fixed("/me/mail"), form: values("comments", "1")},
	"POST /me/follows/:id/delete": {allowed: "owner", path: func(f *authzFixture) string {
		return fmt.Sprintf("/me/follows/%d/delete", f.follow)
	}},
	"POST /follow":                {allowed: "guest " + signedIn, path: fixed("/follow"), form: values("email", "fan@example.org")},
	"POST /category/:slug/follow": {allowed: "guest " + signedIn, path: follow("category"), form: values("email", "fan@example.org")},
	"POST /tag/:slug/follow":      {allowed: "guest " + signedIn, path: follow("tag"), form: values("email", "fan@example.org")},
	"POST /author/:handle/follow": {allowed: "guest " + signedIn, path: follow("author"), form: values("email", "fan@example.org")},
	"POST /company/:slug/follow":  {allowed: "guest " + signedIn, path: follow("company"), form: values("email", "fan@example.org")},
	"POST /stories/:slug/follow":  {allowed: "guest " + signedIn, path: story("follow"), form: values("email", "fan@example.org")},
	// The company has no email domain: no one may claim it (TestCompanyClaim
	// checks those who may); a forged claim link does nothing.
	"POST /company/:slug/claim": {allowed: "", path: func(f *authzFixture) string { return "/company/" + f.slugs["company"] + "/claim" }},
	"POST /claim/:token":        {allowed: "", path: fixed("/claim/forged-token")},
}

func follow(kind string) func(*authzFixture) string {
	return func(f *authzFixture) string { return "/" + kind + "/" + f.slugs[kind] + "/follow" }
}

func fixed(p string) func(*authzFixture) string { return func(*authzFixture) string { return p } }

func story(action string) func(*authzFixture) string {
	return func(f *authzFixture) string { return "/stories/" + f.cs.story.Slug + "/" + action }
}

func comment(action string) func(*authzFixture) string {
	return func(f *authzFixture) string { return fmt.Sprintf("/comments/%d/%s", f.comment.ID, action) }
}

func values(kv ...string) func(*authzFixture, string) url.Values {
	return func(*authzFixture, string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
}

func authzStoryForm(f *authzFixture, _ string) url.Values {
	return url.Values{"title": {"Résilier chez Orange, edited"}, "body": {"It happened again."},
		"categories": {fmt.Sprint(f.category)}, "resolution": {"open"}}
}

// pageRule says what each actor gets from a page that is not for everyone:
// the allowed actors a 200, a guest guest (a 303 is to the sign-in page,
// which brings them back to the page), every other actor others.
type pageRule struct {
	access  handlers.Access
	path    func(f *authzFixture) string
	allowed string
	guest   int
	others  int
}

// authzPages is every page (GET) that is not for everyone. A GET route
// registered with another Access than Anyone and missing from it fails
// TestPagesRefuseAsTheirGroupSays.
var authzPages = map[string]pageRule{
	"GET /me":         {access: handlers.SignedIn, path: fixed("/me"), allowed: signedIn, guest: http.StatusSeeOther},
	"GET /write":      {access: handlers.SignedIn, path: fixed("/write"), allowed: signedIn, guest: http.StatusSeeOther},
	"GET /me/stories": {access: handlers.SignedIn, path: fixed("/me/stories"), allowed: signedIn, guest: http.StatusSeeOther},
	"GET /stories/:slug/edit": {access: handlers.StoryEditor, path: story("edit"), allowed: "owner admin",
		guest: http.StatusSeeOther, others: http.StatusNotFound},
	"GET /stories/:slug/delete": {access: handlers.StoryEditor, path: story("delete"), allowed: "owner admin",
		guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /stories/:slug/history": {access: handlers.StoryEditor, path: story("history"), allowed: "owner admin",
		guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /comments/:id/edit": {access: handlers.SignedIn, path: comment("edit"), allowed: "owner",
		guest: http.StatusSeeOther, others: http.StatusForbidden},
	// Authors moderate the comments under their stories; readers may not.
	"GET /admin/comments": {access: handlers.SignedIn, path: fixed("/admin/comments?status=spam"), allowed: "author owner admin",
		guest: http.StatusSeeOther, others: http.StatusForbidden},
	"GET /admin/reports": {access: handlers.SignedIn, path: fixed("/admin/reports"), allowed: "admin",
		guest: http.StatusSeeOther, others: http.StatusForbidden},
	"GET /admin/companies/:id": {access: handlers.Admin, path: func(f *authzFixture) string { return fmt.Sprintf("/admin/companies/%d", f.sfr) },
		allowed: "admin", guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /admin":            {access: handlers.Admin, path: fixed("/admin"), allowed: "admin", guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /admin/users":      {access: handlers.Admin, path: fixed("/admin/users"), allowed: "admin", guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /admin/categories": {access: handlers.Admin, path: fixed("/admin/categories"), allowed: "admin", guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /admin/companies":  {access: handlers.Admin, path: fixed("/admin/companies"), allowed: "admin", guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /admin/import":     {access: handlers.Admin, path: fixed("/admin/import"), allowed: "admin", guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /admin/outbox":     {access: handlers.Admin, path: fixed("/admin/outbox"), allowed: "admin", guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /admin/notices":    {access: handlers.Admin, path: fixed("/admin/notices"), allowed: "admin", guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /admin/notices/:id": {access: handlers.Admin, path: func(f *authzFixture) string { return fmt.Sprintf("/admin/notices/%d", f.notice) },
		allowed: "admin", guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /admin/audit":       {access: handlers.Admin, path: fixed("/admin/audit"), allowed: "admin", guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /admin/legal/:slug": {access: handlers.Admin, path: fixed("/admin/legal/privacy"), allowed: "admin", guest: http.StatusNotFound, others: http.StatusNotFound},
	"GET /me/export":         {access: handlers.SignedIn, path: fixed("/me/export"), allowed: signedIn, guest: http.StatusSeeOther},
}
