package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Like is a signed-in reader liking a story: one per reader and story.
type Like struct {
	StoryID   uint      `gorm:"primaryKey;autoIncrement:false;index:idx_likes_story_created,priority:1"`
	UserID    uint      `gorm:"primaryKey;autoIncrement:false;index"`
	CreatedAt time.Time `gorm:"index:idx_likes_story_created,priority:2"`
	Story     Story     `gorm:"constraint:OnDelete:CASCADE"`
	User      User      `gorm:"constraint:OnDelete:CASCADE"`
}

// MeToo is a signed-in reader saying "this happened to me too" of a story:
// one per reader and story.
type MeToo struct {
	StoryID   uint `gorm:"primaryKey;autoIncrement:false"`
	UserID    uint `gorm:"primaryKey;autoIncrement:false;index"`
	CreatedAt time.Time
	Story     Story `gorm:"constraint:OnDelete:CASCADE"`
	User      User  `gorm:"constraint:OnDelete:CASCADE"`
}

// Reaction is the state of a like or me-too after a change: whether the
// reader now has it on, and the story's new count.
type Reaction struct {
	On    bool
	Count int
}

// ToggleLike likes the story, or takes the like back.
func (s *Store) ToggleLike(ctx context.Context, storyID, userID uint) (Reaction, error) {
	return s.react(ctx, "likes", "like_count", storyID, userID, nil)
}

// ToggleMeToo says "me too" of the story, or takes it back.
func (s *Store) ToggleMeToo(ctx context.Context, storyID, userID uint) (Reaction, error) {
	return s.react(ctx, "me_toos", "me_too_count", storyID, userID, nil)
}

// SetLike makes the reader like the story or not. Unlike a toggle it is
// idempotent, so a form that sends the wanted state survives double clicks.
func (s *Store) SetLike(ctx context.Context, storyID, userID uint, on bool) (Reaction, error) {
	return s.react(ctx, "likes", "like_count", storyID, userID, &on)
}

// SetMeToo makes the reader say "me too" of the story or not; idempotent.
func (s *Store) SetMeToo(ctx context.Context, storyID, userID uint, on bool) (Reaction, error) {
	return s.react(ctx, "me_toos", "me_too_count", storyID, userID, &on)
}

// react sets (want) or toggles (want nil) a reader's row in table (likes or
// me_toos) and keeps the story's count column in step, in one transaction.
// Writes are serialised, so what the first query sees still holds.
func (s *Store) react(ctx context.Context, table, column string, storyID, userID uint, want *bool) (Reaction, error) {
	var out Reaction
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var st struct{ Story, User, Mine bool }
		err := tx.Raw("SELECT EXISTS(SELECT 1 FROM stories WHERE id = ? AND status = ?) AS story, "+
			"EXISTS(SELECT 1 FROM users WHERE id = ?) AS user, "+
			"EXISTS(SELECT 1 FROM "+table+" WHERE story_id = ? AND user_id = ?) AS mine",
			storyID, StatusPublished, userID, storyID, userID).Scan(&st).Error
		if err != nil {
			return err
		}
		if !st.Story || !st.User {
			return ErrNotFound
		}
		out.On = !st.Mine
		if want != nil {
			out.On = *want
		}
		delta := 0
		switch {
		case out.On && !st.Mine:
			err, delta = tx.Table(table).Create(map[string]any{"story_id": storyID, "user_id": userID, "created_at": s.now()}).Error, 1
		case !out.On && st.Mine:
			err, delta = tx.Exec("DELETE FROM "+table+" WHERE story_id = ? AND user_id = ?", storyID, userID).Error, -1
		}
		if err != nil {
			return err
		}
		if delta != 0 {
			err := tx.Model(&Story{}).Where("id = ?", storyID).UpdateColumn(column, gorm.Expr(column+" + ?", delta)).Error
			if err != nil {
				return err
			}
		}
		return tx.Model(&Story{}).Where("id = ?", storyID).Pluck(column, &out.Count).Error
	})
	if err != nil {
		return Reaction{}, fmt.Errorf("%s of story %d by user %d: %w", column, storyID, userID, err)
	}
	return out, nil
}

