package handlers

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type companyAdminStore interface {
	CompanyByID(ctx context.Context, id uint) (*models.Company, error)
	CompanyDomains(ctx context.Context, id uint) ([]string, error)
	Representatives(ctx context.Context, companyID uint) ([]models.User, error)
	UpdateCompany(ctx context.Context, adminID, id uint, in models.CompanyInput) error
	AddRepresentative(ctx context.Context, adminID, companyID uint, handle string) error
	RemoveRepresentative(ctx context.Context, adminID, companyID, userID uint) error
}

// companyAdmin serves /admin/companies/{id}: a company's page for admins.
type companyAdmin struct {
	*pages
	store companyAdminStore
}

// CompanyAdminPage is /admin/companies/{id}: the company's fields, its
// email domains and its representatives, with a form kept after a refusal.
type CompanyAdminPage struct {
	Layout
	Company         *models.Company
	Representatives []models.User
	Form            models.CompanyInput
	Handle          string // the handle typed in the add form
	Errors          map[string]string
	Flash           string
}

var companyFlashes = map[string]string{
	"saved": "The company is saved.", "added": "The representative is added.", "removed": "The representative is removed.",
}

// page is GET /admin/companies/{id}.
func (h *companyAdmin) page(c *fiber.Ctx, _ *models.User) error {
	co, err := h.company(c)
	if err != nil {
		return err
	}
	form, err := h.savedForm(c, co)
	if err != nil {
		return err
	}
	return h.renderPage(c, fiber.StatusOK, CompanyAdminPage{Company: co, Form: form, Flash: tr(c, companyFlashes[c.Query("done")])})
}

// savedForm is the edit form filled with the company as saved.
func (h *companyAdmin) savedForm(c *fiber.Ctx, co *models.Company) (models.CompanyInput, error) {
	domains, err := h.store.CompanyDomains(c.UserContext(), co.ID)
	return models.CompanyInput{Name: co.Name, Website: co.Website, Description: co.Description, Logo: co.LogoURL,
		Domains: strings.Join(domains, "\n")}, err
}

func (h *companyAdmin) company(c *fiber.Ctx) (*models.Company, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	return h.store.CompanyByID(c.UserContext(), id)
}

func (h *companyAdmin) renderPage(c *fiber.Ctx, status int, cp CompanyAdminPage) error {
	var err error
	if cp.Representatives, err = h.store.Representatives(c.UserContext(), cp.Company.ID); err != nil {
		return err
	}
	if cp.Layout, err = h.layout(c, tr(c, "Company: %s", cp.Company.Name), "", ""); err != nil {
		return err
	}
	cp.Canonical = ""
	return h.render(c, status, "admincompany", cp)
}

// back is the company's admin page, with what was done.
func back(c *fiber.Ctx, co *models.Company, done string) error {
	return c.Redirect("/admin/companies/"+strconv.FormatUint(uint64(co.ID), 10)+"?done="+done, fiber.StatusSeeOther)
}

// save is POST /admin/companies/{id}: name, website, description, domains.
func (h *companyAdmin) save(c *fiber.Ctx, u *models.User) error {
	co, err := h.company(c)
	if err != nil {
		return err
	}
	in := models.CompanyInput{Name: formLine(c, "name"), Website: formLine(c, "website"),
		Description: formText(c, "description"), Domains: formText(c, "domains"), Logo: formLine(c, "logo")}
	err = h.store.UpdateCompany(c.UserContext(), u.ID, co.ID, in)
	if ve := (*models.ValidationError)(nil); errors.As(err, &ve) {
		return h.renderPage(c, fiber.StatusUnprocessableEntity, CompanyAdminPage{Company: co, Form: in, Errors: localFields(c, ve.Fields)})
	} else if err != nil {
		return err
	}
	return back(c, co, "saved")
}

// addRepresentative is POST /admin/companies/{id}/representatives (field handle).
func (h *companyAdmin) addRepresentative(c *fiber.Ctx, u *models.User) error {
	co, err := h.company(c)
	if err != nil {
		return err
	}
	handle := formLine(c, "handle")
	err = h.store.AddRepresentative(c.UserContext(), u.ID, co.ID, handle)
	if ve := (*models.ValidationError)(nil); errors.As(err, &ve) {
		form, err := h.savedForm(c, co)
		if err != nil {
			return err
		}
		return h.renderPage(c, fiber.StatusUnprocessableEntity, CompanyAdminPage{Company: co, Form: form, Handle: handle, Errors: localFields(c, ve.Fields)})
	} else if err != nil {
		return err
	}
	return back(c, co, "added")
}

// removeRepresentative is POST /admin/companies/{id}/representatives/{user}/delete.
func (h *companyAdmin) removeRepresentative(c *fiber.Ctx, u *models.User) error {
	co, err := h.company(c)
	if err != nil {
		return err
	}
	uid, err := strconv.ParseUint(c.Params("user"), 10, 32)
	if err != nil || uid == 0 {
		return fiber.ErrNotFound
	}
	if err := h.store.RemoveRepresentative(c.UserContext(), u.ID, co.ID, uint(uid)); err != nil {
		return err
	}
	return back(c, co, "removed")
}
