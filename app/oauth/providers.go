package oauth

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/markbates/goth"
	"github.com/markbates/goth/providers/facebook"
	"github.com/markbates/goth/providers/github"
	"github.com/markbates/goth/providers/google"
	"github.com/markbates/goth/providers/openidConnect"

	"doleances/handlers"
	"doleances/models"
)

// Settings are the providers' settings: each provider's client key and
// secret (empty: off), and where the self-hosted ones live.
type Settings struct {
	GitHubKey, GitHubSecret     string
	GoogleKey, GoogleSecret     string
	FacebookKey, FacebookSecret string
	TwitterKey, TwitterSecret   string
	OIDCIssuer, OIDCKey         string
	OIDCSecret, OIDCName        string
	GitHubURL                   string      // GitHub Enterprise; empty: github.com
	XEndpoints                  *XEndpoints // X OAuth 2.0 endpoints; nil: x.com (tests set them)
}

// Providers builds the sign-in providers that are configured, in the order
// of their buttons. Each has its own goth provider value: goth's global
// registry is not used.
// Callbacks go to baseURL, the site's public address.
func Providers(cfg Settings, baseURL string, log *slog.Logger) []handlers.Provider {
	cb := func(name string) string { return baseURL + "/auth/" + name + "/callback" }
	var ps []handlers.Provider
	if cfg.GitHubKey != "" {
		ps = append(ps, githubProvider(cfg, cb("github")))
	}
	if cfg.GoogleKey != "" {
		g := google.New(cfg.GoogleKey, cfg.GoogleSecret, cb("google"), "openid", "email", "profile")
		g.HTTPClient = httpClient()
		ps = append(ps, &oauthProvider{name: "google", label: "Google", load: ready(g),
			identify: func(_ context.Context, u goth.User, _ oauthSecret) (models.IdentityInput, error) {
				v, _ := u.RawData["verified_email"].(bool)
				return basicIdentity(u, v), nil
			}})
	}
	if cfg.FacebookKey != "" {
		f := facebook.New(cfg.FacebookKey, cfg.FacebookSecret, cb("facebook"), "email")
		f.HTTPClient = httpClient()
		ps = append(ps, &oauthProvider{name: "facebook", label: "Facebook", load: ready(f),
			identify: func(_ context.Context, u goth.User, _ oauthSecret) (models.IdentityInput, error) {
				return basicIdentity(u, false), nil // Facebook does not say whether it checked the email
			}})
	}
	if cfg.TwitterKey != "" {
		x := newXProvider(cfg.TwitterKey, cfg.TwitterSecret, cb("twitter"), cfg.XEndpoints)
		ps = append(ps, &oauthProvider{name: "twitter", label: "X", load: ready(x), pkce: true,
			identify: func(_ context.Context, u goth.User, _ oauthSecret) (models.IdentityInput, error) {
				return basicIdentity(u, false), nil
			}})
	}
	if cfg.OIDCIssuer != "" && cfg.OIDCKey != "" {
		ps = append(ps, oidcProvider(cfg, cb("oidc"), log))
	}
	return ps
}

func githubProvider(cfg Settings, callback string) handlers.Provider {
	base, api := "https://github.com", "https://api.github.com"
	if cfg.GitHubURL != "" {
		base = strings.TrimRight(cfg.GitHubURL, "/")
		api = base + "/api/v3"
	}
	emails := api + "/user/emails"
	g := github.NewCustomisedURL(cfg.GitHubKey, cfg.GitHubSecret, callback,
		base+"/login/oauth/authorize", base+"/login/oauth/access_token", api+"/user", emails, "read:user", "user:email")
	g.HTTPClient = httpClient()
	return &oauthProvider{name: "github", label: "GitHub", load: ready(g),
		identify: func(ctx context.Context, u goth.User, _ oauthSecret) (models.IdentityInput, error) {
			v, err := githubVerified(ctx, g.HTTPClient, emails, u)
			return basicIdentity(u, v), err
		}}
}

// githubVerified asks GitHub whether the user's email is verified: a public
// profile email comes without that flag.
func githubVerified(ctx context.Context, client *http.Client, emailsURL string, u goth.User) (bool, error) {
	if u.Email == "" {
		return false, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, emailsURL, nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("Authorization", "Bearer "+u.AccessToken)
	req.Header.Set("Accept", "application/vnd.github+json")
	resp, err := client.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, nil // no permission to read emails: not verified, as far as we know
	}
	var list []struct {
		Email    string `json:"email"`
		Verified bool   `json:"verified"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return false, fmt.Errorf("github emails: %w", err)
	}
	for _, e := range list {
		if strings.EqualFold(e.Email, u.Email) {
			return e.Verified, nil
		}
	}
	return false, nil
}

func oidcProvider(cfg Settings, callback string, log *slog.Logger) handlers.Provider {
	issuer := strings.TrimRight(cfg.OIDCIssuer, "/")
	discovery := issuer + "/.well-known/openid-configuration"
	var keys *jwksCache
	load := lazy(func() (goth.Provider, error) {
		p, err := openidConnect.New(cfg.OIDCKey, cfg.OIDCSecret, callback, discovery, "openid", "email", "profile")
		if err != nil {
			return nil, err
		}
		p.HTTPClient = httpClient()
		k, err := newJWKSCache(p.HTTPClient, discovery)
		if err != nil {
			return nil, err
		}
		keys = k
		return p, nil
	})
	name := cfg.OIDCName
	if name == "" {
		name = "OpenID Connect"
	}
	return &oauthProvider{name: "oidc", label: name, load: load, pkce: true, nonce: true,
		identify: func(ctx context.Context, u goth.User, sec oauthSecret) (models.IdentityInput, error) {
			claims, err := keys.verify(ctx, u.IDToken)
			if err != nil {
				return models.IdentityInput{}, err
			}
			if n, _ := claims["nonce"].(string); n == "" || n != sec.Nonce {
				return models.IdentityInput{}, fmt.Errorf("oidc: the ID token's nonce does not match")
			}
			v := u.RawData["email_verified"]
			return basicIdentity(u, v == true || v == "true"), nil
		}}
}
