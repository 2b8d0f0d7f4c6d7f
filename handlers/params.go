package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

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
