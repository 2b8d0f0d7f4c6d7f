package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DigestEvery is how often a follower who chose digests hears from us.
const DigestEvery = 24 * time.Hour

// Digest is a follow's waiting items.
type Digest struct {
	Follow Follow
	Items  []DigestItem
}

// DueDigests returns up to n follows whose last digest is a day old and that
// have items waiting, with their items, oldest first.
func (s *Store) DueDigests(ctx context.Context, n int) ([]Digest, error) {
	var fs []Follow
	db := s.r.WithContext(ctx)
	err := db.Where("digest AND confirmed AND last_digest_at <= ? AND id IN (SELECT follow_id FROM digest_items)", s.now().Add(-DigestEvery)).
		Order("id").Limit(n).Find(&fs).Error
	if err != nil {
		return nil, fmt.Errorf("due digests: %w", err)
	}
	out := make([]Digest, 0, len(fs))
	for _, f := range fs {
		d := Digest{Follow: f}
		if err := db.Where("follow_id = ?", f.ID).Order("id").Limit(200).Find(&d.Items).Error; err != nil {
			return nil, fmt.Errorf("digest of follow %d: %w", f.ID, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// DeliverDigest queues the digest mail of d and removes its items, in one
// transaction.
func (s *Store) DeliverDigest(ctx context.Context, d Digest, m *OutboxMail) error {
	ids := make([]uint, len(d.Items))
	for i, it := range d.Items {
		ids[i] = it.ID
	}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("id IN ?", ids).Delete(&DigestItem{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != int64(len(ids)) {
			// Another instance sent some of these items (on PostgreSQL
			// both read them): this digest is given up, and the items
			// left go in the next one.
			return errDigestTaken
		}
		if err := tx.Model(&Follow{}).Where("id = ?", d.Follow.ID).Update("last_digest_at", s.now()).Error; err != nil {
			return err
		}
		return s.queueMail(tx, m)
	})
	if err != nil && !errors.Is(err, errDigestTaken) {
		return fmt.Errorf("deliver digest of follow %d: %w", d.Follow.ID, err)
	}
	return nil
}

// errDigestTaken rolls back a digest whose items another sender took.
var errDigestTaken = errors.New("digest items taken by another sender")
