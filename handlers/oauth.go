package handlers

import (
	"crypto/subtle"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// loginCookie binds a sign-in in progress to the browser that started it.
const (
	loginCookie = "doleances_login"
	loginTTL    = 10 * time.Minute
)

// begin starts signing in with a provider: GET /auth/{provider}?next=/path.
func (a *auth) begin(c *fiber.Ctx) error {
	p, err := a.provider(c)
	if err != nil {
		return err
	}
	return a.start(c, p, safeNext(c.Query("next")), nil)
}

// beginLink starts linking another provider to the signed-in account (POST
// from /me, so it carries the CSRF token).
func (a *auth) beginLink(c *fiber.Ctx, u *models.User) error {
	p, err := a.provider(c)
	if err != nil {
		return err
	}
	return a.start(c, p, "/me", &u.ID)
}

func (a *auth) start(c *fiber.Ctx, p Provider, next string, linkUser *uint) error {
	state, binding := models.NewToken(), models.NewToken()
	authURL, secret, err := p.Begin(c.UserContext(), state)
	if err != nil {
		return signInFailed(fiber.StatusBadGateway, p.Label()+" cannot be reached at the moment. Please try again in a few minutes, or choose another way to sign in.", err)
	}
	ls := &models.LoginState{StateHash: models.HashToken(state), BindingHash: models.HashToken(binding),
		Provider: p.Name(), Secret: secret, Next: next, LinkUserID: linkUser, ExpiresAt: a.now().Add(loginTTL)}
	if err := a.store.SaveLoginState(c.UserContext(), ls); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: loginCookie, Value: binding, Path: "/auth", MaxAge: int(loginTTL.Seconds()),
		HTTPOnly: true, Secure: a.secure, SameSite: fiber.CookieSameSiteLaxMode})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(authURL, fiber.StatusSeeOther)
}

// callback finishes a sign-in: GET /auth/{provider}/callback?state=...&code=...
func (a *auth) callback(c *fiber.Ctx) error {
	p, err := a.provider(c)
	if err != nil {
		return err
	}
	binding := c.Cookies(loginCookie)
	c.Cookie(&fiber.Cookie{Name: loginCookie, Path: "/auth", MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, Secure: a.secure, SameSite: fiber.CookieSameSiteLaxMode})
	c.Set(fiber.HeaderCacheControl, "no-store")
	state := c.Query("state")
	if state == "" {
		return signInFailed(fiber.StatusBadRequest, "The answer from "+p.Label()+" did not say which sign-in it belongs to. Please start again.", nil)
	}
	ls, err := a.store.TakeLoginState(c.UserContext(), state)
	if errors.Is(err, models.ErrNotFound) {
		return signInFailed(fiber.StatusBadRequest, tr(c, "This sign-in has expired or was already used. Please start again."), nil)
	}
	if err != nil {
		return err
	}
	if ls.Provider != p.Name() || subtle.ConstantTimeCompare([]byte(models.HashToken(binding)), []byte(ls.BindingHash)) != 1 {
		return signInFailed(fiber.StatusBadRequest, tr(c, "This sign-in was started in another browser, or its cookie is missing. Please start again from this browser."), nil)
	}
	if e := c.Query("error"); e != "" {
		msg := p.Label() + " did not sign you in. Nothing was changed; you can try again or choose another way."
		if e == "access_denied" {
			msg = "You did not allow " + a.site.Name + " to use your " + p.Label() + " account, so you are not signed in. You can try again or choose another way."
		}
		return signInFailed(fiber.StatusBadRequest, msg, nil)
	}
	q := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
	in, err := p.Complete(c.UserContext(), q, ls.Secret)
	switch {
	case errors.Is(err, ErrProviderDown):
		return signInFailed(fiber.StatusBadGateway, p.Label()+" cannot be reached at the moment, so you are not signed in. Please try again in a few minutes.", err)
	case err != nil:
		return signInFailed(fiber.StatusBadRequest, p.Label()+" could not confirm who you are, so you are not signed in. Please start again.", err)
	}
	in.Admin = in.EmailVerified && a.admins[strings.ToLower(strings.TrimSpace(in.Email))]
	if ls.LinkUserID != nil {
		return a.finishLink(c, p, *ls.LinkUserID, in)
	}
	u, err := a.store.SignInWithIdentity(c.UserContext(), in)
	if err != nil {
		return err
	}
	if err := a.startSession(c, u.ID); err != nil {
		return err
	}
	return c.Redirect(safeNext(ls.Next), fiber.StatusSeeOther)
}

func (a *auth) finishLink(c *fiber.Ctx, p Provider, userID uint, in models.IdentityInput) error {
	sess := currentSession(c)
	if sess == nil || sess.UserID != userID {
		return signInFailed(fiber.StatusBadRequest, tr(c, "You are no longer signed in as the person who asked to link this account. Please sign in and try again."), nil)
	}
	err := a.store.LinkIdentity(c.UserContext(), userID, in)
	if errors.Is(err, models.ErrConflict) {
		return &PageError{Status: fiber.StatusConflict, Heading: tr(c, "That account is already in use"),
			Message: "This " + p.Label() + " account is linked to another person's account here. Sign out and sign in with it, or delete that account first.",
			LinkURL: "/me", LinkText: tr(c, "Back to your account")}
	}
	if err != nil {
		return err
	}
	return c.Redirect("/me?linked=1", fiber.StatusSeeOther)
}

// logout signs this browser out: POST /logout.
func (a *auth) logout(c *fiber.Ctx) error {
	if token := c.Cookies(sessionCookie); token != "" {
		if err := a.store.DeleteSession(c.UserContext(), token); err != nil {
			return err
		}
	}
	a.clearSessionCookie(c)
	return c.Redirect("/", fiber.StatusSeeOther)
}
