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

	"doleances/models"
	"doleances/models/media"
)

// Renderer executes a page template, or a partial alone, with its data.
type Renderer interface {
	Render(w io.Writer, page string, data any) error
	Partial(w io.Writer, name string, data any) error
}

// Site is what every page says about the site itself.
type Site struct {
	Name    string
	Tagline string
	BaseURL string // without a trailing slash
}

// Deps are the dependencies of the handlers.
type Deps struct {
	Store *models.Store
	// Media holds the picture files.
	Media media.Storage
	Views Renderer
	Log   *slog.Logger
	Now   func() time.Time
	Site  Site
	Auth  AuthConfig
	// SitemapLimit is the most URLs in one sitemap file; 0 means SitemapLimit.
	SitemapLimit int
	Comments     CommentSettings
	Limits       Limits
	// PageCacheBytes is the memory budget of the rendered-page cache; 0
	// means PageCacheBytes.
	PageCacheBytes int
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

// Routes registers every route of the site on app.
func Routes(app *fiber.App, d Deps) {
	p := &pages{store: newSidebarMemo(d.Store, d.Views, d.Store.Generation), views: d.Views, site: d.Site}
	cache := newPageCache(d.Store.Generation, d.Now, cmp.Or(d.PageCacheBytes, PageCacheBytes))
	stamps := &stamper{key: d.Comments.FormKey, now: d.Now}
	if stamps.key == nil {
		stamps.key = []byte(models.NewGuestToken())
	}
	r := &reading{pages: p, store: newReadingMemo(d.Store, d.Store.Generation), stamps: stamps,
		heads: newMemo[uint, keptComment](d.Store.Generation, 8*memoEntries),
		parts: newMemo[*models.Story, KeptStory](d.Store.Generation, memoTexts)}
	fd := &feeds{store: d.Store, site: d.Site, now: d.Now}
	sr := &search{pages: p, store: d.Store, feeds: fd, limit: newIPLimiter(d.Limits.SearchRate, d.Now)}
	m := &machines{store: d.Store, site: d.Site, limit: cmp.Or(d.SitemapLimit, SitemapLimit)}

	a := newAuth(p, d)
	app.Use(realIP(d.Limits.TrustedProxies), limitBodies)
	app.Use(a.loadSession, a.guard, a.limitPosts(newIPLimiter(d.Comments.PostRate, d.Now), newIPLimiter(PreviewsPerPost*d.Comments.PostRate, d.Now)))

	app.Get("/healthz", health(d.Store))
	pics := newPictures(d.Store, d.Media, d.Log, d.Now)
	a.pics = pics
	app.Get("/media/:name/:file", pics.serve)
	app.Post("/media", pics.upload)
	app.Use(conditional(d.Store, cache, d.Now))

	app.Get("/", cached(r.front))
	app.Get("/page/:n", cached(r.front))
	app.Get("/stories/:slug", cached(r.story))
	app.Get("/category/:slug", cached(r.category))
	app.Get("/category/:slug/page/:n", cached(r.category))
	app.Get("/tag/:slug", cached(r.tag))
	app.Get("/tag/:slug/page/:n", cached(r.tag))
	app.Get("/author/:handle", cached(r.author))
	app.Get("/author/:handle/page/:n", cached(r.author))
	app.Get("/company/:slug", cached(r.company, "sort=metoo"))
	app.Get("/company/:slug/page/:n", cached(r.company, "sort=metoo"))
	app.Get("/archive/:year/:month", cached(r.archive))
	app.Get("/archive/:year/:month/page/:n", cached(r.archive))
	app.Get("/search", sr.page)
	app.Get("/feeds", cached(p.feedList))

	// Feeds: RSS 2.0 at .../feed, Atom at .../feed/atom.
	app.Get("/feed", cached(fd.rss(fd.front)))
	app.Get("/feed/atom", cached(fd.atom(fd.front)))
	app.Get("/category/:slug/feed", cached(fd.rss(fd.category)))
	app.Get("/category/:slug/feed/atom", cached(fd.atom(fd.category)))
	app.Get("/tag/:slug/feed", cached(fd.rss(fd.tagged)))
	app.Get("/tag/:slug/feed/atom", cached(fd.atom(fd.tagged)))
	app.Get("/author/:handle/feed", cached(fd.rss(fd.author)))
	app.Get("/author/:handle/feed/atom", cached(fd.atom(fd.author)))
	app.Get("/company/:slug/feed", cached(fd.rss(fd.company)))
	app.Get("/company/:slug/feed/atom", cached(fd.atom(fd.company)))
	app.Get("/comments/feed", cached(fd.rss(fd.allComments)))
	app.Get("/comments/feed/atom", cached(fd.atom(fd.allComments)))
	app.Get("/stories/:slug/feed", cached(fd.rss(fd.storyComments)))
	app.Get("/stories/:slug/feed/atom", cached(fd.atom(fd.storyComments)))
	app.Get("/search/feed", fd.rss(sr.feed))
	app.Get("/search/feed/atom", fd.atom(sr.feed))

	app.Get("/sitemap.xml", cached(m.sitemap))
	app.Get("/sitemap-:n.xml", cached(m.part))
	app.Get("/robots.txt", cached(m.robots))

	app.Get("/login", a.login)
	app.Get("/auth/:provider", a.begin)
	app.Post("/auth/:provider", a.beginLink)
	app.Get("/auth/:provider/callback", a.callback)
	app.Post("/logout", a.logout)
	app.Get("/setup/:token", a.setupForm)
	app.Post("/setup/:token", a.setup)
	app.Get("/signin/:token", a.linkForm)
	app.Post("/signin/:token", a.linkSignIn)
	app.Get("/me", a.me)
	app.Post("/me", a.saveProfile)
	app.Post("/me/identities/:id/unlink", a.unlink)
	app.Post("/me/sessions/delete", a.signOutEverywhere)
	app.Post("/me/delete", a.deleteAccount)
	app.Post("/me/avatar", a.setAvatar)

	w := &writing{pages: p, store: d.Store, pics: pics}
	app.Get("/write", w.newStory)
	app.Post("/write", w.createStory)
	app.Post("/preview", w.preview)
	app.Get("/me/stories", w.myStories)
	app.Get("/stories/:slug/edit", w.editStory)
	app.Post("/stories/:slug/edit", w.updateStory)
	app.Post("/stories/:slug/publish", w.publish)
	app.Post("/stories/:slug/unpublish", w.unpublish)
	app.Get("/stories/:slug/delete", w.confirmDelete)
	app.Post("/stories/:slug/delete", w.deleteStory)
	app.Post("/stories/:slug/updates", w.addUpdate)
	app.Get("/stories/:slug/history", w.history)

	ad := &admin{pages: p, store: d.Store}
	app.Get("/admin", ad.page)
	app.Post("/admin/stories/:id/approve", ad.approve)
	app.Post("/admin/stories/:id/send-back", ad.sendBack)
	app.Post("/admin/users/:id/role", ad.setRole)
	app.Post("/admin/categories", ad.createCategory)
	app.Post("/admin/categories/:id", ad.updateCategory)
	app.Post("/admin/categories/:id/delete", ad.deleteCategory)
	app.Post("/admin/companies/merge", ad.mergeCompanies)

	rules := models.ModerationRules{HoldWords: d.Comments.HoldWords}
	cm := &comments{reading: r, store: d.Store, rules: rules, secure: strings.HasPrefix(d.Site.BaseURL, "https://")}
	rx := &reactions{store: d.Store}
	own := &ownComments{pages: r.pages, store: d.Store, rules: rules, now: d.Now}
	mod := &moderation{pages: r.pages, store: d.Store}

	app.Post("/stories/:slug/comments", cm.post)
	app.Post("/stories/:slug/comments/close", rx.closeComments)
	app.Post("/stories/:slug/like", rx.like)
	app.Post("/stories/:slug/metoo", rx.metoo)
	app.Post("/stories/:slug/report", rx.reportStory)
	app.Get("/comments/:id/edit", own.editForm)
	app.Post("/comments/:id/edit", own.edit)
	app.Post("/comments/:id/delete", own.remove)
	app.Post("/comments/:id/report", own.report)
	app.Get("/admin/comments", mod.queue)
	app.Post("/admin/comments", mod.act)
	app.Get("/admin/reports", mod.reports)
	app.Post("/admin/reports/:id/resolve", mod.resolve)

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
