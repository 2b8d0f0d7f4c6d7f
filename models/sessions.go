package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Session is a signed-in browser. The cookie holds a random token; the
// database only its SHA-256, so a leaked database signs nobody in.
type Session struct {
	ID        uint      `gorm:"primaryKey"`
	Hash      string    `gorm:"size:64;not null;uniqueIndex"`
	UserID    uint      `gorm:"not null;index"`
	User      User      `gorm:"constraint:OnDelete:CASCADE"`
	CSRF      string    `gorm:"column:csrf;size:64;not null"`
	ExpiresAt time.Time `gorm:"index"`
	CreatedAt time.Time
	// Renewed says SessionByToken slid the expiry (the cookie must follow).
	Renewed bool `gorm:"-"`
}

// LoginState is a sign-in in progress: the one-shot OAuth state sent to the
// provider, bound to the browser that started it by a cookie (BindingHash).
type LoginState struct {
	ID          uint   `gorm:"primaryKey"`
	StateHash   string `gorm:"size:64;not null;uniqueIndex"`
	BindingHash string `gorm:"size:64;not null"`
	Provider    string `gorm:"size:40;not null"`
	// Secret is what the provider adapter needs back (its session, PKCE verifier, nonce).
	Secret string `gorm:"not null"`
	Next   string `gorm:"size:2000"`
	// LinkUserID is set when a signed-in user links another provider.
	LinkUserID *uint
	ExpiresAt  time.Time `gorm:"index"`
}

// One-time token purposes.
const (
	PurposeSetup  = "setup"
	PurposeSignIn = "signin"
	// PurposeEmail is a link mailed to sign in by email (or to link an
	// email address to the account of UserID).
	PurposeEmail = "email"
	// PurposeConfirm is a link mailed to confirm an address (and the follow
	// of FollowID, if any).
	PurposeConfirm = "confirm"
)

// OneTimeToken is a link that works once: the first-admin setup link or a
// sign-in link. Only its hash is stored.
type OneTimeToken struct {
	ID      uint   `gorm:"primaryKey"`
	Hash    string `gorm:"size:64;not null;uniqueIndex"`
	Purpose string `gorm:"size:10;not null"`
	UserID  *uint
	// Email, Next and FollowID belong to mailed links: the address the link
	// was sent to, where to go after signing in, the follow it confirms.
	Email     string `gorm:"size:254;not null;default:''"`
	Next      string `gorm:"size:2000;not null;default:''"`
	FollowID  *uint
	CompanyID *uint     // the company a claim link is for
	ExpiresAt time.Time `gorm:"index"`
	CreatedAt time.Time
}

// NewToken returns a random 256-bit token, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is the SHA-256 of a token, as stored.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// renewAfter is how old a session's last renewal must be before a request
// slides its expiry, so that most requests do not write.
const renewAfter = time.Hour

// CreateSession signs user userID in for ttl and returns the cookie token.
func (s *Store) CreateSession(ctx context.Context, userID uint, ttl time.Duration) (string, error) {
	token := NewToken()
	sess := &Session{Hash: HashToken(token), UserID: userID, CSRF: NewToken(), ExpiresAt: s.now().Add(ttl)}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Every sign-in sweeps what has expired, so that neither table
		// grows with every visit ever made.
		for _, m := range []any{&Session{}, &OneTimeToken{}} {
			if err := tx.Where("expires_at < ?", s.now()).Delete(m).Error; err != nil {
				return err
			}
		}
		return tx.Create(sess).Error
	})
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return token, nil
}

// SessionByToken returns the unexpired session of a cookie token with its
// user, sliding its expiry to now+ttl when the last renewal is over an hour
// old. Sessions read are kept (see sessionCache); each call gets its own copy.
func (s *Store) SessionByToken(ctx context.Context, token string, ttl time.Duration) (*Session, error) {
	if token == "" {
		return nil, ErrNotFound
	}
	now := s.now()
	hash := HashToken(token)
	e := s.sessions.epoch(s.Generation()) // before the read: a write during it makes it old
	sess, ok := s.sessions.get(hash, e, now)
	if !ok {
		read, err := s.sessionWithUser(ctx, hash, now)
		if err != nil {
			return nil, fmt.Errorf("session: %w", notFound(err))
		}
		sess = *read
		s.sessions.put(hash, e, sess, now)
	}
	if sess.ExpiresAt.Before(now.Add(ttl - renewAfter)) {
		sess.ExpiresAt, sess.Renewed = now.Add(ttl), true
		res := s.w.WithContext(ctx).Model(&Session{}).Where("id = ?", sess.ID).Update("expires_at", sess.ExpiresAt)
		if res.Error != nil {
			return nil, fmt.Errorf("renew session: %w", res.Error)
		}
		if res.RowsAffected == 0 { // a kept session, ended on another instance since
			return nil, fmt.Errorf("renew session: %w", ErrNotFound)
		}
		s.sessions.put(hash, e, sess, now)
	}
	return &sess, nil
}

