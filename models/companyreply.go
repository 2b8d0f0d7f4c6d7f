package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Kinds of official reply: what the company says it does about the story.
const (
	ReplyAct          = "act"           // we will act
	ReplyResolved     = "resolved"      // resolved on our side
	ReplyContest      = "contest"       // we contest the facts
	ReplyNotConcerned = "not-concerned" // not concerned
)

// ReplyKinds are the kinds of official reply, in the order the form offers them.
var ReplyKinds = []string{ReplyAct, ReplyResolved, ReplyContest, ReplyNotConcerned}

// ReplyKindLabel is how an official reply's kind reads.
func ReplyKindLabel(k string) string {
	switch k {
	case ReplyAct:
		return "We will act"
	case ReplyResolved:
		return "Resolved on our side"
	case ReplyContest:
		return "We contest the facts"
	case ReplyNotConcerned:
		return "Not concerned"
	}
	return k
}

// ErrAlreadyReplied is returned when a company answers a story a second
// time: it answers once, then adds follow-ups.
var ErrAlreadyReplied = fmt.Errorf("the company already replied to this story: %w", ErrConflict)

// CompanyReply is a company's official answer to a story about it, written
// by one of its representatives: one per story. Body is Markdown under the
// comments' rules; HTML is rendered when it is saved.
type CompanyReply struct {
	ID        uint `gorm:"primaryKey"`
	StoryID   uint `gorm:"not null;uniqueIndex"`
	Story     Story
	CompanyID uint `gorm:"not null;index"`
	Company   Company
	UserID    uint   `gorm:"not null;index"`
	User      User   // the representative who wrote it
	Kind      string `gorm:"size:20;not null"`
	Body      string `gorm:"not null"`
	HTML      string `gorm:"column:html;not null"`
	CreatedAt time.Time
	// MailState says whether the author heard of it (see MailNew).
	MailState int `gorm:"not null;default:0"`
	// Hidden: unpublished by a decision on a notice (kept for an appeal).
	Hidden bool `gorm:"not null;default:false"`
	// FollowUps are the company's later, dated messages, oldest first.
	FollowUps []CompanyFollowUp `gorm:"foreignKey:ReplyID"`
}

// CompanyFollowUp is a dated message a representative adds under the
// company's reply ("12 March: the refund is on its way").
type CompanyFollowUp struct {
	ID        uint `gorm:"primaryKey"`
	ReplyID   uint `gorm:"not null;index"`
	UserID    uint `gorm:"not null"`
	User      User
	Body      string    `gorm:"not null"`
	HTML      string    `gorm:"column:html;not null"`
	CreatedAt time.Time `gorm:"index"`
	MailState int       `gorm:"not null;default:0"`     // as CompanyReply's
	Hidden    bool      `gorm:"not null;default:false"` // as CompanyReply's
}

// checkReplyBody validates the text of a reply or follow-up: the comments' rules.
func checkReplyBody(body string) string {
	if msg := badText(body); msg != "" {
		return msg
	}
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		return "The reply is empty."
	case n > MaxCommentLen:
		return tooLong("The reply is", n, MaxCommentLen)
	}
	return CheckMarkdown(body)
}

// validReplyKind says whether kind is one of ReplyKinds.
func validReplyKind(kind string) bool {
	for _, k := range ReplyKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// PostCompanyReply saves the official reply of userID's company to the
// published story storyID and stamps the story's replied_at, in one
// transaction. ErrNotFound for a story that is not published; ErrForbidden
// unless userID represents the story's company; ErrAlreadyReplied when the
// company answered it before.
func (s *Store) PostCompanyReply(ctx context.Context, storyID, userID uint, kind, body string) (*CompanyReply, error) {
	body = strings.TrimSpace(body)
	fields := map[string]string{}
	if !validReplyKind(kind) {
		fields["kind"] = "Choose what the company does: will act, resolved, contests the facts, or not concerned."
	}
	if msg := checkReplyBody(body); msg != "" {
		fields["body"] = msg
	}
	if len(fields) > 0 {
		return nil, &ValidationError{Fields: fields}
	}
	html, err := RenderComment(body)
	if err != nil {
		return nil, fmt.Errorf("render reply: %w", err)
	}
	r := &CompanyReply{StoryID: storyID, UserID: userID, Kind: kind, Body: body, HTML: html, MailState: MailNew}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := answerable(tx, storyID, userID)
		if err != nil {
			return err
		}
		if st.RepliedAt != nil {
			return ErrAlreadyReplied
		}
		r.CompanyID, r.CreatedAt = *st.CompanyID, s.now()
		if err := tx.Omit("Story", "Company", "User", "FollowUps").Create(r).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
			return ErrAlreadyReplied
		} else if err != nil {
			return err
		}
		return tx.Model(&Story{}).Where("id = ?", storyID).UpdateColumn("replied_at", r.CreatedAt).Error
	})
	if err != nil {
		return nil, fmt.Errorf("reply to story %d by user %d: %w", storyID, userID, err)
	}
	return r, nil
}

