package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"
)

type pinger interface {
	Ping(ctx context.Context) error
}

// health answers 200 "ok" while the database answers, 503 otherwise.
func health(db pinger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := db.Ping(c.UserContext()); err != nil {
			return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.SendString("ok")
	}
}
