package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// EditStory changes a story's title and body, rendering the Markdown again.
// The slug stays, so that links keep working.
func (s *Store) EditStory(ctx context.Context, id uint, title, body string) error {
	in := StoryInput{Title: title, Body: body}
	if err := in.validate(); err != nil {
		return err
	}
	r, err := RenderStory(body)
	if err != nil {
		return fmt.Errorf("render story: %w", err)
	}
	res := s.w.WithContext(ctx).Model(&Story{}).Where("id = ?", id).Updates(map[string]any{
		"title": strings.TrimSpace(title), "body": body, "html": r.HTML, "excerpt": r.Excerpt,
		"plain_text": r.Text, "updated_at": s.now(),
	})
	if res.Error != nil {
		return fmt.Errorf("edit story %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("edit story %d: %w", id, ErrNotFound)
	}
	return nil
}

// SetStoryStatus publishes a story or takes it back to draft; a story
// published for the first time gets its publication date.
func (s *Store) SetStoryStatus(ctx context.Context, id uint, status string) error {
	if status != StatusDraft && status != StatusPublished {
		return &ValidationError{Fields: map[string]string{"status": "Unknown status."}}
	}
	now := s.now()
	res := s.w.WithContext(ctx).Model(&Story{}).Where("id = ?", id).Updates(map[string]any{
		"status": status, "updated_at": now,
		"published_at": gorm.Expr("CASE WHEN ? = ? AND published_at IS NULL THEN ? ELSE published_at END", status, StatusPublished, now),
	})
	if res.Error != nil {
		return fmt.Errorf("story %d status: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("story %d: %w", id, ErrNotFound)
	}
	return nil
}

// DeleteStory deletes a story with its comments and its links to categories and tags.
func (s *Store) DeleteStory(ctx context.Context, id uint) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, m := range []any{&StoryCategory{}, &StoryTag{}, &Comment{}} {
			if err := tx.Where("story_id = ?", id).Delete(m).Error; err != nil {
				return fmt.Errorf("delete story %d: %w", id, err)
			}
		}
		res := tx.Delete(&Story{}, id)
		if res.Error != nil {
			return fmt.Errorf("delete story %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("delete story %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

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
