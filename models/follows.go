package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// What a follow is about: the lists that have a feed, and a story's comments.
const (
	FollowSite     = "site"
	FollowCategory = "category"
	FollowTag      = "tag"
	FollowAuthor   = "author"
	FollowCompany  = "company"
	FollowStory    = "story"
)

// Follow is an address that hears about each new item of a list (or a
// story's new comments), each at once or in a daily digest. It does nothing
// until Confirmed: the address owner clicked the mailed link, or asked while
// signed in with that address verified.
type Follow struct {
	ID       uint   `gorm:"primaryKey"`
	Email    string `gorm:"size:254;not null;uniqueIndex:idx_follows_target,priority:3"`
	UserID   *uint  `gorm:"index"`
	Kind     string `gorm:"size:10;not null;uniqueIndex:idx_follows_target,priority:1"`
	TargetID uint   `gorm:"not null;uniqueIndex:idx_follows_target,priority:2"`
	// Label and Path name what is followed, for /me and the mails.
	Label     string `gorm:"size:250;not null"`
	Path      string `gorm:"size:300;not null"`
	Digest    bool   `gorm:"not null;default:false"`
	Confirmed bool   `gorm:"not null;default:false"`
	// ConfirmedAt: only what is published after it is sent.
	ConfirmedAt  time.Time
	CreatedAt    time.Time
	LastDigestAt time.Time
}

// EmailAddress is an address whose owner proved they read it (a guest who
// asked for replies): only then is anything but the confirmation sent to it.
type EmailAddress struct {
	Email       string `gorm:"primaryKey;size:254"`
	ConfirmedAt time.Time
}

// DigestItem is a new item waiting for the next daily digest of a follow.
type DigestItem struct {
	ID        uint   `gorm:"primaryKey"`
	FollowID  uint   `gorm:"not null;index"`
	Follow    Follow `gorm:"constraint:OnDelete:CASCADE"`
	Title     string `gorm:"size:300;not null"`
	URL       string `gorm:"size:2000;not null"`
	CreatedAt time.Time
}

// FollowRequest is what POST {list}/follow asks.
type FollowRequest struct {
	Email    string
	UserID   *uint
	Verified bool // Email is the signed-in user's verified address: no confirmation needed
	Kind     string
	TargetID uint
	Label    string
	Path     string
	Digest   bool
}

// NormalizeEmail checks an address typed in a form and returns it lower-cased.
func NormalizeEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if msg := checkEmail(email); msg != "" {
		return email, &ValidationError{Fields: map[string]string{"email": msg}}
	}
	return email, nil
}

// RequestFollow records a follow and reports whether it waits for its
// confirmation link. An unverified request never changes a confirmed
// follow: a stranger cannot switch someone's follow to digests.
func (s *Store) RequestFollow(ctx context.Context, r FollowRequest) (*Follow, bool, error) {
	email, err := NormalizeEmail(r.Email)
	if err != nil {
		return nil, false, err
	}
	f := Follow{Email: email, UserID: r.UserID, Kind: r.Kind, TargetID: r.TargetID, Label: truncate(r.Label, 240),
		Path: r.Path, Digest: r.Digest, Confirmed: r.Verified, CreatedAt: s.now(), LastDigestAt: s.now()}
	if r.Verified {
		f.ConfirmedAt = s.now()
	}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old Follow
		err := tx.Where("email = ? AND kind = ? AND target_id = ?", email, r.Kind, r.TargetID).Take(&old).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			return tx.Create(&f).Error
		case err != nil:
			return err
		case !r.Verified:
			f = old
			return nil
		}
		f.ID, f.CreatedAt = old.ID, old.CreatedAt
		upd := map[string]any{"digest": r.Digest, "confirmed": true, "user_id": r.UserID}
		if !old.Confirmed {
			upd["confirmed_at"] = s.now()
		}
		return tx.Model(&old).Updates(upd).Error
	})
	if err != nil {
		return nil, false, fmt.Errorf("follow %s %d: %w", r.Kind, r.TargetID, err)
	}
	return &f, !f.Confirmed, nil
}

