package handlers

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// RequestTimeout is how long a request's work may take: what it asks of
// the store is cancelled after that, and the visitor gets an error page
// instead of waiting on. Nothing else bounds it: the server's write timeout
// (30 s by default) only starts once the handler has answered (fasthttp
// sets the write deadline then), and only bounds sending the answer. Ten
// seconds is the graceful stop's wait (app's stopTimeout), so that a stop
// never cuts a request still within its time.
const RequestTimeout = 10 * time.Second

// requestContext gives each request a context with a deadline, which the
// handlers pass to the store (c.UserContext()), and cancels it once the
// request is answered. An error is turned into its page here, while the
// context still runs: the error page reads the store too (its sidebar).
func requestContext(timeout time.Duration) fiber.Handler {
	return func(c *fiber.Ctx) error {
		parent := c.UserContext()
		ctx, cancel := context.WithTimeout(context.WithValue(parent, timeoutKey{}, timeout), timeout)
		defer func() {
			cancel()
			// Whatever runs after this middleware (fasthttp's own error
			// answers) works without a cancelled context.
			c.SetUserContext(parent)
		}()
		c.SetUserContext(ctx)
		if err := c.Next(); err != nil {
			return c.App().ErrorHandler(c, err)
		}
		return nil
	}
}

// timeoutKey is the key of the site's request timeout in a request's context.
type timeoutKey struct{}

// detached is ctx without its cancellation and with a deadline of its own,
// as long as the site gives a request (the timeout that requestContext put
// in ctx; RequestTimeout outside a request): for work that several
// requests wait for, or whose result must be kept when the request that
// started it has run out of time.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	timeout, ok := ctx.Value(timeoutKey{}).(time.Duration)
	if !ok {
		timeout = RequestTimeout
	}
	return context.WithTimeout(context.WithoutCancel(ctx), timeout)
}
