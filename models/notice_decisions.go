package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Decisions on a notice.
const (
	DecisionKeep      = "keep"
	DecisionRedact    = "redact"
	DecisionUnpublish = "unpublish"
	DecisionDelete    = "delete"
)

// Outcomes of an appeal.
const (
	AppealUpheld   = "upheld"
	AppealReversed = "reversed"
)

// ErrAlreadyAppealed is returned for a second appeal of one decision.
var ErrAlreadyAppealed = fmt.Errorf("this decision was already appealed: %w", ErrConflict)

// ErrAlreadyDecided is returned for a decision on a notice already decided.
var ErrAlreadyDecided = fmt.Errorf("this notice is already decided: %w", ErrConflict)

// DecisionInput is an admin's decision on a notice: its kind, the
// statement of reasons the author and the notifier receive, and for a
// redaction the exact passage to remove.
type DecisionInput struct {
	Kind, Reasons, Passage string
}

// DecisionLabel is how pages name a decision.
func DecisionLabel(kind string) string {
	switch kind {
	case DecisionKeep:
		return "Kept online"
	case DecisionRedact:
		return "Passage removed"
	case DecisionUnpublish:
		return "Unpublished"
	case DecisionDelete:
		return "Deleted"
	}
	return "Not decided yet"
}

// RedactionMark is what replaces a removed passage.
func RedactionMark(at time.Time) string {
	return "[passage removed on " + at.Format("2 January 2006") + " after a notice]"
}

// DecideNotice records adminID's decision on notice id and applies it to
// the story or comment, in one transaction with its audit entry. A
// notice already decided is ErrAlreadyDecided; a passage not in the text,
// or an action on content deleted meanwhile, is a ValidationError.
func (s *Store) DecideNotice(ctx context.Context, adminID, id uint, in DecisionInput) (*Notice, error) {
	in.Reasons = strings.TrimSpace(in.Reasons)
	f := map[string]string{}
	switch in.Kind {
	case DecisionKeep, DecisionRedact, DecisionUnpublish, DecisionDelete:
	default:
		f["decision"] = "Choose keep, redact, unpublish or delete."
	}
	setLength(f, "reasons", in.Reasons, MaxNoticeReasons, "Write the statement of reasons: the author and the notifier receive it.")
	if in.Kind == DecisionRedact && strings.TrimSpace(in.Passage) == "" {
		f["passage"] = "Copy the exact passage to remove from the text below."
	}
	if len(f) > 0 {
		return nil, &ValidationError{Fields: f}
	}
	var n Notice
	err := s.decideTx(ctx, adminID, id, &n, NoticeOpen, ErrAlreadyDecided, func(tx *gorm.DB) error {
		now := s.now()
		n.DeciderID = adminID
		if in.Kind != DecisionKeep {
			if err := s.act(tx, &n, in, now); err != nil {
				return err
			}
		}
		n.State, n.Decision, n.Reasons, n.DecidedAt = NoticeDecided, in.Kind, in.Reasons, &now
		if in.Kind == DecisionRedact {
			n.Passage = in.Passage
		}
		if err := tx.Save(&n).Error; err != nil {
			return err
		}
		return s.audit(tx, adminID, AuditNoticeDecision, noticeTarget(&n), in.Kind+": "+in.Reasons)
	})
	if err != nil {
		return nil, fmt.Errorf("decide notice %d: %w", id, err)
	}
	return &n, nil
}

// decideTx runs decide in adminID's transaction on notice id, read into
// n, if the notice is in state want; otherwise the transaction ends with
// notWanted. Deciding a notice and deciding its appeal both start so.
func (s *Store) decideTx(ctx context.Context, adminID, id uint, n *Notice, want string, notWanted error, decide func(tx *gorm.DB) error) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := requireAdmin(tx, adminID); err != nil {
			return err
		}
		if err := tx.Take(n, id).Error; err != nil {
			return notFound(err)
		}
		if n.State != want {
			return notWanted
		}
		return decide(tx)
	})
}