// Follows lists the follows of a signed-in user: those they asked for and
// those of their verified address.
func (s *Store) Follows(ctx context.Context, userID uint, verifiedEmail string) ([]Follow, error) {
	var fs []Follow
	q := s.r.WithContext(ctx).Where("user_id = ?", userID)
	if verifiedEmail != "" {
		q = q.Or("email = ?", strings.ToLower(verifiedEmail))
	}
	if err := q.Order("id").Find(&fs).Error; err != nil {
		return nil, fmt.Errorf("follows of user %d: %w", userID, err)
	}
	return fs, nil
}

// EndFollow deletes follow id if it is one of the user's (see Follows).
func (s *Store) EndFollow(ctx context.Context, id, userID uint, verifiedEmail string) error {
	q := s.w.WithContext(ctx).Where("id = ?", id).Where(s.w.Where("user_id = ?", userID).Or("email = ? AND ? <> ''", strings.ToLower(verifiedEmail), verifiedEmail))
	res := q.Delete(&Follow{})
	if res.Error != nil {
		return fmt.Errorf("end follow %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("end follow %d: %w", id, ErrNotFound)
	}
	return nil
}

// AddressConfirmed says whether email was confirmed by a link.
func (s *Store) AddressConfirmed(ctx context.Context, email string) (bool, error) {
	var n int64
	err := s.r.WithContext(ctx).Model(&EmailAddress{}).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).Count(&n).Error
	return n > 0, err
}

// CreateMailToken stores a mailed link (t's Purpose, Email, Next, UserID,
// FollowID) valid for ttl and returns its token.
func (s *Store) CreateMailToken(ctx context.Context, t OneTimeToken, ttl time.Duration) (string, error) {
	token := NewToken()
	t.ID, t.Hash, t.ExpiresAt, t.CreatedAt = 0, HashToken(token), s.now().Add(ttl), s.now()
	t.Email = strings.ToLower(strings.TrimSpace(t.Email))
	if err := s.w.WithContext(ctx).Create(&t).Error; err != nil {
		return "", fmt.Errorf("create %s token: %w", t.Purpose, err)
	}
	return token, nil
}

// ConfirmAddress uses a confirmation link: the address is confirmed, and
// so is the follow the link was for. Used, expired or unknown: ErrNotFound.
func (s *Store) ConfirmAddress(ctx context.Context, token string) (*OneTimeToken, error) {
	var t *OneTimeToken
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if t, err = s.useOneTimeToken(tx, PurposeConfirm, token); err != nil {
			return err
		}
		a := EmailAddress{Email: t.Email, ConfirmedAt: s.now()}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&a).Error; err != nil {
			return err
		}
		if t.FollowID == nil {
			return nil
		}
		return tx.Model(&Follow{}).Where("id = ? AND email = ? AND NOT confirmed", *t.FollowID, t.Email).
			Updates(map[string]any{"confirmed": true, "confirmed_at": s.now(), "last_digest_at": s.now()}).Error
	})
	if err != nil {
		return nil, fmt.Errorf("confirm address: %w", err)
	}
	return t, nil
}

// SignInWithEmail uses an email sign-in link. A link asked for from /me
// (UserID set) is returned unused-for-sign-in: the caller links the address
// to that account with LinkIdentity. Otherwise the user of the address's
// email identity is signed in, created on the first sign-in with a verified
// email; an account that merely has the same address (from a provider) is
// never taken over.
func (s *Store) SignInWithEmail(ctx context.Context, token string, admin func(email string) bool) (*User, *OneTimeToken, error) {
	var u User
	var t *OneTimeToken
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if t, err = s.useOneTimeToken(tx, PurposeEmail, token); err != nil {
			return err
		}
		if t.UserID != nil {
			return nil
		}
		return s.signInWithIdentity(tx, EmailIdentity(t.Email, admin(t.Email)), &u)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("email sign-in: %w", err)
	}
	if t.UserID != nil {
		return nil, t, nil
	}
	return &u, t, nil
}

// EmailIdentity is the identity of an address proved by a mailed link. Its
// name and handle say nothing of the address, which stays private.
func EmailIdentity(email string, admin bool) IdentityInput {
	return IdentityInput{Provider: "email", ProviderUserID: email, Email: email, EmailVerified: true, Name: "Reader", Admin: admin}
}
