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
