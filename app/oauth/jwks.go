package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-jose/go-jose/v4"
)

// jwksCache checks the signature of ID tokens with the issuer's published
// keys (goth's openidConnect decodes the token but does not verify it).
type jwksCache struct {
	client  *http.Client
	jwksURL string
}

func newJWKSCache(client *http.Client, discoveryURL string) (*jwksCache, error) {
	var doc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := getJSON(context.Background(), client, discoveryURL, &doc); err != nil {
		return nil, err
	}
	if doc.JWKSURI == "" {
		return nil, errors.New("oidc: the discovery document has no jwks_uri")
	}
	return &jwksCache{client: client, jwksURL: doc.JWKSURI}, nil
}

var idTokenAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.ES256, jose.ES384, jose.EdDSA}

// verify checks the token's signature with the issuer's current keys and
// returns its claims. Keys are fetched at each sign-in, which is rare enough,
// so that a rotation is picked up at once.
func (k *jwksCache) verify(ctx context.Context, token string) (map[string]any, error) {
	if k == nil || token == "" {
		return nil, errors.New("oidc: no ID token to verify")
	}
	jws, err := jose.ParseSigned(token, idTokenAlgs)
	if err != nil {
		return nil, fmt.Errorf("oidc: ID token: %w", err)
	}
	var set jose.JSONWebKeySet
	if err := getJSON(ctx, k.client, k.jwksURL, &set); err != nil {
		return nil, err
	}
	if len(jws.Signatures) != 1 {
		return nil, errors.New("oidc: ID token must have exactly one signature")
	}
	keys := set.Keys
	if kid := jws.Signatures[0].Header.KeyID; kid != "" {
		keys = set.Key(kid)
	}
	for _, key := range keys {
		if payload, err := jws.Verify(key); err == nil {
			var claims map[string]any
			if err := json.Unmarshal(payload, &claims); err != nil {
				return nil, fmt.Errorf("oidc: ID token claims: %w", err)
			}
			return claims, nil
		}
	}
	return nil, errors.New("oidc: the ID token's signature does not verify with the issuer's keys")
}

func getJSON(ctx context.Context, client *http.Client, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v)
}
