package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ReadSalt is the secret of one day that read counts hash addresses with.
// Only today's is kept: once it is gone, nobody (the site included) can
// tell whether an address read a story that day.
type ReadSalt struct {
	Day  string `gorm:"primaryKey"`
	Salt []byte `gorm:"not null"`
}

// StoryRead is one visitor's read of a story on one day, by the hash of
// their address with the day's salt. Only today's rows are kept.
type StoryRead struct {
	StoryID uint   `gorm:"primaryKey;autoIncrement:false"`
	Day     string `gorm:"primaryKey"`
	Visitor string `gorm:"primaryKey"`
}

// StoryReadCount is how many reads a story had, a visitor counted once a day.
// It has its own table, not a column of stories: a write to stories moves
// the site's generation and would empty the page cache at every read.
type StoryReadCount struct {
	StoryID uint `gorm:"primaryKey;autoIncrement:false"`
	Reads   int  `gorm:"not null;default:0"`
}

// CountRead counts a read of the published story id from the address ip,
// once per address, story and day (UTC), and reports whether it counted.
// Nothing that identifies the reader is kept: the address is hashed with
// a salt made for the day and dropped the next day, with that day's rows.
func (s *Store) CountRead(ctx context.Context, storyID uint, ip string) (bool, error) {
	day := s.now().UTC().Format("2006-01-02")
	counted := false
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		salt, err := readSalt(tx, day)
		if err != nil {
			return err
		}
		h := sha256.Sum256(append(append(salt, 0), ip...))
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).
			Create(&StoryRead{StoryID: storyID, Day: day, Visitor: hex.EncodeToString(h[:16])})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		counted = true
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "story_id"}},
			DoUpdates: clause.Assignments(map[string]any{"reads": gorm.Expr("story_read_counts.reads + 1")})}).
			Create(&StoryReadCount{StoryID: storyID, Reads: 1}).Error
	})
	if err != nil {
		return false, fmt.Errorf("count a read of story %d: %w", storyID, err)
	}
	return counted, nil
}

// readSalt returns day's salt, making it (and forgetting the days before)
// at the first read of the day.
func readSalt(tx *gorm.DB, day string) ([]byte, error) {
	var rs ReadSalt
	err := tx.Take(&rs, "day = ?", day).Error
	if err == nil {
		return rs.Salt, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	if err := tx.Where("day <> ?", day).Delete(&ReadSalt{}).Error; err != nil {
		return nil, err
	}
	if err := tx.Where("day <> ?", day).Delete(&StoryRead{}).Error; err != nil {
		return nil, err
	}
	rs = ReadSalt{Day: day, Salt: make([]byte, 32)}
	_, _ = rand.Read(rs.Salt) // never fails (crypto/rand panics instead)
	return rs.Salt, tx.Create(&rs).Error
}

// ReadCounts returns the read counts of the stories ids, by id; a story
// never read is absent.
func (s *Store) ReadCounts(ctx context.Context, ids []uint) (map[uint]int, error) {
	var rows []StoryReadCount
	if len(ids) > 0 {
		if err := s.r.WithContext(ctx).Where("story_id IN ?", ids).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("read counts: %w", err)
		}
	}
	out := make(map[uint]int, len(rows))
	for _, r := range rows {
		out[r.StoryID] = r.Reads
	}
	return out, nil
}
