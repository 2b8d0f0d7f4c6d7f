package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ModerationPageSize is the number of comments on a page of the moderation queue.
const ModerationPageSize = 20

// Moderation actions, and the status each gives.
const (
	ActionApprove = "approve"
	ActionHold    = "hold"
	ActionSpam    = "spam"
	ActionTrash   = "trash"
)

var actionStatus = map[string]string{
	ActionApprove: CommentApproved, ActionHold: CommentPending,
	ActionSpam: CommentSpam, ActionTrash: CommentTrash,
}

// ModerationCounts counts the comments a moderator sees, per status.
type ModerationCounts struct {
	Pending, Approved, Spam, Trash int64
}

// ModerationPage is one page of the comments with one status that a
// moderator may act on, newest first, with each comment's story.
type ModerationPage struct {
	Status   string
	Comments []Comment
	Counts   ModerationCounts
	Page     int
	Pages    int
}

// ModerationQueue returns page n (from 1) of the comments with this status
// ("" means pending) that userID moderates: all of them for an admin, those
// on their own stories for an author; ErrForbidden for a reader. Deleted
// comments are left out. A guest's email and address are kept for admins
// alone: the comment form promises they are never shown, and an author is
// anyone whose story was approved. Four queries.
func (s *Store) ModerationQueue(ctx context.Context, userID uint, status string, n int) (ModerationPage, error) {
	if status == "" {
		status = CommentPending
	}
	var u User
	if err := s.r.WithContext(ctx).Select("id", "role").Take(&u, userID).Error; err != nil {
		return ModerationPage{}, fmt.Errorf("moderator %d: %w", userID, notFound(err))
	}
	if u.Role != RoleAdmin && u.Role != RoleAuthor {
		return ModerationPage{}, ErrForbidden
	}
	scope := func() *gorm.DB {
		q := s.r.WithContext(ctx).Model(&Comment{}).Where("deleted = ?", false)
		if u.Role != RoleAdmin {
			q = q.Where("story_id IN (SELECT id FROM stories WHERE author_id = ?)", userID)
		}
		return q
	}
	p := ModerationPage{Status: status, Page: n}
	var err error
	if p.Counts, err = countByStatus(scope()); err != nil {
		return ModerationPage{}, err
	}
	total := map[string]int64{CommentPending: p.Counts.Pending, CommentApproved: p.Counts.Approved,
		CommentSpam: p.Counts.Spam, CommentTrash: p.Counts.Trash}
	t, ok := total[status]
	p.Pages = int((t + ModerationPageSize - 1) / ModerationPageSize)
	if !ok || n < 1 || n > max(p.Pages, 1) {
		return ModerationPage{}, ErrNotFound
	}
	q := scope()
	if u.Role != RoleAdmin {
		q = q.Omit("author_email", "ip", "guest_key")
	}
	err = q.Where("status = ?", status).
		Preload("Story", func(db *gorm.DB) *gorm.DB { return db.Select("id", "title", "slug", "author_id") }).
		Order("created_at DESC, id DESC").Limit(ModerationPageSize).Offset((n - 1) * ModerationPageSize).
		Find(&p.Comments).Error
	if err != nil {
		return ModerationPage{}, fmt.Errorf("comments to moderate: %w", err)
	}
	return p, nil
}

// countByStatus counts the comments of scope per status.
func countByStatus(scope *gorm.DB) (ModerationCounts, error) {
	var rows []struct {
		Status string
		N      int64
	}
	var c ModerationCounts
	if err := scope.Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return c, fmt.Errorf("count comments to moderate: %w", err)
	}
	for _, r := range rows {
		switch r.Status {
		case CommentPending:
			c.Pending = r.N
		case CommentApproved:
			c.Approved = r.N
		case CommentSpam:
			c.Spam = r.N
		case CommentTrash:
			c.Trash = r.N
		}
	}
	return c, nil
}

// ModerateComments applies action (approve, hold, spam, trash) to the
// comments ids, in one transaction, and returns how many changed. Ids that
// do not exist are skipped; if userID may not moderate one of the others
// (an author moderates their own stories' comments, an admin all), nothing
// changes and the error is ErrForbidden. Story comment counts stay exact.
func (s *Store) ModerateComments(ctx context.Context, userID uint, ids []uint, action string) (int, error) {
	status, ok := actionStatus[action]
	if !ok {
		return 0, &ValidationError{Fields: map[string]string{"action": "Choose approve, hold, spam or trash."}}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	var changed int64
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var admin bool
		err := tx.Raw("SELECT EXISTS(SELECT 1 FROM users WHERE id = ? AND role = ?)", userID, RoleAdmin).Scan(&admin).Error
		if err != nil {
			return err
		}
		var rows []struct{ ID, StoryID, AuthorID uint }
		err = tx.Table("comments").Select("comments.id, comments.story_id, stories.author_id").
			Joins("JOIN stories ON stories.id = comments.story_id").Where("comments.id IN ?", ids).Scan(&rows).Error
		if err != nil {
			return err
		}
		found, stories, seen := make([]uint, 0, len(rows)), []uint{}, map[uint]bool{}
		for _, r := range rows {
			if !admin && r.AuthorID != userID {
				return ErrForbidden
			}
			found = append(found, r.ID)
			if !seen[r.StoryID] {
				seen[r.StoryID] = true
				stories = append(stories, r.StoryID)
			}
		}
		res := tx.Model(&Comment{}).Where("id IN ? AND status <> ?", found, status).Update("status", status)
		if res.Error != nil {
			return res.Error
		}
		changed = res.RowsAffected
		return recountComments(tx, stories...)
	})
	if err != nil {
		return 0, fmt.Errorf("%s %d comments: %w", action, len(ids), err)
	}
	return int(changed), nil
}

// SetCommentsClosed opens or closes a story's comments, for its author or an admin.
func (s *Store) SetCommentsClosed(ctx context.Context, storyID, userID uint, closed bool) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Select("id").Take(&Story{}, storyID).Error; err != nil {
			return notFound(err)
		}
		if mod, err := moderates(tx, userID, storyID); err != nil {
			return err
		} else if !mod {
			return ErrForbidden
		}
		return tx.Model(&Story{}).Where("id = ?", storyID).UpdateColumn("comments_closed", closed).Error
	})
	if err != nil {
		return fmt.Errorf("close comments of story %d: %w", storyID, err)
	}
	return nil
}

// moderates reports whether userID is an admin or the author of story storyID.
func moderates(tx *gorm.DB, userID, storyID uint) (bool, error) {
	var ok bool
	err := tx.Raw("SELECT EXISTS(SELECT 1 FROM users WHERE id = ? AND role = ?) OR EXISTS(SELECT 1 FROM stories WHERE id = ? AND author_id = ?)",
		userID, RoleAdmin, storyID, userID).Scan(&ok).Error
	if err != nil {
		return false, fmt.Errorf("moderation rights of user %d: %w", userID, err)
	}
	return ok, nil
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
