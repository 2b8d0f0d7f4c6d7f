package handlers

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// Why a confirmation or an unsubscribe link does not work.
const (
	confirmLinkGone    = "Confirmation links work once, for 7 days."
	unsubscribeLinkBad = "This unsubscribe link is not one of ours, or was cut short: copy it whole from the mail."
)

// confirmForm shows the button of a confirmation link: GET /email/confirm/{token}.
func (e *email) confirmForm(c *fiber.Ctx) error {
	t, err := e.store.PeekOneTimeToken(c.UserContext(), models.PurposeConfirm, c.Params("token"))
	if errors.Is(err, models.ErrNotFound) {
		return deadLink(confirmLinkGone)
	} else if err != nil {
		return err
	}
	return e.page(c, fiber.StatusOK, MailPage{Heading: "Confirm " + t.Email,
		Message: tr(c, "Press the button to confirm that this address is yours and that you want these mails."),
		Action:  "/email/confirm/" + c.Params("token"), Button: "Confirm"})
}

// confirm uses a confirmation link: POST /email/confirm/{token}.
func (e *email) confirm(c *fiber.Ctx) error {
	t, err := e.store.ConfirmAddress(c.UserContext(), c.Params("token"))
	if errors.Is(err, models.ErrNotFound) {
		return deadLink(confirmLinkGone)
	} else if err != nil {
		return err
	}
	msg := "Thank you: " + t.Email + " is confirmed. You will get the replies to your comments you asked for."
	if t.FollowID != nil {
		msg = "Thank you: " + t.Email + " is confirmed, and the follow is on. Every mail has a link to stop it."
	}
	return e.page(c, fiber.StatusOK, MailPage{Heading: tr(c, "Address confirmed"), Message: msg, LinkURL: "/", LinkText: tr(c, "Back to the front page")})
}

// unsubscribeForm shows the button of an unsubscribe link: GET /unsubscribe/{token}.
func (e *email) unsubscribeForm(c *fiber.Ctx) error {
	if _, _, ok := models.ParseUnsubscribeToken(e.unsubKey, c.Params("token")); !ok {
		return deadLink(unsubscribeLinkBad)
	}
	return e.page(c, fiber.StatusOK, MailPage{Heading: "Unsubscribe",
		Message: tr(c, "Press the button to stop these mails."), Action: "/unsubscribe/" + c.Params("token"), Button: "Unsubscribe"})
}

// unsubscribe ends a subscription, without signing in: POST
// /unsubscribe/{token}, also the one-click POST of mail programs (RFC 8058).
func (e *email) unsubscribe(c *fiber.Ctx) error {
	kind, id, ok := models.ParseUnsubscribeToken(e.unsubKey, c.Params("token"))
	if !ok {
		return deadLink(unsubscribeLinkBad)
	}
	if err := e.store.Unsubscribe(c.UserContext(), kind, id); err != nil {
		return err
	}
	return e.page(c, fiber.StatusOK, MailPage{Heading: "Unsubscribed",
		Message: tr(c, "You will not get these mails any more."), LinkURL: "/", LinkText: tr(c, "Back to the front page")})
}

// follow answers POST {list or story URL}/follow for the kind of list,
// whose slug (or handle) is the route's param.
func (e *email) follow(kind, param string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		id, label, path, err := e.store.FollowTarget(ctx, kind, c.Params(param))
		if err != nil {
			return err
		}
		named := locale(c).Text(label) // kept in English, the mails' words
		mp := MailPage{Heading: tr(c, "Follow %s by email", named), EmailForm: true, Action: strings.TrimSuffix(path, "/") + "/follow",
			Button: tr(c, "Follow"), Email: formLine(c, "email"), Digest: c.FormValue("digest") == "1"}
		req := models.FollowRequest{Email: mp.Email, Kind: kind, TargetID: id, Label: label, Path: path, Digest: mp.Digest}
		if sess := currentSession(c); sess != nil {
			uid := sess.UserID
			req.UserID = &uid
			if mp.Email == "" && sess.User.EmailVerified {
				req.Email = sess.User.Email
			}
			req.Verified = sess.User.EmailVerified && strings.EqualFold(req.Email, sess.User.Email)
		}
		if !req.Verified {
			if wait, err := e.limit.allow(ctx, clientIP(c)); err != nil {
				return err
			} else if wait > 0 {
				return e.tooFast(c, mp)
			}
		}
		f, pending, err := e.store.RequestFollow(ctx, req)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			mp.Error = localFields(c, ve.Fields)["email"]
			return e.page(c, fiber.StatusUnprocessableEntity, mp)
		} else if err != nil {
			return err
		}
		if !pending {
			return e.page(c, fiber.StatusOK, MailPage{Heading: tr(c, "You follow %s", named),
				Message: tr(c, "New items come to %s. You can end this on your account page, or from any of the mails.", f.Email),
				LinkURL: "/me#follows", LinkText: tr(c, "Your follows")})
		}
		// Past the per-address limit nothing is sent, and the answer is the
		// same: a stranger learns nothing and the address gets nothing more.
		if err := e.mailer.Confirm(ctx, f.Email, &f.ID, "follow "+label); err != nil && !errors.Is(err, models.ErrTooManyMails) {
			return err
		}
		return e.page(c, fiber.StatusOK, MailPage{Heading: tr(c, "Check your mail"),
			Message: tr(c, "We sent a link to %s to confirm this follow. Nothing else is sent until it is confirmed.", f.Email),
			LinkURL: path, LinkText: tr(c, "Back to %s", named)})
	}
}

// endFollow ends one of the signed-in user's follows: POST /me/follows/{id}/delete.
func (e *email) endFollow(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := e.store.EndFollow(c.UserContext(), id, u.ID, verifiedEmail(u)); err != nil {
		return err
	}
	return c.Redirect("/me?unfollowed=1#follows", fiber.StatusSeeOther)
}

// mailPreferences switches the mails of new comments and of moderation: POST /me/mail.
func (e *email) mailPreferences(c *fiber.Ctx, u *models.User) error {
	err := e.store.SetMailPreferences(c.UserContext(), u.ID, c.FormValue("comments") == "1", c.FormValue("moderation") == "1")
	if err != nil {
		return err
	}
	return c.Redirect("/me?saved=1#mail", fiber.StatusSeeOther)
}

// confirmGuest mails a guest who asked for replies the link that confirms
// their address, once: nothing else is sent to it before.
func (e *email) confirmGuest(ctx context.Context, addr string) error {
	ok, err := e.store.AddressConfirmed(ctx, addr)
	if err != nil || ok {
		return err
	}
	err = e.mailer.Confirm(ctx, addr, nil, "get the replies to a comment")
	if errors.Is(err, models.ErrTooManyMails) {
		return nil // a few are on their way already
	}
	return err
}

func verifiedEmail(u *models.User) string {
	if u.EmailVerified {
		return u.Email
	}
	return ""
}

// OutboxPage is /admin/outbox: the newest mails and what became of them.
type OutboxPage struct {
	Layout
	Mails []models.OutboxMail
}

// outbox shows the newest mails to admins: GET /admin/outbox.
func (e *email) outbox(c *fiber.Ctx, _ *models.User) error {
	ms, err := e.store.Outbox(c.UserContext(), 100)
	if err != nil {
		return err
	}
	l, err := e.layout(c, tr(c, "Outbox"), "", "")
	if err != nil {
		return err
	}
	l.Canonical = ""
	return e.render(c, fiber.StatusOK, "outbox", OutboxPage{Layout: l, Mails: ms})
}
