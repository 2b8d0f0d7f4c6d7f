// Package handlers turns HTTP requests into calls on the store and rendered
// pages. Each area has a struct holding its dependencies as small interfaces;
// Routes lists every route of the site.
package handlers

import (
	"cmp"
	"io"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"doleances/handlers/i18n"
	"doleances/models"
	"doleances/models/media"
)

// Renderer executes a page template, or a partial alone, with its data.
type Renderer interface {
	Render(w io.Writer, lang, page string, data any) error
	Partial(w io.Writer, lang, name string, data any) error
}

// Site is what every page says about the site itself.
type Site struct {
	Name    string
	Tagline string
	BaseURL string // without a trailing slash
	// Zone is the time zone dates are written in (the app sets it; nil: UTC).
	Zone *time.Location
}

// zone is the site's time zone.
func (s Site) zone() *time.Location {
	if s.Zone == nil {
		return time.UTC
	}
	return s.Zone
}

// Deps are the dependencies of the handlers.
type Deps struct {
	Store *models.Store
	// Media holds the picture files.
	Media media.Storage
	Views Renderer
	// Langs are the site's languages; nil: English alone.
	Langs *i18n.Bundle
	Log   *slog.Logger
	Now   func() time.Time
	Site  Site
	Auth  AuthConfig
	// SitemapLimit is the most URLs in one sitemap file; 0 means SitemapLimit.
	SitemapLimit int
	Comments     CommentSettings
	Limits       Limits
	Mail         MailSettings
	// PageCacheBytes is the memory budget of the rendered-page cache; 0
	// means PageCacheBytes.
	PageCacheBytes int
	// RequestTimeout is the deadline of a request's work; 0 means RequestTimeout.
	RequestTimeout time.Duration
	// Headers sets the headers of every response (security headers).
	Headers fiber.Handler
	// Assets serves /static/*; nil: no static files.
	Assets fiber.Handler
	// Extra adds routes before the site's own, under the outer middleware
	// only (tests add a handler that panics).
	Extra func(fiber.Router)
}

// Limits are the per-IP limits and how the client's address is found.
type Limits struct {
	SearchRate     int            // searches (pages and feeds) per minute per IP address; 0: no limit
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For is believed
}

// PreviewsPerPost is how many live previews a minute are allowed per form
// post allowed: previews are sent at each pause in the typing.
const PreviewsPerPost = 4

// CommentSettings tune commenting and its defences.
type CommentSettings struct {
	HoldWords []string // words that hold a comment for moderation
	PostRate  int      // POSTs per minute per IP address; 0: no limit
	FormKey   []byte   // signs the comment form's stamp; nil: a random key
}

