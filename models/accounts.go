package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// DeletedUserHandle is the handle of the account that keeps the stories and
// comments of people who deleted their account and chose to leave them.
const DeletedUserHandle = "deleted-user"

// CreateFirstAdmin uses a setup token and creates the first admin, named name.
// A used, expired or unknown token is ErrNotFound, and so is any token once
// the site has an admin: a setup link still in a log must not make another.
func (s *Store) CreateFirstAdmin(ctx context.Context, token, name string) (*User, error) {
	name = strings.TrimSpace(name)
	if f := ValidateProfile(name, ""); len(f) > 0 {
		return nil, &ValidationError{Fields: f}
	}
	u := &User{Name: name, Role: RoleAdmin}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var admins int64
		if err := tx.Model(&User{}).Where("role = ?", RoleAdmin).Count(&admins).Error; err != nil {
			return err
		}
		if admins > 0 {
			return ErrNotFound
		}
		if _, err := s.useOneTimeToken(tx, PurposeSetup, token); err != nil {
			return err
		}
		var err error
		if u.Handle, err = uniqueHandle(tx, Slugify(name)); err != nil {
			return err
		}
		return tx.Create(u).Error
	})
	if err != nil {
		return nil, fmt.Errorf("first admin: %w", err)
	}
	return u, nil
}

// DeleteUser deletes a user with their identities and sessions. With keep,
// their stories and comments move to the "deleted user" account; without, they
// are deleted too (with the comments on those stories), and the comment counts
// of the stories concerned are recounted.
func (s *Store) DeleteUser(ctx context.Context, userID uint, keep bool) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			return notFound(err)
		}
		if u.Handle == DeletedUserHandle {
			return errors.New("the deleted-user account cannot be deleted")
		}
		if keep {
			if err := moveContent(tx, userID); err != nil {
				return err
			}
		} else if err := removeContent(tx, userID); err != nil {
			return err
		}
		if err := creditHistoryToGhost(tx, userID); err != nil {
			return err
		}
		if err := dropReactions(tx, userID); err != nil {
			return err
		}
		for _, m := range []any{&Identity{}, &Session{}, &OneTimeToken{}, &Follow{}} {
			if err := tx.Where("user_id = ?", userID).Delete(m).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("link_user_id = ?", userID).Delete(&LoginState{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&User{}, userID).Error; err != nil {
			return err
		}
		return releasePictures(tx, userID)
	})
	if err != nil {
		return fmt.Errorf("delete user %d: %w", userID, err)
	}
	return nil
}

// ghostUser returns the shared "deleted user" account, creating it if needed.
func ghostUser(tx *gorm.DB) (User, error) {
	ghost := User{Handle: DeletedUserHandle, Name: "deleted user", Role: RoleReader}
	err := tx.Where(User{Handle: DeletedUserHandle}).FirstOrCreate(&ghost).Error
	return ghost, err
}

// refuseGhost is a ValidationError on "role" when userID is the deleted-user
// account: it signs what deleted accounts left, and no one signs in as it.
func refuseGhost(tx *gorm.DB, userID uint) error {
	var n int64
	if err := tx.Model(&User{}).Where("id = ? AND handle = ?", userID, DeletedUserHandle).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return &ValidationError{Fields: map[string]string{"role": "The deleted-user account keeps what deleted accounts left; it cannot be given a role."}}
	}
	return nil
}

// creditHistoryToGhost keeps the revisions, updates and company replies a
// departing user wrote on stories that stay, under "deleted user". Their changes still
// waiting for review go: nobody is left to vouch for them, and approving
// them later would publish them under "deleted user".
func creditHistoryToGhost(tx *gorm.DB, userID uint) error {
	if err := tx.Where("editor_id = ?", userID).Delete(&PendingEdit{}).Error; err != nil {
		return err
	}
	if err := tx.Where("author_id = ? AND pending = ?", userID, true).Delete(&StoryUpdate{}).Error; err != nil {
		return err
	}
	ghost, err := ghostUser(tx)
	if err != nil {
		return err
	}
	if err := tx.Model(&Revision{}).Where("editor_id = ?", userID).Update("editor_id", ghost.ID).Error; err != nil {
		return err
	}
	if err := tx.Model(&StoryUpdate{}).Where("author_id = ?", userID).Update("author_id", ghost.ID).Error; err != nil {
		return err
	}
	// A company's replies are the company's word: they stay, whoever wrote them.
	if err := tx.Model(&CompanyReply{}).Where("user_id = ?", userID).Update("user_id", ghost.ID).Error; err != nil {
		return err
	}
	return tx.Model(&CompanyFollowUp{}).Where("user_id = ?", userID).Update("user_id", ghost.ID).Error
}

// dropReactions removes a departing user's likes and "me too"s and counts
// those of the stories they were on again; the foreign keys would delete the
// rows anyway, but not the counts the pages show.
func dropReactions(tx *gorm.DB, userID uint) error {
	for _, r := range []struct{ table, count string }{{"likes", "like_count"}, {"me_toos", "me_too_count"}} {
		var storyIDs []uint
		if err := tx.Table(r.table).Where("user_id = ?", userID).Pluck("story_id", &storyIDs).Error; err != nil {
			return err
		}
		if len(storyIDs) == 0 {
			continue
		}
		if err := tx.Exec("DELETE FROM "+r.table+" WHERE user_id = ?", userID).Error; err != nil {
			return err
		}
		err := tx.Exec("UPDATE stories SET "+r.count+" = (SELECT count(*) FROM "+r.table+
			" WHERE "+r.table+".story_id = stories.id) WHERE id IN ?", storyIDs).Error
		if err != nil {
			return err
		}
	}
	return nil
}

func moveContent(tx *gorm.DB, userID uint) error {
	ghost, err := ghostUser(tx)
	if err != nil {
		return err
	}
	if err := tx.Model(&Story{}).Where("author_id = ?", userID).Update("author_id", ghost.ID).Error; err != nil {
		return err
	}
	return tx.Model(&Comment{}).Where("user_id = ?", userID).
		Updates(map[string]any{"user_id": ghost.ID, "author_name": ghost.Name, "author_email": "", "author_url": ""}).Error
}

func removeContent(tx *gorm.DB, userID uint) error {
	var storyIDs []uint
	if err := tx.Model(&Comment{}).Where("user_id = ?", userID).Distinct().Pluck("story_id", &storyIDs).Error; err != nil {
		return err
	}
	// Replies to a removed comment stay, attached to nothing.
	mine := tx.Model(&Comment{}).Select("id").Where("user_id = ?", userID)
	if err := tx.Model(&Comment{}).Where("parent_id IN (?)", mine).Update("parent_id", nil).Error; err != nil {
		return err
	}
	if err := tx.Where("user_id = ?", userID).Delete(&Comment{}).Error; err != nil {
		return err
	}
	if err := deleteStories(tx, tx.Model(&Story{}).Select("id").Where("author_id = ?", userID)); err != nil {
		return err
	}
	if len(storyIDs) == 0 {
		return nil
	}
	return tx.Exec(`UPDATE stories SET comment_count = (SELECT count(*) FROM comments
		WHERE comments.story_id = stories.id AND comments.status = ?) WHERE id IN ?`, CommentApproved, storyIDs).Error
}
