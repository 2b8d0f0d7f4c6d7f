package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// TokenPage is the page of a one-time link: the first-admin setup form, or
// the confirmation of a sign-in link. Following a link changes nothing; the
// button on the page (a POST) does, so that link previewers cannot use it up.
type TokenPage struct {
	Layout
	Kind   string // "setup" or "signin"
	Action string
	Name   string
	Errors map[string]string
}

func (a *auth) tokenPage(c *fiber.Ctx, status int, tp TokenPage) error {
	title := tr(c, "Create the first admin account")
	if tp.Kind == models.PurposeSignIn {
		title = tr(c, "Sign in with a link")
	}
	l, err := a.layout(c, title, "", "")
	if err != nil {
		return err
	}
	l.Canonical = ""
	tp.Layout = l
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, "token", tp)
}

// setupForm shows the first-admin form of a valid setup link: GET /setup/{token}.
func (a *auth) setupForm(c *fiber.Ctx) error {
	if _, err := a.store.PeekOneTimeToken(c.UserContext(), models.PurposeSetup, c.Params("token")); err != nil {
		return err
	}
	return a.tokenPage(c, fiber.StatusOK, TokenPage{Kind: models.PurposeSetup, Action: "/setup/" + c.Params("token")})
}

// setup creates the first admin and signs them in: POST /setup/{token}.
func (a *auth) setup(c *fiber.Ctx) error {
	token, name := c.Params("token"), formLine(c, "name")
	u, err := a.store.CreateFirstAdmin(c.UserContext(), token, name)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return a.tokenPage(c, fiber.StatusUnprocessableEntity, TokenPage{Kind: models.PurposeSetup,
			Action: "/setup/" + token, Name: name, Errors: localFields(c, ve.Fields)})
	}
	if err != nil {
		return err
	}
	if err := a.startSession(c, u.ID); err != nil {
		return err
	}
	return c.Redirect("/me", fiber.StatusSeeOther)
}

// linkForm confirms a sign-in link: GET /signin/{token}.
func (a *auth) linkForm(c *fiber.Ctx) error {
	t, err := a.store.PeekOneTimeToken(c.UserContext(), models.PurposeSignIn, c.Params("token"))
	if err != nil {
		return err
	}
	tp := TokenPage{Kind: models.PurposeSignIn, Action: "/signin/" + c.Params("token")}
	if t.UserID != nil {
		if u, err := a.store.UserByID(c.UserContext(), *t.UserID); err == nil {
			tp.Name = u.Name
		}
	}
	return a.tokenPage(c, fiber.StatusOK, tp)
}

// linkSignIn uses a sign-in link: POST /signin/{token}.
func (a *auth) linkSignIn(c *fiber.Ctx) error {
	u, err := a.store.SignInWithLink(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	if err := a.startSession(c, u.ID); err != nil {
		return err
	}
	return c.Redirect("/me", fiber.StatusSeeOther)
}
