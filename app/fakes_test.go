package app

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// fakeUser is who a fake provider says signed in.
type fakeUser struct {
	ID, Login, Name, Email string
	Verified               bool
}

// fakeProvider plays an OAuth 2 provider on 127.0.0.1: GitHub-style, OpenID
// Connect (discovery, JWKS, RS256 ID tokens) or X (PKCE, Basic client auth).
type fakeProvider struct {
	t    *testing.T
	srv  *httptest.Server
	kind string // "github", "oidc", "x"
	key  *rsa.PrivateKey

	mu      sync.Mutex
	user    fakeUser
	deny    bool                         // answer the authorize step with error=access_denied
	codes   map[string]map[string]string // code -> what the authorize request said
	tokens  map[string]fakeUser
	granted int
}

func newFakeProvider(t *testing.T, kind string, u fakeUser) *fakeProvider {
	f := &fakeProvider{t: t, kind: kind, user: u, codes: map[string]map[string]string{}, tokens: map[string]fakeUser{}}
	if kind == "oidc" {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		f.key = k
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/login/oauth/authorize", f.authorize)
	mux.HandleFunc("/authorize", f.authorize)
	mux.HandleFunc("/login/oauth/access_token", f.token)
	mux.HandleFunc("/token", f.token)
	mux.HandleFunc("/api/v3/user", f.profile)
	mux.HandleFunc("/2/users/me", f.profile)
	mux.HandleFunc("/userinfo", f.profile)
	mux.HandleFunc("/api/v3/user/emails", f.emails)
	mux.HandleFunc("/.well-known/openid-configuration", f.discovery)
	mux.HandleFunc("/jwks", f.jwks)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeProvider) setUser(u fakeUser) { f.mu.Lock(); f.user = u; f.mu.Unlock() }
func (f *fakeProvider) setDeny(d bool)     { f.mu.Lock(); f.deny = d; f.mu.Unlock() }

func (f *fakeProvider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || back.Host == "" {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	bq := url.Values{"state": {q.Get("state")}}
	if f.deny {
		bq.Set("error", "access_denied")
	} else {
		code := base64.RawURLEncoding.EncodeToString([]byte(time.Now().String()))
		f.codes[code] = map[string]string{"challenge": q.Get("code_challenge"), "method": q.Get("code_challenge_method"),
			"nonce": q.Get("nonce"), "client": q.Get("client_id"), "redirect": q.Get("redirect_uri")}
		bq.Set("code", code)
	}
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (f *fakeProvider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	code := r.PostForm.Get("code")
	req, ok := f.codes[code]
	delete(f.codes, code) // a code works once
	fail := func(msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": msg})
	}
	if !ok {
		fail("unknown or used code")
		return
	}
	if req["challenge"] != "" {
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != req["challenge"] || req["method"] != "S256" {
			fail("PKCE verifier does not match")
			return
		}
	} else if f.kind != "github" {
		fail("PKCE required")
		return
	}
	if f.kind == "x" {
		if id, _, ok := r.BasicAuth(); !ok || id != "x-client" {
			fail("client authentication required")
			return
		}
	}
	access := base64.RawURLEncoding.EncodeToString([]byte(code + "-token"))
	f.tokens[access] = f.user
	f.granted++
	resp := map[string]any{"access_token": access, "token_type": "bearer", "expires_in": 3600}
	if f.kind == "oidc" {
		resp["id_token"] = f.idToken(req["nonce"], req["client"])
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

func (f *fakeProvider) idToken(nonce, aud string) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: f.key, KeyID: "k1"}}, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	claims := map[string]any{"iss": f.srv.URL, "sub": f.user.ID, "aud": aud, "exp": time.Now().Add(time.Hour).Unix(),
		"iat": time.Now().Unix(), "nonce": nonce, "name": f.user.Name, "preferred_username": f.user.Login,
		"email": f.user.Email, "email_verified": f.user.Verified}
	b, _ := json.Marshal(claims)
	jws, err := signer.Sign(b)
	if err != nil {
		f.t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fakeProvider) bearer(r *http.Request) (fakeUser, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	const p = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) <= len(p) {
		return fakeUser{}, false
	}
	u, ok := f.tokens[h[len(p):]]
	return u, ok
}

func (f *fakeProvider) profile(w http.ResponseWriter, r *http.Request) {
	u, ok := f.bearer(r)
	if !ok {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	var body any
	switch f.kind {
	case "github":
		id := 0
		for _, c := range u.ID {
			id = id*10 + int(c-'0')
		}
		body = map[string]any{"id": id, "login": u.Login, "name": u.Name, "email": u.Email, "avatar_url": "https://avatars.example/" + u.Login}
	case "x":
		body = map[string]any{"data": map[string]any{"id": u.ID, "name": u.Name, "username": u.Login}}
	default:
		body = map[string]any{"sub": u.ID, "name": u.Name, "email": u.Email, "email_verified": u.Verified}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}

func (f *fakeProvider) emails(w http.ResponseWriter, r *http.Request) {
	u, ok := f.bearer(r)
	if !ok {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode([]map[string]any{{"email": u.Email, "primary": true, "verified": u.Verified}})
}

func (f *fakeProvider) discovery(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"issuer": f.srv.URL, "authorization_endpoint": f.srv.URL + "/authorize",
		"token_endpoint": f.srv.URL + "/token", "userinfo_endpoint": f.srv.URL + "/userinfo", "jwks_uri": f.srv.URL + "/jwks",
		"id_token_signing_alg_values_supported": []string{"RS256"}})
}

func (f *fakeProvider) jwks(w http.ResponseWriter, r *http.Request) {
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &f.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(set)
}
