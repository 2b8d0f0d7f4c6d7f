package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// Provider is a sign-in provider (GitHub, an OpenID Connect issuer...), as the
// sign-in handlers use it. The app package adapts goth's providers to it.
type Provider interface {
	Name() string  // in URLs: /auth/{name}
	Label() string // on the button
	// Begin returns the provider's URL to send the browser to, carrying state,
	// and a secret (PKCE verifier, nonce...) that Complete needs back.
	Begin(ctx context.Context, state string) (authURL, secret string, err error)
	// Complete exchanges the callback's query for the person's identity.
	Complete(ctx context.Context, query url.Values, secret string) (models.IdentityInput, error)
}

// ErrProviderDown is wrapped by a Provider whose server cannot be reached.
var ErrProviderDown = errors.New("sign-in provider unreachable")

// AuthConfig is how people sign in.
type AuthConfig struct {
	Providers     []Provider
	AdminEmails   []string      // verified emails that make their user an admin
	SecureCookies bool          // base-url is https
	SessionTTL    time.Duration // 0: 30 days
}

type authStore interface {
	sidebarStore
	SetAvatar(ctx context.Context, userID uint, url string) error
	SessionByToken(ctx context.Context, token string, ttl time.Duration) (*models.Session, error)
	CreateSession(ctx context.Context, userID uint, ttl time.Duration) (string, error)
	DeleteSession(ctx context.Context, token string) error
	DeleteUserSessions(ctx context.Context, userID uint) error
	SaveLoginState(ctx context.Context, ls *models.LoginState) error
	TakeLoginState(ctx context.Context, state string) (*models.LoginState, error)
	SignInWithIdentity(ctx context.Context, in models.IdentityInput) (*models.User, error)
	LinkIdentity(ctx context.Context, userID uint, in models.IdentityInput) error
	Identities(ctx context.Context, userID uint) ([]models.Identity, error)
	UnlinkIdentity(ctx context.Context, userID, identityID uint) error
	UpdateProfile(ctx context.Context, userID uint, name, handle string) error
	UpdateAbout(ctx context.Context, userID uint, bio string, links []string) error
	DeleteUser(ctx context.Context, userID uint, keep bool) error
	PeekOneTimeToken(ctx context.Context, purpose, token string) (*models.OneTimeToken, error)
	CreateFirstAdmin(ctx context.Context, token, name string) (*models.User, error)
	SignInWithLink(ctx context.Context, token string) (*models.User, error)
	UserByID(ctx context.Context, id uint) (*models.User, error)
	Follows(ctx context.Context, userID uint, verifiedEmail string) ([]models.Follow, error)
	NoticesAbout(ctx context.Context, userID uint) ([]models.Notice, error)
	RepliesToConfirm(ctx context.Context, userID uint) ([]models.ReplyToConfirm, error)
	AppealNotice(ctx context.Context, userID, id uint, text string) error
}

// auth serves signing in and out, the account page and the one-time links.
type auth struct {
	*pages
	store     authStore
	providers map[string]Provider
	order     []Provider
	admins    map[string]bool
	secure    bool
	ttl       time.Duration
	log       *slog.Logger
	origin    string // scheme://host of base-url
	now       func() time.Time
	pics      *pictures
}

func newAuth(p *pages, d Deps) *auth {
	a := &auth{pages: p, store: d.Store, providers: map[string]Provider{}, admins: map[string]bool{},
		secure: d.Auth.SecureCookies, ttl: d.Auth.SessionTTL, log: d.Log, origin: originOf(d.Site.BaseURL), now: d.Now}
	if a.now == nil {
		a.now = time.Now
	}
	if a.ttl == 0 {
		a.ttl = 30 * 24 * time.Hour
	}
	for _, pr := range d.Auth.Providers {
		a.providers[pr.Name()] = pr
		a.order = append(a.order, pr)
	}
	for _, e := range d.Auth.AdminEmails {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			a.admins[e] = true
		}
	}
	return a
}

func originOf(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// safeNext returns next if it is a path on this site, else "/". It refuses
// absolute and scheme-relative URLs ("//evil", "/\evil"), control characters
// and anything not starting with a single "/".
func safeNext(next string) string {
	if len(next) == 0 || len(next) > 1000 || next[0] != '/' {
		return "/"
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

// ProviderLink is a sign-in button.
type ProviderLink struct {
	Name, Label string
}

// LoginPage is /login.
type LoginPage struct {
	Layout
	Providers []ProviderLink
	Next      string
}

func (a *auth) login(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	if currentSession(c) != nil {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	l, err := a.layout(c, tr(c, "Sign in"), "/login", "")
	if err != nil {
		return err
	}
	lp := LoginPage{Layout: l, Next: next}
	for _, p := range a.order {
		lp.Providers = append(lp.Providers, ProviderLink{Name: p.Name(), Label: p.Label()})
	}
	return a.render(c, fiber.StatusOK, "login", lp)
}

// signInFailed is the page of a sign-in that did not work: a clear message, a
// 4xx (502 when the provider is down) and the way back to /login.
func signInFailed(status int, msg string, cause error) error {
	return &PageError{Status: status, Heading: "Sign-in did not work", Message: msg,
		LinkURL: "/login", LinkText: "Back to the sign-in page", Err: cause}
}

func (a *auth) provider(c *fiber.Ctx) (Provider, error) {
	p, ok := a.providers[c.Params("provider")]
	if !ok {
		return nil, fiber.ErrNotFound
	}
	return p, nil
}