// Reactions is what a story page shows of its likes and me-toos.
type Reactions struct {
	Likes, MeToos int
	// Likers are the latest readers who liked the story, at most MaxLikers.
	Likers []User
	// Liked and MeToo say what the viewer did; false for an anonymous viewer.
	Liked, MeToo bool
}

// MaxLikers is the number of likers a story shows.
const MaxLikers = 5

// StoryReactions returns a published story's likes and me-toos, its latest
// likers, and what viewerID (0: anonymous) did. Two queries, three when signed in.
func (s *Store) StoryReactions(ctx context.Context, storyID, viewerID uint) (Reactions, error) {
	db := s.r.WithContext(ctx)
	var st Story
	err := db.Select("like_count", "me_too_count").Where("status = ?", StatusPublished).Take(&st, storyID).Error
	if err != nil {
		return Reactions{}, fmt.Errorf("reactions to story %d: %w", storyID, notFound(err))
	}
	st.ID = storyID
	return s.ReactionsOf(ctx, &st, viewerID)
}

// ReactionsOf is StoryReactions for a story already loaded, with its
// counts: one query, two when signed in.
func (s *Store) ReactionsOf(ctx context.Context, st *Story, viewerID uint) (Reactions, error) {
	db := s.r.WithContext(ctx)
	storyID := st.ID
	out := Reactions{Likes: st.LikeCount, MeToos: st.MeTooCount}
	err := db.Select("users.id, users.handle, users.name, users.avatar_url").
		Joins("JOIN likes ON likes.user_id = users.id").Where("likes.story_id = CAST(? AS INTEGER)", storyID).
		Order("likes.created_at DESC, users.id DESC").Limit(MaxLikers).Find(&out.Likers).Error
	if err != nil {
		return Reactions{}, fmt.Errorf("likers of story %d: %w", storyID, err)
	}
	if viewerID == 0 {
		return out, nil
	}
	if out.Liked, out.MeToo, err = s.OwnReactions(ctx, storyID, viewerID); err != nil {
		return Reactions{}, err
	}
	return out, nil
}

// OwnReactions says whether the viewer likes the story and said "me too".
func (s *Store) OwnReactions(ctx context.Context, storyID, viewerID uint) (liked, meToo bool, err error) {
	var mine struct{ Liked, MeToo bool }
	err = s.r.WithContext(ctx).Raw("SELECT EXISTS(SELECT 1 FROM likes WHERE story_id = ? AND user_id = ?) AS liked, EXISTS(SELECT 1 FROM me_toos WHERE story_id = ? AND user_id = ?) AS me_too",
		storyID, viewerID, storyID, viewerID).Scan(&mine).Error
	if err != nil {
		return false, false, fmt.Errorf("reactions of user %d: %w", viewerID, err)
	}
	return mine.Liked, mine.MeToo, nil
}

// CompanyStoriesByMeToo returns page n (from 1) of a company's published
// stories, those most readers said "me too" of first.
func (s *Store) CompanyStoriesByMeToo(ctx context.Context, companyID uint, n int) (StoryPage, error) {
	f := StoryFilter{CompanyID: companyID}
	if companyID == 0 || n < 1 {
		return StoryPage{}, ErrNotFound
	}
	total, err := s.countStories(ctx, f)
	if err != nil {
		return StoryPage{}, fmt.Errorf("count stories of company %d: %w", companyID, err)
	}
	pages := int((total + PageSize - 1) / PageSize)
	if n > max(pages, 1) {
		return StoryPage{}, ErrNotFound
	}
	q, err := s.filtered(ctx, f, n*PageSize)
	if err != nil {
		return StoryPage{}, fmt.Errorf("stories of company %d by me too: %w", companyID, err)
	}
	var stories []Story
	err = withStoryRefs(q).
		Order("stories.me_too_count DESC, stories.published_at DESC, stories.id DESC").
		Limit(PageSize).Offset((n - 1) * PageSize).Find(&stories).Error
	if err != nil {
		return StoryPage{}, fmt.Errorf("stories of company %d by me too: %w", companyID, err)
	}
	return StoryPage{Stories: stories, Page: n, Pages: pages, Total: total}, nil
}
