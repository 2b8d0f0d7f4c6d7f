package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// SetCommentStatus moderates a comment (approved, pending, spam, trash),
// keeping the story's comment count in step.
func (s *Store) SetCommentStatus(ctx context.Context, id uint, status string) error {
	switch status {
	case CommentApproved, CommentPending, CommentSpam, CommentTrash:
	default:
		return &ValidationError{Fields: map[string]string{"status": "Unknown status."}}
	}
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Comment
		if err := tx.Take(&c, id).Error; err != nil {
			return fmt.Errorf("comment %d: %w", id, notFound(err))
		}
		if c.Status == status {
			return nil
		}
		if err := tx.Model(&c).Updates(map[string]any{"status": status, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		delta := 0
		if status == CommentApproved {
			delta = 1
		} else if c.Status == CommentApproved {
			delta = -1
		}
		if delta == 0 {
			return nil
		}
		return tx.Model(&Story{}).Where("id = ?", c.StoryID).
			UpdateColumn("comment_count", gorm.Expr("comment_count + ?", delta)).Error
	})
}
