package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// EditWindow is how long after posting a writer may edit their comment.
const EditWindow = 15 * time.Minute

// Viewer is who looks at a story's comments: a signed-in user, or a guest
// with the token their comments were posted with. The zero Viewer is anonymous.
type Viewer struct {
	UserID     *uint
	GuestToken string
}

// CommentsFor returns a story's approved comments, oldest first, with their
// signed-in writers, plus the viewer's own held (pending) ones, which the
// page marks "awaiting moderation". A deleted comment is kept, emptied, only
// while it has replies shown. Two queries, whoever views.
func (s *Store) CommentsFor(ctx context.Context, storyID uint, v Viewer) ([]Comment, error) {
	cond, condArgs := "status = CAST(? AS TEXT)", []any{CommentApproved}
	if mine, args := v.own(); mine != "" {
		cond = "status = CAST(? AS TEXT) OR (status = CAST(? AS TEXT) AND (" + mine + "))"
		condArgs = append([]any{CommentApproved, CommentPending}, args...)
	}
	var cs []Comment
	err := s.r.WithContext(ctx).Preload("User").Where("story_id = CAST(? AS INTEGER)", storyID).
		Where(cond, condArgs...).Order("created_at, id").Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("comments of story %d: %w", storyID, err)
	}
	return pruneDeleted(cs), nil
}

// HasHeldComments says whether the viewer has held (pending) comments on a
// story: without any, CommentsFor gives them what it gives everyone.
func (s *Store) HasHeldComments(ctx context.Context, storyID uint, v Viewer) (bool, error) {
	mine, args := v.own()
	if mine == "" {
		return false, nil
	}
	// The unary + keeps the planner on the story's index (its held comments:
	// a few) rather than the viewer's (every comment they wrote, anywhere).
	var held bool
	err := s.r.WithContext(ctx).Raw("SELECT EXISTS(SELECT 1 FROM comments WHERE story_id = ? AND status = ? AND +("+mine+"))",
		append([]any{storyID, CommentPending}, args...)...).Scan(&held).Error
	if err != nil {
		return false, fmt.Errorf("held comments on story %d: %w", storyID, err)
	}
	return held, nil
}

// own is the SQL condition matching the viewer's comments, "" for nobody.
func (v Viewer) own() (string, []any) {
	var mine []string
	var args []any
	if v.UserID != nil {
		mine, args = append(mine, "user_id = CAST(? AS INTEGER)"), append(args, *v.UserID)
	}
	if key := guestKey(v.GuestToken); key != "" {
		mine, args = append(mine, "(user_id IS NULL AND guest_key = CAST(? AS TEXT))"), append(args, key)
	}
	return strings.Join(mine, " OR "), args
}

// pruneDeleted drops deleted comments left without a reply among cs,
// from the leaves up.
func pruneDeleted(cs []Comment) []Comment {
	for {
		replies := map[uint]int{}
		for _, c := range cs {
			if c.ParentID != nil {
				replies[*c.ParentID]++
			}
		}
		kept := cs[:0:0]
		for _, c := range cs {
			if !c.Deleted || replies[c.ID] > 0 {
				kept = append(kept, c)
			}
		}
		if len(kept) == len(cs) {
			return kept
		}
		cs = kept
	}
}

// EditComment lets the writer of a comment change it within EditWindow of
// posting. The text is rendered again, and an approved comment that now
// trips the rules is held again (unless its writer moderates the story).
func (s *Store) EditComment(ctx context.Context, id, userID uint, body string, rules ModerationRules) (*Comment, error) {
	body = strings.TrimSpace(body)
	pub, msg, err := publishBody(body)
	if err != nil {
		return nil, err
	}
	if msg != "" {
		return nil, &ValidationError{Fields: map[string]string{"body": msg}}
	}
	var c Comment
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&c, id).Error; err != nil || c.Deleted {
			return notFound(orNotFound(err))
		}
		if c.UserID == nil || *c.UserID != userID {
			return ErrForbidden
		}
		if s.now().Sub(c.CreatedAt) > EditWindow {
			return ErrEditWindowClosed
		}
		pub.set(&c, body)
		if c.Status == CommentApproved && rules.holds(&c) {
			mod, err := moderates(tx, userID, c.StoryID)
			if err != nil {
				return err
			}
			if !mod {
				c.Status = CommentPending
			}
		}
		err := tx.Model(&c).Select("body", "html", "masked_body", "status", "updated_at").Updates(&c).Error
		if err != nil {
			return err
		}
		return recountComments(tx, c.StoryID)
	})
	if err != nil {
		return nil, fmt.Errorf("edit comment %d: %w", id, err)
	}
	return &c, nil
}

// DeleteComment deletes a comment at the request of its writer, the story's
// author or an admin. A comment with replies stays in the thread, emptied of
// its text and writer and marked Deleted; one without is removed, with any
// deleted parents it leaves without replies. The story's count follows.
func (s *Store) DeleteComment(ctx context.Context, id, userID uint) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Comment
		if err := tx.Take(&c, id).Error; err != nil || c.Deleted {
			return notFound(orNotFound(err))
		}
		if c.UserID == nil || *c.UserID != userID {
			mod, err := moderates(tx, userID, c.StoryID)
			if err != nil {
				return err
			}
			if !mod {
				return ErrForbidden
			}
		}
		if err := removeComment(tx, &c); err != nil {
			return err
		}
		return recountComments(tx, c.StoryID)
	})
	if err != nil {
		return fmt.Errorf("delete comment %d: %w", id, err)
	}
	return nil
}

// removeComment empties c if it has replies, or else deletes it and then
// its deleted parents left without replies.
func removeComment(tx *gorm.DB, c *Comment) error {
	for cur := c; cur != nil; {
		var replies int64
		if err := tx.Model(&Comment{}).Where("parent_id = ?", cur.ID).Count(&replies).Error; err != nil {
			return err
		}
		if replies > 0 {
			if cur.Deleted {
				return nil
			}
			return tx.Model(cur).Updates(map[string]any{
				"deleted": true, "body": "", "html": "", "masked_body": nil, "user_id": nil, "author_name": "",
				"author_email": "", "author_url": "", "ip": "", "guest_key": "",
			}).Error
		}
		if err := tx.Delete(cur).Error; err != nil {
			return err
		}
		next, err := deletedParent(tx, cur.ParentID)
		if err != nil {
			return err
		}
		cur = next
	}
	return nil
}

// deletedParent returns the parent with this id if it is a deleted comment.
func deletedParent(tx *gorm.DB, id *uint) (*Comment, error) {
	if id == nil {
		return nil, nil
	}
	var ps []Comment
	if err := tx.Where("id = ? AND deleted = ?", *id, true).Limit(1).Find(&ps).Error; err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[0], nil
}

// orNotFound turns a nil error (a row found but not to be shown) into ErrNotFound.
func orNotFound(err error) error {
	if err == nil {
		return ErrNotFound
	}
	return err
}

// OwnComment returns a comment, with its story's slug and title, for its
// writer: ErrForbidden for anyone else, ErrNotFound if it is deleted.
func (s *Store) OwnComment(ctx context.Context, id, userID uint) (*Comment, error) {
	var c Comment
	err := s.r.WithContext(ctx).Preload("Story", func(db *gorm.DB) *gorm.DB { return db.Select("id", "title", "slug") }).
		Where("deleted = ?", false).Take(&c, id).Error
	if err != nil {
		return nil, fmt.Errorf("comment %d: %w", id, notFound(err))
	}
	if c.UserID == nil || *c.UserID != userID {
		return nil, ErrForbidden
	}
	return &c, nil
}
