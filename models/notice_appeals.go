package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// AppealNotice records the one appeal the author of the content may make
// against a decision that restricted it. Someone else's notice is
// ErrNotFound; a second appeal is ErrAlreadyAppealed; a notice not decided,
// or decided "keep", has nothing to appeal (ErrConflict).
func (s *Store) AppealNotice(ctx context.Context, userID, id uint, text string) error {
	text = strings.TrimSpace(text)
	f := map[string]string{}
	setLength(f, "appeal", text, MaxNoticeText, "Say why the decision is wrong.")
	if msg := badText(text); msg != "" {
		f["appeal"] = msg
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n Notice
		if err := tx.Where("id = ? AND author_id = ?", id, userID).Take(&n).Error; err != nil {
			return notFound(err)
		}
		switch {
		case n.AppealedAt != nil:
			return ErrAlreadyAppealed
		case n.State != NoticeDecided || n.Decision == DecisionKeep:
			return fmt.Errorf("nothing to appeal: %w", ErrConflict)
		}
		now := s.now()
		err := tx.Model(&n).Updates(map[string]any{"appeal": text, "appealed_at": now, "state": NoticeAppealed}).Error
		if err != nil {
			return err
		}
		return s.audit(tx, userID, AuditNoticeAppeal, noticeTarget(&n), text)
	})
	if err != nil {
		return fmt.Errorf("appeal notice %d: %w", id, err)
	}
	return nil
}

// DecideAppeal records adminID's second look at an appealed decision.
// Reversing puts back what can be: an unpublished story or comment is
// published again, a removed passage returns in place of its mark; deleted
// content cannot come back, which the statement should say.
func (s *Store) DecideAppeal(ctx context.Context, adminID, id uint, outcome, reasons string) (*Notice, error) {
	reasons = strings.TrimSpace(reasons)
	f := map[string]string{}
	if outcome != AppealUpheld && outcome != AppealReversed {
		f["outcome"] = "Choose to uphold or to reverse the decision."
	}
	setLength(f, "reasons", reasons, MaxNoticeReasons, "Write the reasons: the author receives them.")
	if len(f) > 0 {
		return nil, &ValidationError{Fields: f}
	}
	var n Notice
	err := s.decideTx(ctx, adminID, id, &n, NoticeAppealed, fmt.Errorf("no appeal waits: %w", ErrConflict), func(tx *gorm.DB) error {
		if outcome == AppealReversed {
			if err := s.undo(tx, &n, adminID); err != nil {
				return err
			}
		}
		now := s.now()
		n.State, n.AppealOutcome, n.AppealReasons, n.AppealDecidedAt = NoticeClosed, outcome, reasons, &now
		if err := tx.Save(&n).Error; err != nil {
			return err
		}
		return s.audit(tx, adminID, AuditAppealDecision, noticeTarget(&n), outcome+": "+reasons)
	})
	if err != nil {
		return nil, fmt.Errorf("decide appeal of notice %d: %w", id, err)
	}
	return &n, nil
}

// undo reverses n's decision where the content still exists.
func (s *Store) undo(tx *gorm.DB, n *Notice, adminID uint) error {
	mark := RedactionMark(*n.DecidedAt)
	if n.ReplyID != 0 {
		return undoOnReply(tx, n)
	}
	if n.CommentID != 0 {
		var cs []Comment
		if err := tx.Where("id = ? AND NOT deleted", n.CommentID).Find(&cs).Error; err != nil || len(cs) == 0 {
			return err
		}
		c := &cs[0]
		switch n.Decision {
		case DecisionUnpublish:
			if err := tx.Model(c).Update("status", CommentApproved).Error; err != nil {
				return err
			}
			return recountComments(tx, c.StoryID)
		case DecisionRedact:
			return rewriteComment(tx, c, strings.ReplaceAll(c.Body, mark, n.Passage))
		}
		return nil
	}
	var sts []Story
	if err := tx.Preload("Categories").Preload("Tags").Where("id = ?", n.StoryID).Find(&sts).Error; err != nil || len(sts) == 0 {
		return err
	}
	st := &sts[0]
	switch {
	case n.Decision == DecisionUnpublish && st.Status == StatusDraft:
		return tx.Model(st).Update("status", StatusPublished).Error
	case n.Decision == DecisionRedact && strings.Contains(st.Body, mark):
		return replaceInStory(tx, st, mark, n.Passage, adminID)
	}
	return nil
}
