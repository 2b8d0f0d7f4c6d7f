package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// MaxNoteLen bounds an admin's note to an author.
const MaxNoteLen = 1000

// editable loads story id if userID may change it, else ErrNotFound.
func editable(tx *gorm.DB, id, userID uint) (*Story, error) {
	var st Story
	if err := editableBy(tx, userID).Where("stories.id = ?", id).Take(&st).Error; err != nil {
		return nil, notFound(err)
	}
	return &st, nil
}

// roleOf returns the role of user id, or ErrNotFound.
func roleOf(tx *gorm.DB, id uint) (string, error) {
	var roles []string
	if err := tx.Model(&User{}).Where("id = ?", id).Limit(1).Pluck("role", &roles).Error; err != nil {
		return "", err
	}
	if len(roles) == 0 {
		return "", fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	return roles[0], nil
}

// requireAdmin returns ErrNotFound unless user id is an admin: what admins
// may do does not exist for anyone else.
func requireAdmin(tx *gorm.DB, id uint) error {
	role, err := roleOf(tx, id)
	if err == nil && role != RoleAdmin {
		err = fmt.Errorf("user %d is no admin: %w", id, ErrNotFound)
	}
	return err
}

// publish makes st public. The first publication sets PublishedAt, once,
// and gives the story its slug from its title; a story published again
// after UnpublishStory keeps both, so its links and its place in the
// archives stay the same.
func (s *Store) publish(tx *gorm.DB, st *Story) error {
	fields := map[string]any{"status": StatusPublished, "review_note": ""}
	if st.PublishedAt == nil {
		slug, err := freeSlug(tx, storySlugs, st.ID, Slugify(st.Title))
		if err != nil {
			return err
		}
		now := s.now()
		st.PublishedAt, st.Slug = &now, slug
		fields["published_at"], fields["slug"], fields["mail_state"] = now, slug, MailNew
	}
	st.Status, st.ReviewNote = StatusPublished, ""
	return tx.Model(st).Updates(fields).Error
}

// SubmitStory is the author's "Publish": a story submitted by an author or
// an admin is published at once; by a reader, it waits in the review queue.
// Only the story's author or an admin may submit it (else ErrNotFound).
// Submitting a published story changes nothing.
func (s *Store) SubmitStory(ctx context.Context, id, userID uint) (*Story, error) {
	var st *Story
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if st, err = editable(tx, id, userID); err != nil || st.Status == StatusPublished {
			return err
		}
		if Blank(st.HTML) {
			return errEmptyStory()
		}
		if errs := AltProblems(st.Body, st.Cover, st.CoverAlt); errs != nil {
			return &ValidationError{Fields: errs}
		}
		role, err := roleOf(tx, userID)
		if err != nil {
			return err
		}
		if role == RoleAuthor || role == RoleAdmin {
			return s.publish(tx, st)
		}
		st.Status, st.ReviewNote = StatusReview, ""
		return tx.Model(st).Updates(map[string]any{"status": StatusReview, "review_note": ""}).Error
	})
	if err != nil {
		return nil, fmt.Errorf("submit story %d: %w", id, err)
	}
	return st, nil
}

// ApproveStory publishes a story waiting in review, or the changes waiting
// for review on a published one (its PendingEdit and pending updates). Only
// admins may (ErrNotFound for others); a story with nothing to review is
// ErrConflict.
func (s *Store) ApproveStory(ctx context.Context, id, adminID uint) (*Story, error) {
	var st Story
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := requireAdmin(tx, adminID); err != nil {
			return err
		}
		if err := tx.Preload("Categories").Preload("Tags").Take(&st, id).Error; err != nil {
			return notFound(err)
		}
		if err := s.audit(tx, adminID, AuditStoryApprove, idList("story", []uint{st.ID}), st.Title); err != nil {
			return err
		}
		switch st.Status {
		case StatusReview:
			return s.publish(tx, &st)
		case StatusPublished:
			found, err := applyPending(tx, &st)
			if err == nil && !found {
				err = fmt.Errorf("story has no change to review: %w", ErrConflict)
			}
			if err != nil {
				return err
			}
			return tx.Model(&st).Update("review_note", "").Error
		}
		return fmt.Errorf("story is %s: %w", st.Status, ErrConflict)
	})
	if err != nil {
		return nil, fmt.Errorf("approve story %d: %w", id, err)
	}
	return &st, nil
}

// SendBack returns a story in review (or a published one) to its author as
// a draft, with a note saying why. A published story with changes waiting
// for review stays published as it was: the changes are refused (dropped)
// and the note tells the author why. Only admins may (ErrNotFound for
// others); a draft is ErrConflict; the note must say something.
func (s *Store) SendBack(ctx context.Context, id, adminID uint, note string) error {
	note = strings.TrimSpace(note)
	switch n := utf8.RuneCountInString(note); {
	case n == 0:
		return &ValidationError{Fields: map[string]string{"note": "Tell the author what to change."}}
	case n > MaxNoteLen:
		return &ValidationError{Fields: map[string]string{"note": tooLong("The note is", n, MaxNoteLen)}}
	}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := requireAdmin(tx, adminID); err != nil {
			return err
		}
		var st Story
		if err := tx.Take(&st, id).Error; err != nil {
			return notFound(err)
		}
		if st.Status == StatusDraft {
			return fmt.Errorf("story is a draft: %w", ErrConflict)
		}
		if err := s.audit(tx, adminID, AuditStorySendBack, idList("story", []uint{st.ID}), note); err != nil {
			return err
		}
		fields := map[string]any{"status": StatusDraft, "review_note": note}
		if st.Status == StatusPublished {
			dropped, err := dropPending(tx, st.ID)
			if err != nil {
				return err
			}
			if dropped {
				fields = map[string]any{"review_note": note}
			}
		}
		return tx.Model(&st).Updates(fields).Error
	})
	if err != nil {
		return fmt.Errorf("send back story %d: %w", id, err)
	}
	return nil
}