// noticeTarget names a notice and its content for the audit log.
func noticeTarget(n *Notice) string {
	t := fmt.Sprintf("notice %d, story %d", n.ID, n.StoryID)
	if n.CommentID != 0 {
		t += fmt.Sprintf(", comment %d", n.CommentID)
	}
	if n.ReplyID != 0 {
		t += fmt.Sprintf(", company reply %d", n.ReplyID)
	}
	if n.FollowUpID != 0 {
		t += fmt.Sprintf(", follow-up %d", n.FollowUpID)
	}
	return t
}

// gone is the message for an action on content deleted meanwhile.
func gone(what string) error {
	return &ValidationError{Fields: map[string]string{"decision": "The " + what +
		" was deleted after the notice was filed: nothing is left to redact, unpublish or delete. Choose “keep” and say so in the reasons, to close the notice."}}
}

// act applies a decision other than keep to the notice's content.
func (s *Store) act(tx *gorm.DB, n *Notice, in DecisionInput, now time.Time) error {
	if n.ReplyID != 0 {
		return actOnReply(tx, n, in, now)
	}
	if n.CommentID != 0 {
		var c Comment
		if err := tx.Take(&c, n.CommentID).Error; err != nil || c.Deleted {
			if err = notFound(orNotFound(err)); err == ErrNotFound {
				return gone("comment")
			}
			return err
		}
		return actOnComment(tx, &c, in, now)
	}
	var st Story
	if err := tx.Preload("Categories").Preload("Tags").Take(&st, n.StoryID).Error; err != nil {
		if err = notFound(err); err == ErrNotFound {
			return gone("story")
		}
		return err
	}
	switch in.Kind {
	case DecisionRedact:
		return replaceInStory(tx, &st, in.Passage, RedactionMark(now), n.DeciderID)
	case DecisionUnpublish:
		return tx.Model(&st).Update("status", StatusDraft).Error
	}
	return deleteStories(tx, []uint{st.ID})
}

// replaceInStory replaces every occurrence of old in st's text by mark and
// renders it again, keeping the former version in the history.
func replaceInStory(tx *gorm.DB, st *Story, old, mark string, editorID uint) error {
	if !strings.Contains(st.Body, old) {
		return &ValidationError{Fields: map[string]string{"passage": "This passage is not in the story's text: copy it exactly from the text below."}}
	}
	body := strings.ReplaceAll(st.Body, old, mark)
	shown := ShownIn(body, SplitShown(st.ShownPII))
	r, err := RenderStoryShowing(body, SplitShown(shown))
	if err != nil {
		return fmt.Errorf("render redacted story: %w", err)
	}
	e := edit{title: st.Title, body: body, shown: shown, city: st.City, resolution: st.Resolution, r: r,
		company: st.CompanyID, cats: categoryIDs(st), tags: st.Tags, cover: st.Cover, coverAlt: st.CoverAlt}
	return applyEdit(tx, st, editorID, e)
}

func categoryIDs(st *Story) []uint {
	ids := make([]uint, len(st.Categories))
	for i, c := range st.Categories {
		ids[i] = c.ID
	}
	return ids
}

// actOnComment redacts, hides (trash) or deletes a comment.
func actOnComment(tx *gorm.DB, c *Comment, in DecisionInput, now time.Time) error {
	switch in.Kind {
	case DecisionRedact:
		if !strings.Contains(c.Body, in.Passage) {
			return &ValidationError{Fields: map[string]string{"passage": "This passage is not in the comment's text: copy it exactly from the text below."}}
		}
		return rewriteComment(tx, c, strings.ReplaceAll(c.Body, in.Passage, RedactionMark(now)))
	case DecisionUnpublish:
		if err := tx.Model(c).Update("status", CommentTrash).Error; err != nil {
			return err
		}
	default:
		if err := removeComment(tx, c); err != nil {
			return err
		}
	}
	return recountComments(tx, c.StoryID)
}

// rewriteComment gives c a new text, rendered.
func rewriteComment(tx *gorm.DB, c *Comment, body string) error {
	pub, err := publish(body)
	if err != nil {
		return err
	}
	return tx.Model(c).Updates(map[string]any{"body": body, "html": pub.HTML, "masked_body": pub.Masked}).Error
}
