package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Decisions on notices about a company's official reply or one of its
// follow-ups: the representative who wrote it is the author who receives
// the statement of reasons and may appeal.

// replyContent is the text a notice about a reply acts on: the reply, or
// one of its follow-ups, as a row of table.
type replyContent struct {
	table   string
	id      uint
	body    string
	storyID uint
	reply   *CompanyReply
}

// loadReplyContent loads what n is about; a ValidationError when it was
// deleted after the notice was filed.
func loadReplyContent(tx *gorm.DB, n *Notice) (*replyContent, error) {
	var r CompanyReply
	if err := tx.Take(&r, n.ReplyID).Error; err != nil {
		if err = notFound(err); err == ErrNotFound {
			return nil, gone("company reply")
		}
		return nil, err
	}
	rc := &replyContent{table: "company_replies", id: r.ID, body: r.Body, storyID: r.StoryID, reply: &r}
	if n.FollowUpID != 0 {
		var f CompanyFollowUp
		if err := tx.Take(&f, n.FollowUpID).Error; err != nil {
			if err = notFound(err); err == ErrNotFound {
				return nil, gone("follow-up")
			}
			return nil, err
		}
		rc.table, rc.id, rc.body = "company_follow_ups", f.ID, f.Body
	}
	return rc, nil
}

// rewrite gives the reply or follow-up a new text, rendered.
func (rc *replyContent) rewrite(tx *gorm.DB, body string) error {
	html, err := RenderComment(body)
	if err != nil {
		return fmt.Errorf("render reply: %w", err)
	}
	return tx.Table(rc.table).Where("id = ?", rc.id).Updates(map[string]any{"body": body, "html": html}).Error
}

// hide unpublishes (or, with hidden false, publishes again) the reply or
// follow-up. A hidden reply no longer counts as the company's answer.
func (rc *replyContent) hide(tx *gorm.DB, hidden bool) error {
	if err := tx.Table(rc.table).Where("id = ?", rc.id).UpdateColumn("hidden", hidden).Error; err != nil {
		return err
	}
	if rc.table != "company_replies" {
		return nil
	}
	var at any
	if !hidden {
		at = rc.reply.CreatedAt
	}
	return tx.Model(&Story{}).Where("id = ?", rc.storyID).UpdateColumn("replied_at", at).Error
}

// actOnReply redacts, unpublishes or deletes the reply or follow-up n is about.
func actOnReply(tx *gorm.DB, n *Notice, in DecisionInput, now time.Time) error {
	rc, err := loadReplyContent(tx, n)
	if err != nil {
		return err
	}
	switch {
	case in.Kind == DecisionRedact:
		if !strings.Contains(rc.body, in.Passage) {
			return &ValidationError{Fields: map[string]string{"passage": "This passage is not in the reply's text: copy it exactly from the text below."}}
		}
		err = rc.rewrite(tx, strings.ReplaceAll(rc.body, in.Passage, RedactionMark(now)))
	case in.Kind == DecisionUnpublish:
		err = rc.hide(tx, true)
	case rc.table == "company_replies":
		err = deleteReply(tx, rc.reply)
	default:
		err = tx.Delete(&CompanyFollowUp{}, rc.id).Error
	}
	if err != nil {
		return err
	}
	return touchStory(tx, rc.storyID, now)
}

// undoOnReply reverses n's decision about a reply or follow-up, if it
// still exists.
func undoOnReply(tx *gorm.DB, n *Notice) error {
	rc, err := loadReplyContent(tx, n)
	var ve *ValidationError
	if errors.As(err, &ve) {
		return nil // deleted: nothing can come back
	} else if err != nil {
		return err
	}
	switch n.Decision {
	case DecisionUnpublish:
		err = rc.hide(tx, false)
	case DecisionRedact:
		err = rc.rewrite(tx, strings.ReplaceAll(rc.body, RedactionMark(*n.DecidedAt), n.Passage))
	default:
		return nil
	}
	if err != nil {
		return err
	}
	return touchStory(tx, rc.storyID, *n.DecidedAt)
}

// touchStory moves the story's updated_at, so that the copies browsers
// and the page cache keep of its page are stale.
func touchStory(tx *gorm.DB, storyID uint, now time.Time) error {
	return tx.Model(&Story{}).Where("id = ?", storyID).UpdateColumn("updated_at", now).Error
}
