package models

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// MaxUpdateLen bounds one update to a story.
const MaxUpdateLen = 10_000

// StoryUpdate is a dated follow-up an author appends to a story ("Update,
// 12 March: refund received"). Resolution is the one it set, if it changed it.
type StoryUpdate struct {
	ID         uint      `gorm:"primaryKey"`
	StoryID    uint      `gorm:"not null;index:idx_story_updates_story,priority:1"`
	AuthorID   uint      `gorm:"not null"`
	Body       string    `gorm:"not null"`
	HTML       string    `gorm:"column:html;not null"`
	Resolution string    `gorm:"size:10;not null;default:''"`
	CreatedAt  time.Time `gorm:"index:idx_story_updates_story,priority:2"`
	// Pending marks a reader's update to a published story: it is not
	// shown, nor is its resolution set, until an admin approves it.
	Pending bool `gorm:"not null;default:false"`
}

// AddStoryUpdate appends an update to story storyID, rendered now, and sets
// the story's resolution if resolution is not empty, in one transaction.
// Only the story's author or an admin may (else ErrNotFound). A reader's
// update to a published story waits for review (Pending).
func (s *Store) AddStoryUpdate(ctx context.Context, storyID, userID uint, body, resolution string) (*StoryUpdate, error) {
	body = strings.TrimSpace(body)
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		fields["body"] = "The update is empty."
	case n > MaxUpdateLen:
		fields["body"] = tooLong("The update is", n, MaxUpdateLen)
	default:
		if msg := CheckMarkdown(body); msg != "" {
			fields["body"] = msg
		}
	}
	switch resolution {
	case "", ResolutionOpen, ResolutionResolved, ResolutionAbandoned:
	default:
		fields["resolution"] = "Choose open, resolved or abandoned."
	}
	if len(fields) > 0 {
		return nil, &ValidationError{Fields: fields}
	}
	r, err := RenderStory(body)
	if err != nil {
		return nil, fmt.Errorf("render update: %w", err)
	}
	if Blank(r.HTML) {
		return nil, &ValidationError{Fields: map[string]string{"body": "The update is empty: write something a reader can see."}}
	}
	u := &StoryUpdate{StoryID: storyID, AuthorID: userID, Body: body, HTML: r.HTML}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := editable(tx, storyID, userID)
		if err != nil {
			return err
		}
		if resolution != "" && resolution != st.Resolution {
			u.Resolution = resolution
		}
		if u.Pending, err = heldForReview(tx, st, userID); err != nil {
			return err
		}
		if err := tx.Create(u).Error; err != nil || u.Pending {
			return err
		}
		// The story changed too: its updated_at moves, and maybe its resolution.
		if cols := resolutionChange(st, u.Resolution, u.CreatedAt); cols != nil {
			return tx.Model(st).Updates(cols).Error
		}
		return tx.Model(st).Update("resolution", st.Resolution).Error
	})
	if err != nil {
		return nil, fmt.Errorf("update to story %d: %w", storyID, err)
	}
	return u, nil
}
