package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// ErrorPage is the page shown for an error.
type ErrorPage struct {
	Layout
	Status   int
	Heading  string
	Message  string
	LinkURL  string // the way on; empty: the latest stories
	LinkText string
	// RequestID identifies a failed request (5xx) in the log, for the
	// visitor to quote; empty otherwise.
	RequestID string
}

// PageError is an error that says what the visitor should read and where to
// go next (for example, back to /login after a failed sign-in).
type PageError struct {
	Status            int
	Heading, Message  string
	LinkURL, LinkText string
	Err               error // the cause, for the log; never shown
}

func (e *PageError) Error() string {
	if e.Err != nil {
		return e.Heading + ": " + e.Err.Error()
	}
	return e.Heading
}

func (e *PageError) Unwrap() error { return e.Err }

// ErrorHandler turns an error returned by a handler into a page: 404 for
// anything not found, the status of a fiber.Error, 500 for the rest. The
// error text never reaches the visitor; 5xx errors are logged once.
func ErrorHandler(d Deps) fiber.ErrorHandler {
	p := &pages{store: d.Store, views: d.Views, site: d.Site, langs: d.Langs}
	return func(c *fiber.Ctx, err error) error {
		if errors.Is(err, models.ErrBusy) {
			return busy(c, p, d.Log, err, dbBusy)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			// The request ran out of its time (RequestTimeout), waiting for
			// the database or the CPU: more requests than the site can serve
			// just now. A transaction cut short is rolled back, a comment
			// not yet taken into a group is dropped: nothing was saved.
			return busy(c, p, d.Log, err, overloaded)
		}
		status := fiber.StatusInternalServerError
		var fe *fiber.Error
		var pe *PageError
		var ve *models.ValidationError
		switch {
		case errors.As(err, &pe):
			status = pe.Status
		case errors.As(err, &ve):
			// A handler that has no form to show the fields on: the messages
			// are the site's own, safe to show, and the status a 422.
			status = fiber.StatusUnprocessableEntity
			pe = &PageError{Status: status, Heading: tr(c, "That could not be done"), Message: localSummary(c, ve)}
		case errors.Is(err, models.ErrNotFound):
			status = fiber.StatusNotFound
		case errors.Is(err, models.ErrForbidden):
			status = fiber.StatusForbidden
		case errors.As(err, &fe):
			status = fe.Code
		}
		if status == fiber.StatusRequestEntityTooLarge && pe == nil {
			// The server's hard cap, hit before any handler ran.
			errors.As(tooLarge(), &pe)
		}
		ep := ErrorPage{Status: status}
		switch {
		case pe != nil:
			// Messages made below the handlers come in English: translated here.
			loc := locale(c)
			ep.Heading, ep.Message, ep.LinkURL, ep.LinkText = loc.Text(pe.Heading), loc.Text(pe.Message), pe.LinkURL, loc.Text(pe.LinkText)
			if pe.Err != nil {
				d.Log.Warn("request refused", "status", status, "path", c.Path(),
					"request_id", c.GetRespHeader(fiber.HeaderXRequestID), "err", pe.Err)
			}
		case status == fiber.StatusNotFound:
			ep.Heading = tr(c, "We could not find that page")
			ep.Message = tr(c, "The story, category, tag, author, company or month you asked for does not exist, or is no longer published. The latest stories and the categories are listed beside this message.")
		case status == fiber.StatusForbidden && pe == nil && fe == nil:
			ep.Heading = tr(c, "This is not yours to do")
			ep.Message = tr(c, "Your account may not do this: only the author of a story, or an admin, can.")
		case status == fiber.StatusMethodNotAllowed:
			ep.Heading = tr(c, "That action is not possible here")
			ep.Message = tr(c, "This address does not accept that kind of request.")
		default:
			if status < 500 {
				ep.Heading = tr(c, "That request could not be handled")
				ep.Message = locale(c).Text(fe.Message)
				break
			}
			ep.Heading = tr(c, "Something went wrong on our side")
			ep.Message = tr(c, "The error has been logged. Please try again in a moment.")
			ep.RequestID = c.GetRespHeader(fiber.HeaderXRequestID)
			if !errors.Is(err, errPanicked) { // Recover logged it, with its stack
				d.Log.Error("request failed", "status", status, "method", c.Method(), "path", c.Path(),
					"request_id", ep.RequestID, "err", err)
			}
		}
		l, lerr := p.layout(c, ep.Heading, "", "")
		if lerr != nil {
			// Without the database there is no sidebar; the page still says what happened.
			l = p.bareLayout(c, ep.Heading, "")
		}
		l.Canonical = "" // an error page is nobody's canonical address
		l.Here = "/"     // nor an address to send the language switch back to
		ep.Layout = l
		c.Set(fiber.HeaderCacheControl, "no-store")
		if rerr := p.render(c, status, "error", ep); rerr != nil {
			d.Log.Error("render error page", "err", rerr)
			return c.Status(status).SendString(ep.Heading)
		}
		return nil
	}
}

// busyCause is why a request got a 503: what the log says, what the
// visitor reads, and when to try again.
type busyCause struct {
	log   string
	why   string // a sentence; the page adds when to try again
	retry int    // Retry-After, in seconds
}

var (
	// dbBusy: a write found the database locked by another process for
	// longer than the busy timeout. Retry after what a backup of a large
	// site or an admin's shell session usually takes.
	dbBusy = busyCause{"database busy", "The site could not save this just now: its database is busy (a backup or maintenance is running).", 10}
	// overloaded: the request's time ran out before its answer was ready.
	overloaded = busyCause{"request out of time", "The site could not answer in time: it has more requests than it can serve just now.", 5}
)

// busy answers a request the site could not serve just now: 503 with
// Retry-After, and a form sent is given back with what was typed, to send
// again (nothing was saved).
func busy(c *fiber.Ctx, p *pages, log *slog.Logger, err error, cause busyCause) error {
	log.Warn(cause.log, "method", c.Method(), "path", c.Path(),
		"request_id", c.GetRespHeader(fiber.HeaderXRequestID), "err", err)
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(cause.retry))
	c.Set(fiber.HeaderCacheControl, "no-store")
	if c.Method() == fiber.MethodPost {
		if wantsJSON(c) {
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"error": "busy", "retry_after": cause.retry})
		}
		if rerr := p.resubmit(c, fiber.StatusServiceUnavailable, tr(c, cause.why+" Please wait %d seconds.", cause.retry), true); rerr == nil {
			return nil
		}
	}
	ep := ErrorPage{Status: fiber.StatusServiceUnavailable, Heading: tr(c, "The site is busy"),
		Message: tr(c, cause.why+" Please try again in a few seconds.")}
	l, lerr := p.layout(c, ep.Heading, "", "")
	if lerr != nil {
		l = p.bareLayout(c, ep.Heading, "")
	}
	l.Canonical = ""
	ep.Layout = l
	if rerr := p.render(c, ep.Status, "error", ep); rerr != nil {
		return c.Status(ep.Status).SendString(ep.Heading)
	}
	return nil
}

// errPanicked is the error of a handler that panicked.
var errPanicked = errors.New("handler panicked")

// Recover turns a panic in a handler into errPanicked, which the error
// handler shows as the 500 page, after logging one line with the request id,
// the panic's value and the stack. The process keeps serving.
func Recover(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("handler panicked", "method", c.Method(), "path", c.Path(),
					"request_id", c.GetRespHeader(fiber.HeaderXRequestID), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = errPanicked
			}
		}()
		return c.Next()
	}
}
