package models

import (
	"context"
	"crypto/rand"
	"fmt"

	"gorm.io/gorm/clause"
)

// SiteKey is a secret of the site made once and kept in the database, so
// that every instance behind a load balancer signs and checks alike.
type SiteKey struct {
	Name string `gorm:"primaryKey;size:40"`
	Key  []byte `gorm:"not null"`
}

// Key returns the site's secret of this name, made at the first call.
func (s *Store) Key(ctx context.Context, name string) ([]byte, error) {
	k := SiteKey{Name: name, Key: make([]byte, 32)}
	_, _ = rand.Read(k.Key) // never fails (crypto/rand panics instead)
	err := s.w.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&k).Error
	if err != nil {
		return nil, fmt.Errorf("site key %q: %w", name, err)
	}
	var got SiteKey
	if err := s.w.WithContext(ctx).Take(&got, "name = ?", name).Error; err != nil {
		return nil, fmt.Errorf("site key %q: %w", name, err)
	}
	return got.Key, nil
}

// servedBaseURL names the row keeping the base URL the server last started
// with (a value, not a secret, kept beside the keys).
const servedBaseURL = "served-base-url"

// RememberBaseURL keeps the base URL the server runs with, so that the
// commands printing links (signin-link), run beside it without its flags,
// print links to where it answers.
func (s *Store) RememberBaseURL(ctx context.Context, u string) error {
	k := SiteKey{Name: servedBaseURL, Key: []byte(u)}
	err := s.w.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&k).Error
	if err != nil {
		return fmt.Errorf("remember the base URL: %w", err)
	}
	return nil
}

// RememberedBaseURL is the base URL the server last started with; "" when
// no server started on this database yet.
func (s *Store) RememberedBaseURL(ctx context.Context) (string, error) {
	var ks []SiteKey
	if err := s.r.WithContext(ctx).Where("name = ?", servedBaseURL).Limit(1).Find(&ks).Error; err != nil {
		return "", fmt.Errorf("remembered base URL: %w", err)
	}
	if len(ks) == 0 {
		return "", nil
	}
	return string(ks[0].Key), nil
}
