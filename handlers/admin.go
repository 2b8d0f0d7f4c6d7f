package handlers

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type adminStore interface {
	sidebarStore
	ReviewQueue(ctx context.Context) ([]models.Story, error)
	ApproveStory(ctx context.Context, id, adminID uint) (*models.Story, error)
	SendBack(ctx context.Context, id, adminID uint, note string) error
	Users(ctx context.Context) ([]models.User, error)
	PromoteUser(ctx context.Context, adminID, userID uint, role string) error
	Categories(ctx context.Context) ([]models.Category, error)
	CreateCategory(ctx context.Context, c *models.Category) error
	UpdateCategory(ctx context.Context, id uint, in models.CategoryInput) (*models.Category, error)
	DeleteCategory(ctx context.Context, id uint) error
	Companies(ctx context.Context) ([]models.Company, error)
	MergeCompanies(ctx context.Context, fromID, intoID uint) error
	AdminDashboard(ctx context.Context, userID uint) (models.Dashboard, error)
}

// admin serves /admin, the dashboard with the review queue, and the pages
// of users, categories and companies.
type admin struct {
	*pages
	store adminStore
}

// AdminPage is /admin or one of its sections (Section: "" for the
// dashboard, "users", "categories", "companies"). Problem and Errors belong
// to the form named by Form (and, for a story or category, the row ID),
// whose input is kept in Input.
type AdminPage struct {
	Layout
	Section    string
	Dashboard  models.Dashboard
	Queue      []models.Story
	Users      []models.User
	Categories []models.Category
	Companies  []models.Company
	Roles      []string
	Flash      string
	Problem    string
	Form       string
	ID         uint
	Errors     map[string]string
	Input      map[string]string
}

// Is reports whether the kept input belongs to form (and row id).
func (ap AdminPage) Is(form string, id uint) bool { return ap.Form == form && ap.ID == id }

var adminFlashes = map[string]string{
	"approved": "The story is published.", "sent-back": "The story went back to its author with your note.",
	"role": "The role is changed.", "category": "The category is saved.", "category-deleted": "The category is deleted.",
	"merged": "The companies are merged; the old address redirects.",
}

// adminSections are the pages of /admin: the template and title of each.
var adminSections = map[string]struct{ page, title string }{
	"": {"admin", "Admin"}, "users": {"adminusers", "Users"},
	"categories": {"admincategories", "Categories"}, "companies": {"admincompanies", "Companies"},
}

// formSections says on which page each form is, to show it again there.
var formSections = map[string]string{
	"role": "users", "category": "categories", "new-category": "categories",
	"delete-category": "categories", "merge": "companies",
}

// page is GET /admin: the dashboard.
func (a *admin) page(c *fiber.Ctx, _ *models.User) error {
	return a.renderAdmin(c, fiber.StatusOK, AdminPage{Flash: tr(c, adminFlashes[c.Query("done")])})
}

// section is GET /admin/{users,categories,companies}.
func (a *admin) section(name string) func(*fiber.Ctx, *models.User) error {
	return func(c *fiber.Ctx, _ *models.User) error {
		return a.renderAdmin(c, fiber.StatusOK, AdminPage{Section: name, Flash: adminFlashes[c.Query("done")]})
	}
}

// renderAdmin loads what the page of ap's section (or of its form) shows.
func (a *admin) renderAdmin(c *fiber.Ctx, status int, ap AdminPage) error {
	ctx := c.UserContext()
	if ap.Form != "" {
		ap.Section = formSections[ap.Form]
	}
	var err error
	switch ap.Section {
	case "users":
		ap.Users, err = a.store.Users(ctx)
		ap.Roles = []string{models.RoleReader, models.RoleAuthor, models.RoleAdmin}
	case "categories":
		ap.Categories, err = a.store.Categories(ctx)
	case "companies":
		ap.Companies, err = a.store.Companies(ctx)
	default:
		if ap.Queue, err = a.store.ReviewQueue(ctx); err == nil {
			ap.Dashboard, err = a.store.AdminDashboard(ctx, currentSession(c).User.ID)
		}
	}
	if err != nil {
		return err
	}
	sec := adminSections[ap.Section]
	if ap.Layout, err = a.layout(c, tr(c, sec.title), "", ""); err != nil {
		return err
	}
	ap.Canonical = ""
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, sec.page, ap)
}

// refused shows /admin again with the form's input and what was wrong:
// 422 for a validation error, 409 for a conflict; anything else is returned.
func (a *admin) refused(c *fiber.Ctx, err error, ap AdminPage, conflict string) error {
	var ve *models.ValidationError
	switch {
	case errors.As(err, &ve):
		ap.Errors, ap.Problem = localFields(c, ve.Fields), tr(c, "Nothing was changed: please check the form.")
		return a.renderAdmin(c, fiber.StatusUnprocessableEntity, ap)
	case errors.Is(err, models.ErrConflict):
		ap.Problem = conflict
		return a.renderAdmin(c, fiber.StatusConflict, ap)
	}
	return err
}