// answerable loads the published story id if userID represents its company.
func answerable(tx *gorm.DB, id, userID uint) (*Story, error) {
	var st Story
	err := tx.Select("id", "company_id", "replied_at", "author_id").Where("status = ?", StatusPublished).Take(&st, id).Error
	if err != nil {
		return nil, fmt.Errorf("story %d: %w", id, notFound(err))
	}
	if st.CompanyID == nil {
		return nil, fmt.Errorf("story %d names no company: %w", id, ErrForbidden)
	}
	ok, err := represents(tx, userID, *st.CompanyID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("user %d does not represent company %d: %w", userID, *st.CompanyID, ErrForbidden)
	}
	return &st, nil
}

// AddCompanyFollowUp appends a dated message under the company's reply to
// the published story storyID, by userID, who must represent the company
// (ErrForbidden); ErrNotFound when the company has not replied yet.
func (s *Store) AddCompanyFollowUp(ctx context.Context, storyID, userID uint, body string) (*CompanyFollowUp, error) {
	body = strings.TrimSpace(body)
	if msg := checkReplyBody(body); msg != "" {
		return nil, &ValidationError{Fields: map[string]string{"body": msg}}
	}
	html, err := RenderComment(body)
	if err != nil {
		return nil, fmt.Errorf("render follow-up: %w", err)
	}
	f := &CompanyFollowUp{UserID: userID, Body: body, HTML: html, MailState: MailNew}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := answerable(tx, storyID, userID); err != nil {
			return err
		}
		var r CompanyReply
		if err := tx.Select("id").Where("story_id = ?", storyID).Take(&r).Error; err != nil {
			return fmt.Errorf("reply: %w", notFound(err))
		}
		f.ReplyID, f.CreatedAt = r.ID, s.now()
		if err := tx.Omit("User").Create(f).Error; err != nil {
			return err
		}
		// The story's page shows the follow-up: its cached copies must go.
		return tx.Model(&Story{}).Where("id = ?", storyID).UpdateColumn("updated_at", f.CreatedAt).Error
	})
	if err != nil {
		return nil, fmt.Errorf("follow-up to story %d by user %d: %w", storyID, userID, err)
	}
	return f, nil
}

// publicUser selects what anyone may see of a user: never the email.
func publicUser(db *gorm.DB) *gorm.DB { return db.Select("id", "handle", "name", "avatar_url") }

// CompanyReplyOf returns the official reply to story storyID with its
// representative, company and follow-ups (ErrNotFound without one). Four queries.
func (s *Store) CompanyReplyOf(ctx context.Context, storyID uint) (*CompanyReply, error) {
	var r CompanyReply
	err := s.r.WithContext(ctx).Preload("User", publicUser).Preload("Company").
		Preload("FollowUps", func(db *gorm.DB) *gorm.DB { return db.Where("NOT hidden").Order("created_at, id") }).
		Preload("FollowUps.User", publicUser).
		Where("story_id = ? AND NOT hidden", storyID).Take(&r).Error
	if err != nil {
		return nil, fmt.Errorf("reply to story %d: %w", storyID, notFound(err))
	}
	return &r, nil
}

// resolutionChange returns the columns that move story st to resolution
// res at now: resolved_at is set when it becomes resolved, and cleared when
// it no longer is. Nil when res changes nothing.
func resolutionChange(st *Story, res string, now time.Time) map[string]any {
	if res == "" || res == st.Resolution {
		return nil
	}
	cols := map[string]any{"resolution": res, "resolved_at": nil}
	if res == ResolutionResolved {
		cols["resolved_at"] = now
	}
	return cols
}

// SetResolution sets what became of story storyID's problem: only its
// author or an admin may (else ErrNotFound).
func (s *Store) SetResolution(ctx context.Context, storyID, userID uint, res string) error {
	switch res {
	case ResolutionOpen, ResolutionResolved, ResolutionAbandoned:
	default:
		return &ValidationError{Fields: map[string]string{"resolution": "Choose open, resolved or abandoned."}}
	}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := editable(tx, storyID, userID)
		if err != nil {
			return err
		}
		if cols := resolutionChange(st, res, s.now()); cols != nil {
			return tx.Model(st).Updates(cols).Error
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("resolution of story %d: %w", storyID, err)
	}
	return nil
}

// DeleteCompanyReply removes an official reply and its follow-ups, for an
// admin acting on a report (else ErrNotFound): the story counts as not
// answered again.
func (s *Store) DeleteCompanyReply(ctx context.Context, adminID, replyID uint) (*Story, error) {
	var st Story
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := requireAdmin(tx, adminID); err != nil {
			return err
		}
		var r CompanyReply
		if err := tx.Take(&r, replyID).Error; err != nil {
			return notFound(err)
		}
		if err := deleteReply(tx, &r); err != nil {
			return err
		}
		return tx.Select("id", "slug").Take(&st, r.StoryID).Error
	})
	if err != nil {
		return nil, fmt.Errorf("delete reply %d: %w", replyID, err)
	}
	return &st, nil
}

// deleteReply deletes r and its follow-ups: the story counts as not
// answered again.
func deleteReply(tx *gorm.DB, r *CompanyReply) error {
	if err := tx.Where("reply_id = ?", r.ID).Delete(&CompanyFollowUp{}).Error; err != nil {
		return err
	}
	if err := tx.Delete(r).Error; err != nil {
		return err
	}
	return tx.Model(&Story{}).Where("id = ?", r.StoryID).UpdateColumn("replied_at", nil).Error
}