// UnpublishStory turns a published story, or one waiting in review, back
// into a draft. PublishedAt and the slug stay, so that publishing it again
// puts it back where it was. Changes waiting for review become part of the
// draft: nothing of it is public any more, and it is reviewed as a whole if
// a reader submits it again. Only its author or an admin may (else ErrNotFound).
func (s *Store) UnpublishStory(ctx context.Context, id, userID uint) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := editable(tx.Preload("Categories").Preload("Tags"), id, userID)
		if err != nil || st.Status == StatusDraft {
			return err
		}
		if err := tx.Model(st).Update("status", StatusDraft).Error; err != nil {
			return err
		}
		_, err = applyPending(tx, st)
		return err
	})
	if err != nil {
		return fmt.Errorf("unpublish story %d: %w", id, err)
	}
	return nil
}

// DeleteStory deletes a story with its categories, tags, comments, updates,
// revisions and former slugs, in one transaction. Only its author or an
// admin may (else ErrNotFound).
func (s *Store) DeleteStory(ctx context.Context, id, userID uint) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := editable(tx, id, userID); err != nil {
			return err
		}
		return deleteStories(tx, []uint{id})
	})
	if err != nil {
		return fmt.Errorf("delete story %d: %w", id, err)
	}
	return nil
}

// ReviewQueue returns the stories waiting for an admin, longest waiting
// first: those submitted for review, and the published ones with a change
// waiting (loaded in Pending, and the pending updates in Updates). It does
// not check who is asking: admins only.
func (s *Store) ReviewQueue(ctx context.Context) ([]Story, error) {
	var sts []Story
	err := withStoryRefs(s.r.WithContext(ctx)).Preload("Pending").Preload("Pending.Company").
		Preload("Updates", "pending = ?", true).
		Where("stories.status = ? OR (stories.status = ? AND "+hasPending+")", StatusReview, StatusPublished).
		Order("stories.updated_at, stories.id").Find(&sts).Error
	if err != nil {
		return nil, fmt.Errorf("review queue: %w", err)
	}
	var cats []Category
	if err := s.r.WithContext(ctx).Order("position, name").Find(&cats).Error; err != nil {
		return nil, fmt.Errorf("review queue categories: %w", err)
	}
	for _, st := range sts {
		if st.Pending == nil {
			continue
		}
		ids := st.Pending.CategoryIDList()
		for _, c := range cats {
			if slices.Contains(ids, c.ID) {
				st.Pending.CategoryNames = append(st.Pending.CategoryNames, c.Name)
			}
		}
	}
	return sts, nil
}

// StoriesOf returns all the stories of user id, whatever their status,
// newest first, with their company and categories, without their bodies.
func (s *Store) StoriesOf(ctx context.Context, userID uint) ([]Story, error) {
	var sts []Story
	err := s.r.WithContext(ctx).Omit("body", "html").Preload("Company").
		Preload("Categories", func(db *gorm.DB) *gorm.DB { return db.Order("position, name") }).
		Where("author_id = ?", userID).Order("created_at DESC, id DESC").Find(&sts).Error
	if err != nil {
		return nil, fmt.Errorf("stories of user %d: %w", userID, err)
	}
	return sts, nil
}

// storyChildren are the rows that belong to a story and go with it.
var storyChildren = []any{&StoryCategory{}, &StoryTag{}, &Comment{}, &StoryUpdate{}, &Revision{}, &PendingEdit{},
	&SlugRedirect{}, &Like{}, &MeToo{}, &Report{}, &StoryPicture{}, &CompanyReply{}}

// deleteStories deletes the stories whose ids are given (a list or a
// subquery) with everything that belongs to them.
func deleteStories(tx *gorm.DB, ids any) error {
	err := tx.Where("reply_id IN (SELECT id FROM company_replies WHERE story_id IN (?))", ids).Delete(&CompanyFollowUp{}).Error
	if err != nil {
		return fmt.Errorf("delete follow-ups: %w", err)
	}
	var pics []uint
	if err := tx.Model(&StoryPicture{}).Where("story_id IN (?)", ids).Distinct().Pluck("picture_id", &pics).Error; err != nil {
		return fmt.Errorf("story pictures: %w", err)
	}
	for _, m := range storyChildren {
		if err := tx.Where("story_id IN (?)", ids).Delete(m).Error; err != nil {
			return fmt.Errorf("delete %T: %w", m, err)
		}
	}
	if err := tx.Where("id IN (?)", ids).Delete(&Story{}).Error; err != nil {
		return err
	}
	return orphanPictures(tx, pics)
}
