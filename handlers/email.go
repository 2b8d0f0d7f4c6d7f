package handlers

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// Mailer queues the mails a request asks for. The app's mail package
// implements it; the notifications of new comments and stories are written
// in the background, not here.
type Mailer interface {
	// SignInLink mails a one-time sign-in link (with linkUser: a link that
	// adds the address to that account); models.ErrTooManyMails past the
	// per-address limit.
	SignInLink(ctx context.Context, email, next string, linkUser *uint) error
	// Confirm mails a link confirming the address (and follow followID).
	Confirm(ctx context.Context, email string, followID *uint, what string) error
	// ClaimLink mails user u the link that makes them a representative of co.
	ClaimLink(ctx context.Context, u *models.User, co *models.Company) error
}

// MailSettings are the dependencies of the email features.
type MailSettings struct {
	Mailer         Mailer
	Notices        NoticeMailer // the mails of the notice process
	UnsubscribeKey []byte       // signs unsubscribe links (models.UnsubscribeToken)
	RatePerMinute  int          // mails asked per minute per IP address; 0: MailRate
}

// MailRate is the default number of mails (sign-in links, confirmations)
// one IP address may ask for per minute.
const MailRate = 5

type mailStore interface {
	PeekOneTimeToken(ctx context.Context, purpose, token string) (*models.OneTimeToken, error)
	SignInWithEmail(ctx context.Context, token string, admin func(string) bool) (*models.User, *models.OneTimeToken, error)
	LinkIdentity(ctx context.Context, userID uint, in models.IdentityInput) error
	ConfirmAddress(ctx context.Context, token string) (*models.OneTimeToken, error)
	AddressConfirmed(ctx context.Context, email string) (bool, error)
	Unsubscribe(ctx context.Context, kind string, id uint) error
	FollowTarget(ctx context.Context, kind, slug string) (uint, string, string, error)
	RequestFollow(ctx context.Context, r models.FollowRequest) (*models.Follow, bool, error)
	Follows(ctx context.Context, userID uint, verifiedEmail string) ([]models.Follow, error)
	EndFollow(ctx context.Context, id, userID uint, verifiedEmail string) error
	SetMailPreferences(ctx context.Context, userID uint, comments, moderation bool) error
	Outbox(ctx context.Context, n int) ([]models.OutboxMail, error)
	UserByID(ctx context.Context, id uint) (*models.User, error)
	CompanyBySlug(ctx context.Context, slug string) (*models.Company, error)
	CanClaim(ctx context.Context, userID, companyID uint) error
	ConfirmClaim(ctx context.Context, token string) (*models.Company, error)
}

// email serves signing in by email, confirmations, unsubscribing and follows.
type email struct {
	*auth
	store    mailStore
	mailer   Mailer
	limit    *ipLimiter
	unsubKey []byte
}

// MailPage is a page about a mailed link: what happened, and at most one
// button (a POST, so that mail scanners following links change nothing).
type MailPage struct {
	Layout
	Heading, Message  string
	Action, Button    string
	LinkURL, LinkText string
	// Email, Next and Error belong to a form asking for an address.
	EmailForm bool
	Email     string
	Next      string
	Digest    bool
	Error     string
}

func (e *email) page(c *fiber.Ctx, status int, mp MailPage) error {
	l, err := e.layout(c, mp.Heading, "", "")
	if err != nil {
		return err
	}
	l.Canonical = ""
	mp.Layout = l
	c.Set(fiber.HeaderCacheControl, "no-store")
	return e.render(c, status, "mail", mp)
}

// signInLinkGone says why a sign-in link no longer works.
const signInLinkGone = "Sign-in links work once, for 15 minutes: ask for a new one on the sign-in page."

// deadLink is the clear page of a used, expired or forged link: nothing changed.
func deadLink(what string) error {
	return &PageError{Status: fiber.StatusNotFound, Heading: "This link no longer works",
		Message: what + " Nothing was changed.", LinkURL: "/", LinkText: "Back to the front page"}
}

// tooFast answers a visitor who asked for too many mails.
func (e *email) tooFast(c *fiber.Ctx, mp MailPage) error {
	mp.Error = tr(c, "Too many mails were asked for in a short time. Please wait a few minutes and try again.")
	return e.page(c, fiber.StatusTooManyRequests, mp)
}

// checkAddress reads the form's address. A bad one, or one IP address
// asking for too many mails, gets the form again (done).
func (e *email) checkAddress(c *fiber.Ctx, mp MailPage) (addr string, done bool, err error) {
	addr, err = models.NormalizeEmail(mp.Email)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		mp.Error = localFields(c, ve.Fields)["email"]
		return "", true, e.page(c, fiber.StatusUnprocessableEntity, mp)
	}
	if wait, err := e.limit.allow(c.UserContext(), clientIP(c)); err != nil {
		return "", true, err
	} else if wait > 0 {
		return "", true, e.tooFast(c, mp)
	}
	return addr, false, err
}

