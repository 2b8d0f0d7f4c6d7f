package models

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestKeptSessionsEnd: a session is looked up once per generation (the
// second look-up runs no query), yet every way a session ends or its user
// changes is seen at once by the instance that made it and by another
// instance at its first look after externalPoll: signing out one browser,
// signing out everywhere, a new role, a deleted account; and expiry on
// the clock alone.
func TestKeptSessionsEnd(t *testing.T) {
	ctx := context.Background()
	gone := func(t *testing.T, s *Store, token, when string) {
		t.Helper()
		if sess, err := s.SessionByToken(ctx, token, 24*time.Hour); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: the session of user %d (err %v); want ErrNotFound", when, sess.UserID, err)
		}
	}
	signIn := func(t *testing.T, a, b *Store, u *User) string {
		t.Helper()
		token, err := a.CreateSession(ctx, u.ID, 24*time.Hour)
		must(t, err)
		for _, s := range []*Store{a, b} {
			_, err := s.SessionByToken(ctx, token, 24*time.Hour)
			must(t, err)
			n := queries(s)
			sess, err := s.SessionByToken(ctx, token, 24*time.Hour)
			must(t, err)
			if queries(s) != n || sess.UserID != u.ID {
				t.Fatalf("the second look-up ran %d queries for user %d: the session is not kept", queries(s)-n, sess.UserID)
			}
		}
		return token
	}
	for _, c := range []struct {
		name string
		end  func(t *testing.T, a *Store, u *User, token string)
	}{
		{"sign-out", func(t *testing.T, a *Store, _ *User, token string) { must(t, a.DeleteSession(ctx, token)) }},
		{"sign-out everywhere", func(t *testing.T, a *Store, u *User, _ string) { must(t, a.DeleteUserSessions(ctx, u.ID)) }},
		{"account deleted", func(t *testing.T, a *Store, u *User, _ string) { must(t, a.DeleteUser(ctx, u.ID, false)) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b, clock := twoInstancesOn(t, testDatabase(t))
			u, bob := newUser(t, a, "ada", RoleReader), newUser(t, a, "bob", RoleReader)
			token, other := signIn(t, a, b, u), signIn(t, a, b, bob)
			c.end(t, a, u, token)
			gone(t, a, token, "on the same instance")
			clock.Add(externalPoll)
			gone(t, b, token, "on another instance after externalPoll")
			if _, err := b.SessionByToken(ctx, other, 24*time.Hour); err != nil {
				t.Errorf("another user's session ended with it: %v", err)
			}
		})
	}
	t.Run("new role", func(t *testing.T) {
		a, b, clock := twoInstancesOn(t, testDatabase(t))
		admin := newUser(t, a, "root", RoleAdmin)
		u := newUser(t, a, "ada", RoleAdmin)
		token := signIn(t, a, b, u)
		must(t, a.PromoteUser(ctx, admin.ID, u.ID, RoleReader))
		for i, s := range []*Store{a, b} {
			if i == 1 {
				clock.Add(externalPoll)
			}
			sess, err := s.SessionByToken(ctx, token, 24*time.Hour)
			must(t, err)
			if sess.User.Role != RoleReader {
				t.Errorf("instance %d still sees the role %q", i, sess.User.Role)
			}
		}
	})
	t.Run("renewed after a sign-out elsewhere", func(t *testing.T) {
		a, b, _ := twoInstancesOn(t, testDatabase(t))
		token := signIn(t, a, b, newUser(t, a, "ada", RoleReader))
		must(t, a.DeleteSession(ctx, token))
		// Within the second, b may still take its kept copy, but not slide it.
		if _, err := b.SessionByToken(ctx, token, 48*time.Hour); !errors.Is(err, ErrNotFound) {
			t.Errorf("a renewal of a session ended elsewhere: %v, want ErrNotFound", err)
		}
	})
	t.Run("expiry", func(t *testing.T) {
		a, b, clock := twoInstancesOn(t, testDatabase(t))
		token, err := a.CreateSession(ctx, newUser(t, a, "ada", RoleReader).ID, 2*time.Hour)
		must(t, err)
		for _, s := range []*Store{a, b} {
			_, err := s.SessionByToken(ctx, token, 2*time.Hour)
			must(t, err)
		}
		clock.Add(2 * time.Hour)
		gone(t, a, token, "on its expiry")
		gone(t, b, token, "on its expiry, another instance")
	})
}

// TestKeptSessionIsACopy: what a request does to its session does not
// reach the next request's, and a renewal is the renewing request's.
func TestKeptSessionIsACopy(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := newUser(t, s, "ada", RoleReader)
	token, err := s.CreateSession(ctx, u.ID, 24*time.Hour)
	must(t, err)
	first, err := s.SessionByToken(ctx, token, 24*time.Hour)
	must(t, err)
	first.User.Role, first.CSRF = RoleAdmin, "changed"
	clock.Add(2 * renewAfter)
	renewed, err := s.SessionByToken(ctx, token, 24*time.Hour)
	must(t, err)
	if renewed.User.Role != RoleReader || renewed.CSRF == "changed" || !renewed.Renewed {
		t.Errorf("second look-up: role %q, CSRF %q, renewed %v", renewed.User.Role, renewed.CSRF, renewed.Renewed)
	}
	again, err := s.SessionByToken(ctx, token, 24*time.Hour)
	must(t, err)
	if again.Renewed || !again.ExpiresAt.Equal(renewed.ExpiresAt) {
		t.Errorf("after the renewal: renewed %v, expires %v (want %v)", again.Renewed, again.ExpiresAt, renewed.ExpiresAt)
	}
}
