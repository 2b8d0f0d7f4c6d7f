package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// commentRoutes registers commenting, reactions, reports and moderation.
func commentRoutes(app *fiber.App, d Deps, r *reading) {
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
}