// requestLink mails a sign-in link: POST /login/email. The answer is the
// same whether or not an account has this address.
func (e *email) requestLink(c *fiber.Ctx) error {
	next := safeNext(c.FormValue("next"))
	mp := MailPage{Heading: tr(c, "Sign in by email"), EmailForm: true, Action: "/login/email", Button: tr(c, "Email me a sign-in link"),
		Email: formLine(c, "email"), Next: next}
	addr, done, err := e.checkAddress(c, mp)
	if done {
		return err
	}
	err = e.mailer.SignInLink(c.UserContext(), addr, next, nil)
	if errors.Is(err, models.ErrTooManyMails) {
		mp.Error = tr(c, "Several sign-in links were sent to this address in the last hour: please use the latest one, or try again later.")
		return e.page(c, fiber.StatusTooManyRequests, mp)
	} else if err != nil {
		return err
	}
	return e.page(c, fiber.StatusOK, MailPage{Heading: tr(c, "Check your mail"),
		Message: "We sent a sign-in link to " + addr + ". It works once, for 15 minutes. Nothing arrived? Look in the spam folder, or ask again in a few minutes."})
}

// linkForm shows the button of an email sign-in link: GET /login/email/{token}.
func (e *email) linkForm(c *fiber.Ctx) error {
	t, err := e.store.PeekOneTimeToken(c.UserContext(), models.PurposeEmail, c.Params("token"))
	if errors.Is(err, models.ErrNotFound) {
		return deadLink(signInLinkGone)
	} else if err != nil {
		return err
	}
	mp := MailPage{Heading: "Sign in as " + t.Email, Message: tr(c, "Press the button to sign in. The link then stops working."),
		Action: "/login/email/" + c.Params("token"), Button: tr(c, "Sign in")}
	if t.UserID != nil {
		mp.Heading, mp.Message, mp.Button = "Add "+t.Email+" to your account", tr(c, "Press the button to sign in to your account with this address too."), tr(c, "Add the address")
	}
	return e.page(c, fiber.StatusOK, mp)
}

// signIn uses an email sign-in link: POST /login/email/{token}.
func (e *email) signIn(c *fiber.Ctx) error {
	// A link that adds an address works only in the browser of its
	// account: checked before the link is used up.
	t, err := e.store.PeekOneTimeToken(c.UserContext(), models.PurposeEmail, c.Params("token"))
	if errors.Is(err, models.ErrNotFound) {
		return deadLink(signInLinkGone)
	} else if err != nil {
		return err
	}
	if sess := currentSession(c); t.UserID != nil && (sess == nil || sess.UserID != *t.UserID) {
		return signInFailed(fiber.StatusBadRequest, tr(c, "Open this link in the browser where you are signed in to the account that asked for it."), nil)
	}
	admin := func(addr string) bool { return e.admins[strings.ToLower(addr)] }
	u, t, err := e.store.SignInWithEmail(c.UserContext(), c.Params("token"), admin)
	if errors.Is(err, models.ErrNotFound) {
		return deadLink(signInLinkGone)
	} else if err != nil {
		return err
	}
	if t.UserID != nil {
		return e.linkAddress(c, *t.UserID, t.Email)
	}
	if err := e.startSession(c, u.ID); err != nil {
		return err
	}
	return c.Redirect(safeNext(t.Next), fiber.StatusSeeOther)
}

// linkAddress adds an address, proved by its link, to the signed-in account.
func (e *email) linkAddress(c *fiber.Ctx, userID uint, addr string) error {
	err := e.store.LinkIdentity(c.UserContext(), userID, models.EmailIdentity(addr, false))
	if errors.Is(err, models.ErrConflict) {
		return &PageError{Status: fiber.StatusConflict, Heading: tr(c, "That address is already in use"),
			Message: tr(c, "This address signs in to another account here. Accounts are never merged: sign in with it and delete that account first."),
			LinkURL: "/me", LinkText: tr(c, "Back to your account")}
	} else if err != nil {
		return err
	}
	return c.Redirect("/me?linked=1", fiber.StatusSeeOther)
}

// addAddress mails a link that adds an address to the account: POST /me/email.
func (e *email) addAddress(c *fiber.Ctx, u *models.User) error {
	mp := MailPage{Heading: tr(c, "Add an email address"), EmailForm: true, Action: "/me/email", Button: tr(c, "Email me a link"), Email: formLine(c, "email")}
	addr, done, err := e.checkAddress(c, mp)
	if done {
		return err
	}
	uid := u.ID
	if err := e.mailer.SignInLink(c.UserContext(), addr, "/me", &uid); errors.Is(err, models.ErrTooManyMails) {
		return e.tooFast(c, mp)
	} else if err != nil {
		return err
	}
	return e.page(c, fiber.StatusOK, MailPage{Heading: tr(c, "Check your mail"),
		Message: "We sent a link to " + addr + ". Open it in this browser within 15 minutes to add the address to your account.",
		LinkURL: "/me", LinkText: tr(c, "Back to your account")})
}
