package models

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestSessionByTokenReadsItsUser: the session comes with every field of
// its user that pages use; an unknown, expired or ended session is not found.
func TestSessionByTokenReadsItsUser(t *testing.T) {
	s, _ := newTestStore(t, realTime())
	ctx := context.Background()
	u := newUser(t, s, "ada", RoleAuthor)
	if err := s.w.Model(u).Updates(map[string]any{"avatar_url": "https://example.org/a.png", "role": RoleAdmin, "bio": nil}).Error; err != nil {
		t.Fatal(err)
	}
	token, err := s.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := s.SessionByToken(ctx, token, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	got := sess.User
	if sess.UserID != u.ID || got.ID != u.ID || got.Handle != u.Handle || got.Name != u.Name || got.Role != RoleAdmin ||
		got.AvatarURL != "https://example.org/a.png" || got.Bio != "" || sess.CSRF == "" || sess.Hash != HashToken(token) ||
		!sess.ExpiresAt.After(time.Now()) || got.CreatedAt.IsZero() {
		t.Errorf("session %+v: not the one created for %+v", sess, u)
	}
	if _, err := s.SessionByToken(ctx, token+"x", time.Hour); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown token: %v, want ErrNotFound", err)
	}
	short, err := s.CreateSession(ctx, u.ID, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, short, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond)
	if _, err := s.SessionByToken(ctx, short, time.Millisecond); !errors.Is(err, ErrNotFound) {
		t.Errorf("an expired session: %v, want ErrNotFound", err)
	}
}

// A sign-in sweeps the sessions and one-time tokens that have expired, and
// only those.
func TestSignInSweepsWhatExpired(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := newUser(t, s, "ana", RoleAuthor)
	if _, err := s.CreateSession(ctx, u.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateOneTimeToken(ctx, "setup", nil, time.Hour); err != nil {
		t.Fatal(err)
	}
	long, err := s.CreateSession(ctx, u.ID, 48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(2 * time.Hour)
	if _, err := s.CreateSession(ctx, u.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	var sessions, tokens int64
	s.r.Model(&Session{}).Count(&sessions)
	s.r.Model(&OneTimeToken{}).Count(&tokens)
	if sessions != 2 || tokens != 0 {
		t.Errorf("after the sweep: %d sessions, %d tokens; want 2 and 0", sessions, tokens)
	}
	if _, err := s.SessionByToken(ctx, long, 48*time.Hour); err != nil {
		t.Errorf("the unexpired session went with the sweep: %v", err)
	}
}
