package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// signedInAt returns the signed-in person's session, or nil and a redirect to
// the sign-in page that brings them back to back afterwards.
func signedInAt(c *fiber.Ctx, back string) (*models.Session, error) {
	if sess := currentSession(c); sess != nil {
		return sess, nil
	}
	return nil, c.Redirect("/login?next="+nextEscaper.Replace(back), fiber.StatusSeeOther)
}

// nextEscaper escapes what would end or confuse a query value, and keeps the
// slashes of a path readable: /login?next=/write.
var nextEscaper = strings.NewReplacer("%", "%25", "&", "%26", "#", "%23", "+", "%2B", " ", "%20")

// idParam reads the :id parameter: anything but a positive number is not found.
func idParam(c *fiber.Ctx) (uint, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 32)
	if err != nil || id == 0 {
		return 0, fiber.ErrNotFound
	}
	return uint(id), nil
}