// Routes registers every route of the site on app, with the middleware of
// every request, and returns them with who may use each.
func Routes(app *fiber.App, d Deps) []Route {
	p := &pages{store: newSidebarMemo(d.Store, d.Views, d.Store.Generation), views: d.Views, site: d.Site, langs: d.Langs}
	cache := newPageCache(d.Store.Generation, d.Now, cmp.Or(d.PageCacheBytes, PageCacheBytes))
	stamps := &stamper{key: d.Comments.FormKey, now: d.Now}
	if stamps.key == nil {
		stamps.key = []byte(models.NewGuestToken())
	}
	r := &reading{pages: p, store: newReadingMemo(d.Store, d.Store.Generation), stamps: stamps,
		heads:  newMemo[commentKey, keptComment](d.Store.Generation, 8*memoEntries),
		parts:  newMemo[storyLang, KeptStory](d.Store.Generation, memoTexts),
		shells: newMemo[shellKey, *storyShell](d.Store.Generation, memoTexts),
		lists:  newMemo[storyLang, []string](d.Store.Generation, memoTexts),
		menus:  newMemo[menuKey, []string](d.Store.Generation, memoEntries)}
	fd := &feeds{store: d.Store, site: d.Site, now: d.Now, siteLang: "en"}
	if d.Langs != nil {
		fd.siteLang = d.Langs.Default().Code
	}
	sr := &search{pages: p, store: d.Store, feeds: fd, limit: newIPLimiter("search", d.Limits.SearchRate, d.Store, d.Now)}
	m := &machines{store: d.Store, site: d.Site, limit: cmp.Or(d.SitemapLimit, SitemapLimit)}
	a := newAuth(p, d)
	rt := &router{app: app}
	pub := rt.anyone()

	// The middleware of every request, in the order it runs. The request id
	// comes first, so that everything logged carries it; the deadline
	// before anything that reads the store; Recover inside the deadline,
	// so that the 500 page of a panic is rendered within it too.
	app.Use(OwnRequestID(d.Limits.TrustedProxies), requestid.New(requestid.Config{Generator: NewRequestID}), requestContext(cmp.Or(d.RequestTimeout, RequestTimeout)),
		Recover(d.Log))
	if d.Headers != nil {
		app.Use(d.Headers)
	}
	if d.Assets != nil {
		pub.get("/static/*", d.Assets) // no session, no limits: files are the same for everyone
	}
	if d.Extra != nil {
		d.Extra(app)
	}
	app.Use(realIP(d.Limits.TrustedProxies), limitBodies)
	if d.Langs != nil {
		app.Use(languages(d.Langs))
	}
	app.Use(a.loadSession, a.guard, a.limitPosts(newIPLimiter("posts", d.Comments.PostRate, d.Store, d.Now), newIPLimiter("previews", PreviewsPerPost*d.Comments.PostRate, d.Store, d.Now)))
	pub.get("/healthz", health(d.Store))
	pics := newPictures(d.Store, d.Media, d.Log, d.Now)
	a.pics = pics
	pub.get("/media/:name/:file", pics.serve) // public pictures to all; the others to their uploader and admins
	rt.signedIn(pics.signInFirst).post("/media", pics.upload)
	app.Use(conditional(d.Store, cache, d.Now))
	app.Use(legacyLinks(d.Store))

	pub.get("/", cached(r.front))
	pub.get("/page/:n", cached(r.front))
	pub.get("/stories/:slug", cached(r.story))
	pub.get("/stories/:slug/share/mastodon", r.shareMastodon)
	pub.post("/stories/:slug/read", r.countRead)
	pub.get("/category/:slug", cached(r.category))
	pub.get("/category/:slug/page/:n", cached(r.category))
	pub.get("/tag/:slug", cached(r.tag))
	pub.get("/tag/:slug/page/:n", cached(r.tag))
	pub.get("/author/:handle", cached(r.author))
	pub.get("/author/:handle/page/:n", cached(r.author))
	pub.get("/company/:slug", cached(r.company, "sort=metoo"))
	pub.get("/company/:slug/page/:n", cached(r.company, "sort=metoo"))
	pub.get("/archive/:year/:month", cached(r.archive))
	pub.get("/archive/:year/:month/page/:n", cached(r.archive))
	pub.get("/search", cachedPopular(sr.page))
	pub.get("/feeds", cached(p.feedList))
	co := &companies{pages: p, store: d.Store, now: d.Now}
	pub.get("/companies", cached(co.list, companySorts()...))

	// Feeds: RSS 2.0 at .../feed, Atom at .../feed/atom.
	pub.get("/feed", cached(fd.rss(fd.front)))
	pub.get("/feed/atom", cached(fd.atom(fd.front)))
	pub.get("/category/:slug/feed", cached(fd.rss(fd.category)))
	pub.get("/category/:slug/feed/atom", cached(fd.atom(fd.category)))
	pub.get("/tag/:slug/feed", cached(fd.rss(fd.tagged)))
	pub.get("/tag/:slug/feed/atom", cached(fd.atom(fd.tagged)))
	pub.get("/author/:handle/feed", cached(fd.rss(fd.author)))
	pub.get("/author/:handle/feed/atom", cached(fd.atom(fd.author)))
	pub.get("/company/:slug/feed", cached(fd.rss(fd.company)))
	pub.get("/company/:slug/feed/atom", cached(fd.atom(fd.company)))
	pub.get("/comments/feed", cached(fd.rss(fd.allComments)))
	pub.get("/comments/feed/atom", cached(fd.atom(fd.allComments)))
	pub.get("/stories/:slug/feed", cached(fd.rss(fd.storyComments)))
	pub.get("/stories/:slug/feed/atom", cached(fd.atom(fd.storyComments)))
	pub.get("/search/feed", fd.rss(sr.feed))
	pub.get("/search/feed/atom", fd.atom(sr.feed))

	pub.get("/sitemap.xml", cached(m.sitemap))
	pub.get("/sitemap-:n.xml", cached(m.part))
	pub.get("/robots.txt", cached(m.robots))

	pub.get("/login", a.login)
	pub.get("/auth/:provider", a.begin)
	rt.signedIn(signIn(a.backToLink)).post("/auth/:provider", a.beginLink)
	pub.get("/auth/:provider/callback", a.callback)
	pub.post("/logout", a.logout) // signing out without a session changes nothing
	if d.Langs != nil {
		pub.post("/lang", chooseLanguage(d.Langs, d.Auth.SecureCookies)) // a cookie, no row
	}
	pub.get("/setup/:token", a.setupForm)
	pub.post("/setup/:token", a.setup)
	pub.get("/signin/:token", a.linkForm)
	pub.post("/signin/:token", a.linkSignIn)
	rt.signedIn(signIn(backHere)).get("/me", a.me)
	account := rt.signedIn(pleaseSignIn)
	account.post("/me", a.saveProfile)
	account.post("/me/identities/:id/unlink", a.unlink)
	account.post("/me/sessions/delete", a.signOutEverywhere)
	account.post("/me/delete", a.deleteAccount)
	account.post("/me/avatar", a.setAvatar)
	account.post("/me/about", a.saveAbout)
	account.post("/me/notices/:id/appeal", a.appeal)

	em := &email{auth: a, store: d.Store, mailer: d.Mail.Mailer, unsubKey: d.Mail.UnsubscribeKey,
		limit: newIPLimiter("mail", cmp.Or(d.Mail.RatePerMinute, MailRate), d.Store, d.Now)}
	// Mailed links work for whoever holds them; following asks for an address.
	pub.post("/login/email", em.requestLink)
	pub.get("/login/email/:token", em.linkForm)
	pub.post("/login/email/:token", em.signIn)
	pub.get("/email/confirm/:token", em.confirmForm)
	pub.post("/email/confirm/:token", em.confirm)
	pub.get("/unsubscribe/:token", em.unsubscribeForm)
	pub.post("/unsubscribe/:token", em.unsubscribe)
	account.post("/me/email", em.addAddress)
	account.post("/company/:slug/claim", em.claim)
	pub.get("/claim/:token", em.claimForm)
	pub.post("/claim/:token", em.confirmClaim)
	account.post("/me/mail", em.mailPreferences)
	account.post("/me/follows/:id/delete", em.endFollow)
	admins := rt.admins()
	admins.get("/admin/outbox", em.outbox)
	pub.post("/follow", em.follow(models.FollowSite, ""))
	pub.post("/category/:slug/follow", em.follow(models.FollowCategory, "slug"))
	pub.post("/tag/:slug/follow", em.follow(models.FollowTag, "slug"))
	pub.post("/author/:handle/follow", em.follow(models.FollowAuthor, "handle"))
	pub.post("/company/:slug/follow", em.follow(models.FollowCompany, "slug"))
	pub.post("/stories/:slug/follow", em.follow(models.FollowStory, "slug"))

	w := &writing{pages: p, store: d.Store, pics: pics}
	pagesOf := rt.signedIn(signIn(backHere))
	pagesOf.get("/write", w.newStory)
	pagesOf.get("/me/stories", w.myStories)
	pagesOf.stories(w.store.StoryForEditBySlug).get("/stories/:slug/edit", w.editStory)
	editor := rt.signedIn(w.signedOut)
	editor.post("/write", w.createStory)
	editor.stories(w.store.StoryForEditBySlug).post("/stories/:slug/edit", w.updateStory)
	rt.signedIn(unauthorized).post("/preview", w.preview)
	rt.signedIn(unauthorized).post("/write/autosave", w.autosaveNew)
	rt.signedIn(unauthorized).stories(w.store.StoryForEditBySlug).post("/stories/:slug/autosave", w.autosave)
	own := rt.signedIn(notFound).stories(w.store.StoryForEditBySlug)
	own.post("/stories/:slug/publish", w.publish)
	own.post("/stories/:slug/unpublish", w.unpublish)
	own.get("/stories/:slug/delete", w.confirmDelete)
	own.post("/stories/:slug/delete", w.deleteStory)
	own.post("/stories/:slug/updates", w.addUpdate)
	own.get("/stories/:slug/history", w.history)

	cr := &companyReplies{reading: r, store: d.Store}
	// Representatives of the story's company reply; the store checks who they are.
	reps := rt.signedIn(cr.signedOut)
	reps.post("/stories/:slug/company-reply", cr.post)
	reps.post("/stories/:slug/company-reply/follow-ups", cr.followUp)
	own.post("/stories/:slug/resolution", cr.setResolution)
	rt.signedIn(signIn(backToReported)).post("/company-replies/:id/report", cr.report)
	rt.admins().post("/admin/company-replies/:id/delete", cr.remove)

	ad := &admin{pages: p, store: d.Store}
	admins.get("/admin", ad.page)
	admins.get("/admin/users", ad.section("users"))
	admins.get("/admin/categories", ad.section("categories"))
	admins.get("/admin/companies", ad.section("companies"))
	admins.post("/admin/stories/:id/approve", ad.approve)
	admins.post("/admin/stories/:id/send-back", ad.sendBack)
	admins.post("/admin/users/:id/role", ad.setRole)
	admins.post("/admin/categories", ad.createCategory)
	admins.post("/admin/categories/:id", ad.updateCategory)
	admins.post("/admin/categories/:id/delete", ad.deleteCategory)
	admins.post("/admin/companies/merge", ad.mergeCompanies)
	ca := &companyAdmin{pages: p, store: d.Store}
	admins.get("/admin/companies/:id", ca.page)
	admins.post("/admin/companies/:id", ca.save)
	admins.post("/admin/companies/:id/representatives", ca.addRepresentative)
	admins.post("/admin/companies/:id/representatives/:user/delete", ca.removeRepresentative)
	imp := &imports{pages: p, store: d.Store, log: d.Log, now: d.Now}
	admins.get("/admin/import", imp.page)
	admins.post("/admin/import", imp.upload)

	rules := models.ModerationRules{HoldWords: d.Comments.HoldWords}
	cm := &comments{reading: r, store: d.Store, ids: newStoryIDs(d.Store.PublishedStoryID, d.Store.Generation, d.Now),
		rules: rules, secure: strings.HasPrefix(d.Site.BaseURL, "https://"), mail: em}
	rx := &reactions{store: d.Store, secure: cm.secure}
	oc := &ownComments{pages: r.pages, store: d.Store, rules: rules, now: d.Now}
	mod := &moderation{pages: r.pages, store: d.Store}

	pub.post("/stories/:slug/comments", cm.post) // guests comment too
	readers := rt.signedIn(signIn(rx.backToStory))
	readers.post("/stories/:slug/comments/close", rx.closeComments)
	reacting := rt.signedIn(rx.guestPressed) // a guest comes back with the reaction offered
	reacting.post("/stories/:slug/like", rx.like)
	reacting.post("/stories/:slug/metoo", rx.metoo)
	readers.post("/stories/:slug/report", rx.reportStory)
	writers := rt.signedIn(signIn(backToComment))
	writers.get("/comments/:id/edit", oc.editForm)
	writers.post("/comments/:id/edit", oc.edit)
	writers.post("/comments/:id/delete", oc.remove)
	rt.signedIn(signIn(backToReported)).post("/comments/:id/report", oc.report)
	// Authors moderate the comments under their stories; the store shows
	// each person what they may moderate, and tells others no.
	rt.signedIn(signIn(backHereAsked)).get("/admin/comments", mod.queue)
	rt.signedIn(signIn(backTo("/admin/comments"))).post("/admin/comments", mod.act)
	reports := rt.signedIn(signIn(backTo("/admin/reports")))
	reports.get("/admin/reports", mod.reports)
	reports.post("/admin/reports/:id/resolve", mod.resolve)

	safetyRoutes(rt, p, d)

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	return rt.routes
}
