package models

import (
	"context"
	"errors"
	"testing"
)

// TestFollowRequests: an unverified request waits for its link and never
// changes a confirmed follow; a verified one starts at once; a bad address
// is a validation error.
func TestFollowRequests(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	req := FollowRequest{Email: " Fan@Example.org ", Kind: FollowSite, Label: "the site", Path: "/"}
	f, pending, err := s.RequestFollow(ctx, req)
	if err != nil || !pending || f.Confirmed || f.Email != "fan@example.org" {
		t.Fatalf("an unverified follow: %+v pending %v, %v", f, pending, err)
	}
	req.Verified = true
	if f2, pending, err := s.RequestFollow(ctx, req); err != nil || pending || f2.ID != f.ID || !f2.Confirmed {
		t.Fatalf("the verified owner's request: %+v pending %v, %v", f2, pending, err)
	}
	req.Verified, req.Digest = false, true
	if f3, pending, err := s.RequestFollow(ctx, req); err != nil || pending || f3.Digest {
		t.Errorf("a stranger's request changed a confirmed follow: %+v pending %v, %v", f3, pending, err)
	}
	var ve *ValidationError
	if _, _, err := s.RequestFollow(ctx, FollowRequest{Email: "x@y\r\nBcc: z@evil.example", Kind: FollowSite}); !errors.As(err, &ve) {
		t.Errorf("a bad address: %v", err)
	}
}

// TestUnsubscribeTokens: a token names what it ends; a changed kind, id or
// signature, or another site's key, is refused.
func TestUnsubscribeTokens(t *testing.T) {
	key, other := []byte("0123456789abcdef0123456789abcdef"), []byte("another site's key, 32 bytes...")
	tok := UnsubscribeToken(key, UnsubReplies, 42)
	if kind, id, ok := ParseUnsubscribeToken(key, tok); !ok || kind != UnsubReplies || id != 42 {
		t.Fatalf("parse %q: %q %d %v", tok, kind, id, ok)
	}
	for _, bad := range []string{"", "r42", "f42" + tok[3:], "r43" + tok[3:], tok[:len(tok)-2], "x1." + tok[4:]} {
		if _, _, ok := ParseUnsubscribeToken(key, bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, _, ok := ParseUnsubscribeToken(other, tok); ok {
		t.Error("a token of another key accepted")
	}
}