func formID(c *fiber.Ctx, name string) uint {
	id, _ := strconv.ParseUint(c.FormValue(name), 10, 32)
	return uint(id)
}

// done goes back to the page of the form, anchor "review" being the
// dashboard's review queue and any other a section of its own.
func done(c *fiber.Ctx, what, anchor string) error {
	if anchor == "review" {
		return c.Redirect("/admin?done="+what+"#review", fiber.StatusSeeOther)
	}
	return c.Redirect("/admin/"+anchor+"?done="+what, fiber.StatusSeeOther)
}

// approve is POST /admin/stories/{id}/approve.
func (a *admin) approve(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	_, err = a.store.ApproveStory(c.UserContext(), id, u.ID)
	if err != nil {
		return a.refused(c, err, AdminPage{}, tr(c, "That story is no longer waiting for review."))
	}
	return done(c, "approved", "review")
}

// sendBack is POST /admin/stories/{id}/send-back, with a note.
func (a *admin) sendBack(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	note := formText(c, "note")
	err = a.store.SendBack(c.UserContext(), id, u.ID, note)
	if err != nil {
		ap := AdminPage{Form: "send-back", ID: id, Input: map[string]string{"note": note}}
		return a.refused(c, err, ap, tr(c, "That story is already a draft."))
	}
	return done(c, "sent-back", "review")
}

// setRole is POST /admin/users/{id}/role.
func (a *admin) setRole(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	err = a.store.PromoteUser(c.UserContext(), u.ID, id, c.FormValue("role"))
	if err != nil {
		return a.refused(c, err, AdminPage{Form: "role", ID: id}, tr(c, "The last admin cannot step down: promote someone else first."))
	}
	return done(c, "role", "users")
}

func categoryInput(c *fiber.Ctx) (models.CategoryInput, map[string]string) {
	in := models.CategoryInput{Name: formLine(c, "name"), Slug: strings.TrimSpace(formLine(c, "slug")),
		Description: formText(c, "description")}
	kept := map[string]string{"name": in.Name, "slug": in.Slug, "description": in.Description, "position": formLine(c, "position")}
	in.Position, _ = strconv.Atoi(strings.TrimSpace(c.FormValue("position")))
	return in, kept
}

// createCategory is POST /admin/categories.
func (a *admin) createCategory(c *fiber.Ctx, _ *models.User) error {
	in, kept := categoryInput(c)
	cat := &models.Category{Name: strings.TrimSpace(in.Name), Description: strings.TrimSpace(in.Description), Position: in.Position}
	if err := a.store.CreateCategory(c.UserContext(), cat); err != nil {
		return a.refused(c, err, AdminPage{Form: "new-category", Input: kept}, "")
	}
	return done(c, "category", "categories")
}

// updateCategory is POST /admin/categories/{id}.
func (a *admin) updateCategory(c *fiber.Ctx, _ *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in, kept := categoryInput(c)
	if _, err := a.store.UpdateCategory(c.UserContext(), id, in); err != nil {
		return a.refused(c, err, AdminPage{Form: "category", ID: id, Input: kept}, "")
	}
	return done(c, "category", "categories")
}

// deleteCategory is POST /admin/categories/{id}/delete, confirmed.
func (a *admin) deleteCategory(c *fiber.Ctx, _ *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		ap := AdminPage{Form: "delete-category", ID: id, Problem: tr(c, "Tick the box to confirm the deletion of the category."),
			Errors: map[string]string{"confirm": tr(c, "Tick the box to confirm.")}}
		return a.renderAdmin(c, fiber.StatusUnprocessableEntity, ap)
	}
	if err := a.store.DeleteCategory(c.UserContext(), id); err != nil {
		return err
	}
	return done(c, "category-deleted", "categories")
}

// mergeCompanies is POST /admin/companies/merge: from goes into into.
func (a *admin) mergeCompanies(c *fiber.Ctx, _ *models.User) error {
	from, into := formID(c, "from"), formID(c, "into")
	kept := map[string]string{"from": formLine(c, "from"), "into": formLine(c, "into")}
	ap := AdminPage{Form: "merge", Input: kept}
	if from == 0 || into == 0 || c.FormValue("confirm") != "yes" {
		ap.Problem = tr(c, "Choose both companies and tick the box to confirm the merge.")
		return a.renderAdmin(c, fiber.StatusUnprocessableEntity, ap)
	}
	err := a.store.MergeCompanies(c.UserContext(), from, into)
	if errors.Is(err, models.ErrNotFound) {
		ap.Problem = tr(c, "One of the two companies no longer exists.")
		return a.renderAdmin(c, fiber.StatusUnprocessableEntity, ap)
	}
	if err != nil {
		return a.refused(c, err, ap, tr(c, "A company cannot be merged into itself."))
	}
	return done(c, "merged", "companies")
}