// sessionSQL reads a session and its user in one query. Every signed-in
// view runs it: written out and scanned by hand, it skips GORM building
// the join and filling both structs by reflection (most of its cost).
//
// The hash is compared as CAST(? AS TEXT), not as a bare parameter: in a
// join, SQLite (3.54) plans "column = ?" with the value bound and marks
// the statement to be prepared again once the parameter is bound anew,
// and the driver (mattn/go-sqlite3 1.14.53) clears the bindings before
// every run, so the statement was parsed and planned again at each
// look-up: half its CPU. A cast is no bare parameter; the index serves it
// alike (TestSessionQueryIsPreparedOnce).
const sessionSQL = `SELECT s.id, s.hash, s.user_id, s.csrf, s.expires_at, s.created_at,
 u.id, u.handle, u.name, u.email, u.email_verified, u.avatar_url, u.bio, u.role, u.created_at, u.updated_at
 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = CAST(? AS TEXT) AND s.expires_at > ?`

// sessionWithUser returns the unexpired session of hash with its user.
func (s *Store) sessionWithUser(ctx context.Context, hash string, now time.Time) (*Session, error) {
	var sess Session
	var email, avatar, bio sql.NullString
	var created, updated sql.NullTime
	u := &sess.User
	err := s.r.WithContext(ctx).Raw(sessionSQL, hash, now).Row().Scan(&sess.ID, &sess.Hash, &sess.UserID, &sess.CSRF, &sess.ExpiresAt, &sess.CreatedAt,
		&u.ID, &u.Handle, &u.Name, &email, &u.EmailVerified, &avatar, &bio, &u.Role, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	u.Email, u.AvatarURL, u.Bio, u.CreatedAt, u.UpdatedAt = email.String, avatar.String, bio.String, created.Time, updated.Time
	return &sess, nil
}

// DeleteSession signs one browser out.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.endSessions(ctx, "hash = ?", HashToken(token))
}

// DeleteUserSessions signs a user out everywhere.
func (s *Store) DeleteUserSessions(ctx context.Context, userID uint) error {
	return s.endSessions(ctx, "user_id = ?", userID)
}

// endSessions deletes the sessions matching where, and makes this store's
// kept sessions old (other instances forget theirs within externalPoll).
func (s *Store) endSessions(ctx context.Context, where string, arg any) error {
	err := s.w.WithContext(ctx).Where(where, arg).Delete(&Session{}).Error
	s.sessions.ended.Add(1) // after the delete: a read before it is old now
	return err
}

// SaveLoginState stores a sign-in in progress, clearing expired ones.
func (s *Store) SaveLoginState(ctx context.Context, ls *LoginState) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("expires_at < ?", s.now()).Delete(&LoginState{}).Error; err != nil {
			return err
		}
		return tx.Create(ls).Error
	})
}

// TakeLoginState returns and deletes the unexpired sign-in of an OAuth state:
// a state works once. Unknown, expired or used is ErrNotFound.
func (s *Store) TakeLoginState(ctx context.Context, state string) (*LoginState, error) {
	var ls LoginState
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("state_hash = ?", HashToken(state)).Take(&ls).Error; err != nil {
			return notFound(err)
		}
		return deleteOnce(tx.Delete(&ls))
	})
	if err != nil {
		return nil, fmt.Errorf("login state: %w", err)
	}
	if !ls.ExpiresAt.After(s.now()) {
		return nil, fmt.Errorf("login state: expired: %w", ErrNotFound)
	}
	return &ls, nil
}

// CreateOneTimeToken makes a link token for purpose (and user userID, if any)
// valid for ttl, and returns it.
func (s *Store) CreateOneTimeToken(ctx context.Context, purpose string, userID *uint, ttl time.Duration) (string, error) {
	token := NewToken()
	t := &OneTimeToken{Hash: HashToken(token), Purpose: purpose, UserID: userID, ExpiresAt: s.now().Add(ttl)}
	if err := s.w.WithContext(ctx).Create(t).Error; err != nil {
		return "", fmt.Errorf("create %s token: %w", purpose, err)
	}
	return token, nil
}

// PeekOneTimeToken returns a valid token without using it.
func (s *Store) PeekOneTimeToken(ctx context.Context, purpose, token string) (*OneTimeToken, error) {
	var t OneTimeToken
	err := s.r.WithContext(ctx).Where("hash = ? AND purpose = ? AND expires_at > ?", HashToken(token), purpose, s.now()).Take(&t).Error
	if err != nil {
		return nil, fmt.Errorf("%s token: %w", purpose, notFound(err))
	}
	return &t, nil
}

// useOneTimeToken deletes a valid token inside tx; unknown, expired or used is ErrNotFound.
func (s *Store) useOneTimeToken(tx *gorm.DB, purpose, token string) (*OneTimeToken, error) {
	var t OneTimeToken
	err := tx.Where("hash = ? AND purpose = ? AND expires_at > ?", HashToken(token), purpose, s.now()).Take(&t).Error
	if err != nil {
		return nil, notFound(err)
	}
	if err := deleteOnce(tx.Delete(&t)); err != nil {
		return nil, err
	}
	return &t, nil
}

// deleteOnce checks that a delete of a one-time row removed it: another
// instance using it at the same moment (on PostgreSQL, whose transactions
// both read it) deletes nothing, and gets ErrNotFound.
func deleteOnce(res *gorm.DB) error {
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// SignInWithLink uses a sign-in link token and returns its user.
func (s *Store) SignInWithLink(ctx context.Context, token string) (*User, error) {
	var u User
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := s.useOneTimeToken(tx, PurposeSignIn, token)
		if err != nil {
			return err
		}
		if t.UserID == nil {
			return ErrNotFound
		}
		return notFound(tx.Take(&u, *t.UserID).Error)
	})
	if err != nil {
		return nil, fmt.Errorf("sign-in link: %w", err)
	}
	return &u, nil
}
