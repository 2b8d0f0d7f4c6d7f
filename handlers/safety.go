package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type safetyStore interface {
	sidebarStore
	Transparency(ctx context.Context) ([]models.YearReport, error)
	LegalPageBySlug(ctx context.Context, slug string) (*models.LegalPage, error)
	SaveLegalPage(ctx context.Context, adminID uint, slug, title, body string) error
	ExportUser(ctx context.Context, userID uint) (*models.UserExport, error)
}

// safety serves the transparency report, the legal pages and the export
// of one's own data.
type safety struct {
	*pages
	store safetyStore
}

// TransparencyPage is /transparency.
type TransparencyPage struct {
	Layout
	Years []models.YearReport
}

// LegalPageView is /legal/{slug}, and its editor for admins.
type LegalPageView struct {
	Layout
	Page   *models.LegalPage
	Errors map[string]string
	Flash  string
}

// transparency is GET /transparency (the same for every visitor: cached).
func (h *safety) transparency(c *fiber.Ctx) error {
	ys, err := h.store.Transparency(c.UserContext())
	if err != nil {
		return err
	}
	l, err := h.layout(c, tr(c, "Transparency"), "/transparency", "")
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "transparency", TransparencyPage{Layout: l, Years: ys})
}

// legal is GET /legal/{slug}.
func (h *safety) legal(c *fiber.Ctx) error {
	p, err := h.store.LegalPageBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	title := p.Title
	if p.Default {
		title = tr(c, title) // the built-in page's title is the site's
	}
	l, err := h.layout(c, title, "/legal/"+p.Slug, "")
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "legal", LegalPageView{Layout: l, Page: p})
}

// editLegal is GET /admin/legal/{slug}.
func (h *safety) editLegal(c *fiber.Ctx, _ *models.User) error {
	p, err := h.store.LegalPageBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	lv := LegalPageView{Page: p}
	if c.Query("saved") != "" {
		lv.Flash = tr(c, "The page is saved.")
	}
	return h.renderLegalEditor(c, fiber.StatusOK, lv)
}

func (h *safety) renderLegalEditor(c *fiber.Ctx, status int, lv LegalPageView) error {
	l, err := h.layout(c, tr(c, "Edit “%s”", lv.Page.Title), "", "")
	if err != nil {
		return err
	}
	l.Canonical = ""
	lv.Layout = l
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.render(c, status, "legaledit", lv)
}

// saveLegal is POST /admin/legal/{slug}.
func (h *safety) saveLegal(c *fiber.Ctx, u *models.User) error {
	slug := c.Params("slug")
	p, err := h.store.LegalPageBySlug(c.UserContext(), slug)
	if err != nil {
		return err
	}
	p.Title, p.Body = formLine(c, "title"), formText(c, "body")
	err = h.store.SaveLegalPage(c.UserContext(), u.ID, p.Slug, p.Title, p.Body)
	if ve := (*models.ValidationError)(nil); errors.As(err, &ve) {
		return h.renderLegalEditor(c, fiber.StatusUnprocessableEntity, LegalPageView{Page: p, Errors: localFields(c, ve.Fields)})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/legal/"+p.Slug+"?saved=1", fiber.StatusSeeOther)
}

// export is GET /me/export: the user's data as a JSON attachment.
func (h *safety) export(c *fiber.Ctx, u *models.User) error {
	x, err := h.store.ExportUser(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "application/json; charset=utf-8")
	c.Attachment("doleances-" + u.Handle + "-" + x.ExportedAt.Format(time.DateOnly) + ".json")
	return c.Send(b)
}

// NoticeRate is how many notices one IP address (or IPv6 /64) may send a
// minute: enough for a person reporting several comments, not a flood.
const NoticeRate = 5

// safetyRoutes registers the notices, their decisions, the audit log, the
// transparency report, the legal pages and the export.
func safetyRoutes(rt *router, p *pages, d Deps) {
	pub := rt.anyone()
	nt := &notices{pages: p, store: d.Store, limit: newIPLimiter("notices", NoticeRate, d.Store, d.Now), mail: d.Mail.Notices, log: d.Log}
	pub.get("/notice", nt.form)
	pub.post("/notice", nt.file) // notifiers need no account
	sf := &safety{pages: p, store: d.Store}
	pub.get("/transparency", cached(sf.transparency))
	pub.get("/legal/:slug", cached(sf.legal))
	rt.signedIn(signIn(backHere)).get("/me/export", sf.export)

	na := &noticeAdmin{pages: p, store: d.Store, mail: d.Mail.Notices, log: d.Log}
	admins := rt.admins()
	admins.get("/admin/notices", na.list)
	admins.get("/admin/notices/:id", na.show)
	admins.post("/admin/notices/:id/decide", na.decide)
	admins.post("/admin/notices/:id/appeal", na.decideAppeal)
	admins.get("/admin/audit", na.audit)
	admins.get("/admin/legal/:slug", sf.editLegal)
	admins.post("/admin/legal/:slug", sf.saveLegal)
}
