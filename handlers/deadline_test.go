package handlers

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// TestRequestContextHasADeadline: a handler's c.UserContext() ends at most
// the timeout from now, is cancelled once the request is answered, and is
// still running (with its deadline) while the error page of a failed
// request is rendered.
func TestRequestContextHasADeadline(t *testing.T) {
	var kept context.Context
	var errPageCtx error = errors.New("the error handler did not run")
	app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		errPageCtx = c.UserContext().Err()
		if _, ok := c.UserContext().Deadline(); !ok {
			errPageCtx = errors.New("no deadline")
		}
		return c.Status(fiber.StatusTeapot).SendString("error page")
	}})
	app.Use(requestContext(time.Minute))
	app.Get("/", func(c *fiber.Ctx) error {
		kept = c.UserContext()
		dl, ok := kept.Deadline()
		if !ok || time.Until(dl) > time.Minute || time.Until(dl) < 50*time.Second {
			t.Errorf("the request context's deadline is %v (set: %v), want a minute from now", dl, ok)
		}
		return c.SendString("ok")
	})
	app.Get("/fail", func(*fiber.Ctx) error { return errors.New("boom") })
	if _, err := app.Test(httptest.NewRequest("GET", "/", nil)); err != nil {
		t.Fatal(err)
	}
	if kept == nil || kept.Err() == nil {
		t.Error("the request context was not cancelled once the request was answered")
	}
	res, err := app.Test(httptest.NewRequest("GET", "/fail", nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != fiber.StatusTeapot || errPageCtx != nil {
		t.Errorf("status %d; the error page ran with the context ended: %v", res.StatusCode, errPageCtx)
	}
}
