package oauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/markbates/goth"
	"golang.org/x/oauth2"
)

// XEndpoints are the addresses of X's OAuth 2.0 service.
type XEndpoints struct {
	AuthURL, TokenURL, ProfileURL string
}

var xDefaults = XEndpoints{
	AuthURL:    "https://x.com/i/oauth2/authorize",
	TokenURL:   "https://api.x.com/2/oauth2/token",
	ProfileURL: "https://api.x.com/2/users/me?user.fields=profile_image_url",
}

// xProvider is a goth.Provider for X (Twitter) with OAuth 2.0 and PKCE, which
// new X apps use; goth's twitter providers speak OAuth 1.0a. The PKCE
// challenge is added by oauthProvider; Authorize sends the verifier.
type xProvider struct {
	name       string
	config     *oauth2.Config
	profileURL string
	HTTPClient *http.Client
}

func newXProvider(key, secret, callback string, ep *XEndpoints) *xProvider {
	e := xDefaults
	if ep != nil {
		e = *ep
	}
	return &xProvider{name: "twitter", profileURL: e.ProfileURL, HTTPClient: httpClient(), config: &oauth2.Config{
		ClientID: key, ClientSecret: secret, RedirectURL: callback,
		Endpoint: oauth2.Endpoint{AuthURL: e.AuthURL, TokenURL: e.TokenURL, AuthStyle: oauth2.AuthStyleInHeader},
		Scopes:   []string{"users.read", "tweet.read"},
	}}
}

func (p *xProvider) Name() string        { return p.name }
func (p *xProvider) SetName(name string) { p.name = name }
func (p *xProvider) Debug(bool)          {}

// BeginAuth implements goth.Provider.
func (p *xProvider) BeginAuth(state string) (goth.Session, error) {
	return &xSession{AuthURL: p.config.AuthCodeURL(state)}, nil
}

// UnmarshalSession implements goth.Provider.
func (p *xProvider) UnmarshalSession(data string) (goth.Session, error) {
	s := &xSession{}
	err := json.Unmarshal([]byte(data), s)
	return s, err
}

// FetchUser implements goth.Provider: GET /2/users/me.
func (p *xProvider) FetchUser(session goth.Session) (goth.User, error) {
	s, ok := session.(*xSession)
	if !ok || s.AccessToken == "" {
		return goth.User{}, errors.New("x: no access token")
	}
	req, err := http.NewRequest(http.MethodGet, p.profileURL, nil)
	if err != nil {
		return goth.User{}, err
	}
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	resp, err := p.HTTPClient.Do(req)
	if err != nil {
		return goth.User{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return goth.User{}, fmt.Errorf("x: users/me answered %d", resp.StatusCode)
	}
	var body struct {
		Data struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Username string `json:"username"`
			Image    string `json:"profile_image_url"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return goth.User{}, fmt.Errorf("x: users/me: %w", err)
	}
	d := body.Data
	return goth.User{Provider: p.name, UserID: d.ID, Name: d.Name, NickName: d.Username,
		AvatarURL: d.Image, AccessToken: s.AccessToken, RefreshToken: s.RefreshToken, ExpiresAt: s.Expiry}, nil
}

// RefreshToken implements goth.Provider.
func (p *xProvider) RefreshToken(refresh string) (*oauth2.Token, error) {
	ctx := goth.ContextForClient(p.HTTPClient)
	return p.config.TokenSource(ctx, &oauth2.Token{RefreshToken: refresh}).Token()
}

// RefreshTokenAvailable implements goth.Provider.
func (p *xProvider) RefreshTokenAvailable() bool { return true }

// xSession is a sign-in with X in progress.
type xSession struct {
	AuthURL      string
	AccessToken  string
	RefreshToken string
	Expiry       time.Time
}

// GetAuthURL implements goth.Session.
func (s *xSession) GetAuthURL() (string, error) {
	if s.AuthURL == "" {
		return "", errors.New(goth.NoAuthUrlErrorMessage)
	}
	return s.AuthURL, nil
}

// Marshal implements goth.Session.
func (s *xSession) Marshal() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Authorize implements goth.Session: the code and PKCE verifier for tokens.
func (s *xSession) Authorize(provider goth.Provider, params goth.Params) (string, error) {
	p, ok := provider.(*xProvider)
	if !ok {
		return "", errors.New("x: wrong provider")
	}
	var opts []oauth2.AuthCodeOption
	if v := params.Get("code_verifier"); v != "" {
		opts = append(opts, oauth2.VerifierOption(v))
	}
	tok, err := p.config.Exchange(goth.ContextForClient(p.HTTPClient), params.Get("code"), opts...)
	if err != nil {
		return "", err
	}
	if !tok.Valid() || !strings.EqualFold(tok.Type(), "bearer") {
		return "", errors.New("x: invalid token")
	}
	s.AccessToken, s.RefreshToken, s.Expiry = tok.AccessToken, tok.RefreshToken, tok.Expiry
	return tok.AccessToken, nil
}
