package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// Claims: a signed-in user whose verified address is at one of a company's
// email domains (or a subdomain of one) asks to represent it; a link
// mailed to that address makes them a representative.

// claimLinkGone says why a claim link no longer works.
const claimLinkGone = "Links to represent a company work once, for 24 hours: ask for a new one on the company's page."

// claimRefusal is the sentence a company page shows for err, from CanClaim.
func claimRefusal(err error) string {
	switch {
	case errors.Is(err, models.ErrClaimNoDomains):
		return "This company has no email domain on record: an admin adds its representatives."
	case errors.Is(err, models.ErrClaimUnverified):
		return "Your email address is not verified: sign in by email with your work address (on your account page) first."
	case errors.Is(err, models.ErrClaimDomain):
		return "Your verified email address is not at one of this company's domains."
	case errors.Is(err, models.ErrClaimAlready):
		return "You already represent this company."
	}
	return ""
}

// claim mails the link that makes u a representative of the company of
// :slug: POST /company/{slug}/claim.
func (e *email) claim(c *fiber.Ctx, u *models.User) error {
	co, err := e.store.CompanyBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	back := "/company/" + co.Slug
	refuse := func(status int, msg string) error {
		return &PageError{Status: status, Heading: "You cannot represent " + co.Name + " this way", Message: msg, LinkURL: back, LinkText: "Back to " + co.Name}
	}
	if err := e.store.CanClaim(c.UserContext(), u.ID, co.ID); err != nil {
		if msg := claimRefusal(err); msg != "" {
			return refuse(fiber.StatusForbidden, msg)
		}
		return err
	}
	if wait, err := e.limit.allow(c.UserContext(), clientIP(c)); err != nil {
		return err
	} else if wait > 0 {
		return refuse(fiber.StatusTooManyRequests, tr(c, "Too many mails were asked for in a short time. Please wait a few minutes and try again."))
	}
	if err := e.mailer.ClaimLink(c.UserContext(), u, co); errors.Is(err, models.ErrTooManyMails) {
		return refuse(fiber.StatusTooManyRequests, tr(c, "Several links were sent to your address today: please use the latest one, or try again tomorrow."))
	} else if err != nil {
		return err
	}
	return e.page(c, fiber.StatusOK, MailPage{Heading: tr(c, "Check your mail"),
		Message: "We sent a link to " + u.Email + ". Open it within 24 hours to become a representative of " + co.Name + ".",
		LinkURL: back, LinkText: "Back to " + co.Name})
}

// claimForm shows the button of a claim link: GET /claim/{token} (a
// button, so that mail scanners following links change nothing).
func (e *email) claimForm(c *fiber.Ctx) error {
	if _, err := e.store.PeekOneTimeToken(c.UserContext(), models.PurposeClaim, c.Params("token")); errors.Is(err, models.ErrNotFound) {
		return deadLink(claimLinkGone)
	} else if err != nil {
		return err
	}
	return e.page(c, fiber.StatusOK, MailPage{Heading: tr(c, "Represent a company"),
		Message: tr(c, "Press the button to become a representative of the company. The link then stops working."),
		Action:  "/claim/" + c.Params("token"), Button: tr(c, "Become a representative")})
}

// confirmClaim uses a claim link: POST /claim/{token}.
func (e *email) confirmClaim(c *fiber.Ctx) error {
	co, err := e.store.ConfirmClaim(c.UserContext(), c.Params("token"))
	if errors.Is(err, models.ErrNotFound) {
		return deadLink(claimLinkGone)
	} else if msg := claimRefusal(err); msg != "" {
		return &PageError{Status: fiber.StatusForbidden, Heading: tr(c, "You cannot represent this company this way"), Message: msg + " Nothing was changed.", LinkURL: "/me", LinkText: tr(c, "Your account")}
	} else if err != nil {
		return err
	}
	return e.page(c, fiber.StatusOK, MailPage{Heading: "You represent " + co.Name,
		Message: "You can now reply officially to the stories about " + co.Name + ". An admin can end this at any time.",
		LinkURL: "/company/" + co.Slug, LinkText: co.Name})
}
