// Package oauth signs people in with GitHub, Google, Facebook, X and any
// OpenID Connect issuer: adapters from goth's providers to
// handlers.Provider, with the checks goth leaves out.
package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/markbates/goth"
	"golang.org/x/oauth2"

	"doleances/handlers"
	"doleances/models"
)

// oauthProvider adapts a goth provider to handlers.Provider: our handlers
// drive goth's BeginAuth, GetAuthURL, Authorize and FetchUser themselves,
// with their own state, and add PKCE and a nonce where the provider takes them.
type oauthProvider struct {
	name, label string
	load        func() (goth.Provider, error) // may reach the provider (OIDC discovery)
	pkce, nonce bool
	// identify turns goth's user into an identity, checking what goth does not
	// (the ID token's signature and nonce, whether the email is verified).
	identify func(ctx context.Context, u goth.User, s oauthSecret) (models.IdentityInput, error)
}

// oauthSecret is what a sign-in in progress keeps server-side.
type oauthSecret struct {
	Session  string `json:"s"`
	Verifier string `json:"v,omitempty"`
	Nonce    string `json:"n,omitempty"`
}

func (p *oauthProvider) Name() string  { return p.name }
func (p *oauthProvider) Label() string { return p.label }

// Begin implements handlers.Provider.
func (p *oauthProvider) Begin(_ context.Context, state string) (string, string, error) {
	gp, err := p.load()
	if err != nil {
		return "", "", classify(err)
	}
	sess, err := gp.BeginAuth(state)
	if err != nil {
		return "", "", classify(err)
	}
	authURL, err := sess.GetAuthURL()
	if err != nil {
		return "", "", err
	}
	u, err := url.Parse(authURL)
	if err != nil {
		return "", "", err
	}
	sec := oauthSecret{Session: sess.Marshal()}
	q := u.Query()
	if p.pkce {
		sec.Verifier = oauth2.GenerateVerifier()
		q.Set("code_challenge", oauth2.S256ChallengeFromVerifier(sec.Verifier))
		q.Set("code_challenge_method", "S256")
	}
	if p.nonce {
		sec.Nonce = models.NewToken()
		q.Set("nonce", sec.Nonce)
	}
	u.RawQuery = q.Encode()
	b, err := json.Marshal(sec)
	return u.String(), string(b), err
}

// Complete implements handlers.Provider.
func (p *oauthProvider) Complete(ctx context.Context, query url.Values, secret string) (models.IdentityInput, error) {
	var sec oauthSecret
	if err := json.Unmarshal([]byte(secret), &sec); err != nil {
		return models.IdentityInput{}, fmt.Errorf("%s: sign-in secret: %w", p.name, err)
	}
	gp, err := p.load()
	if err != nil {
		return models.IdentityInput{}, classify(err)
	}
	sess, err := gp.UnmarshalSession(sec.Session)
	if err != nil {
		return models.IdentityInput{}, err
	}
	params := url.Values{"code": {query.Get("code")}}
	if sec.Verifier != "" {
		params.Set("code_verifier", sec.Verifier)
	}
	if query.Get("code") == "" {
		return models.IdentityInput{}, errors.New("no code in the callback")
	}
	if _, err := sess.Authorize(gp, params); err != nil {
		return models.IdentityInput{}, fmt.Errorf("%s: exchange code: %w", p.name, classify(err))
	}
	u, err := gp.FetchUser(sess)
	if err != nil {
		return models.IdentityInput{}, fmt.Errorf("%s: fetch user: %w", p.name, classify(err))
	}
	if u.UserID == "" {
		return models.IdentityInput{}, fmt.Errorf("%s: no user id", p.name)
	}
	in, err := p.identify(ctx, u, sec)
	if err != nil {
		return models.IdentityInput{}, classify(err)
	}
	in.Provider, in.ProviderUserID = p.name, u.UserID
	return in, nil
}

// basicIdentity is what goth says, with the email verified or not.
func basicIdentity(u goth.User, verified bool) models.IdentityInput {
	name := u.Name
	if name == "" {
		name = u.FirstName + " " + u.LastName
	}
	return models.IdentityInput{Email: u.Email, EmailVerified: verified && u.Email != "",
		Name: name, Nick: u.NickName, AvatarURL: u.AvatarURL}
}

// classify wraps network failures and provider-side 5xx answers in
// handlers.ErrProviderDown.
func classify(err error) error {
	var ne net.Error
	var re *oauth2.RetrieveError
	var ue *url.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 500,
		errors.As(err, &ne), errors.As(err, &ue):
		return fmt.Errorf("%w: %w", handlers.ErrProviderDown, err)
	}
	return err
}

// httpClient is the client every provider uses: never wait forever.
func httpClient() *http.Client { return &http.Client{Timeout: 10 * time.Second} }

// lazy returns load, called until it succeeds once: a provider whose
// discovery document cannot be fetched at start-up is retried at sign-in.
func lazy(load func() (goth.Provider, error)) func() (goth.Provider, error) {
	var mu sync.Mutex
	var p goth.Provider
	return func() (goth.Provider, error) {
		mu.Lock()
		defer mu.Unlock()
		if p != nil {
			return p, nil
		}
		gp, err := load()
		if err != nil {
			return nil, err
		}
		p = gp
		return p, nil
	}
}

func ready(p goth.Provider) func() (goth.Provider, error) {
	return func() (goth.Provider, error) { return p, nil }
}
