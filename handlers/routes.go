// Package handlers turns HTTP requests into calls on the store and rendered
// pages. Each area has a struct holding its dependencies as small interfaces;
// Routes lists every route of the site.
package handlers

import (
	"io"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// Renderer executes a page template with its data.
type Renderer interface {
	Render(w io.Writer, page string, data any) error
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
	Views Renderer
	Log   *slog.Logger
	Now   func() time.Time
	Site  Site
	Auth  AuthConfig
}

// Routes registers every route of the site on app.
func Routes(app *fiber.App, d Deps) {
	p := &pages{store: d.Store, views: d.Views, site: d.Site}
	r := &reading{pages: p, store: d.Store}

	a := newAuth(p, d)
	app.Use(a.loadSession, a.guard)

	app.Get("/healthz", health(d.Store))

	app.Get("/", r.front)
	app.Get("/page/:n", r.front)
	app.Get("/stories/:slug", r.story)
	app.Get("/category/:slug", r.category)
	app.Get("/category/:slug/page/:n", r.category)
	app.Get("/tag/:slug", r.tag)
	app.Get("/tag/:slug/page/:n", r.tag)
	app.Get("/author/:handle", r.author)
	app.Get("/author/:handle/page/:n", r.author)
	app.Get("/company/:slug", r.company)
	app.Get("/company/:slug/page/:n", r.company)
	app.Get("/archive/:year/:month", r.archive)
	app.Get("/archive/:year/:month/page/:n", r.archive)

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

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
