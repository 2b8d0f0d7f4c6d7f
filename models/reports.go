package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Report reasons.
const (
	ReasonSpam    = "spam"
	ReasonAbuse   = "abuse"
	ReasonPrivate = "private" // private information
)

// Report statuses.
const (
	ReportOpen     = "open"
	ReportResolved = "resolved"
)

// MaxOpenReports is the number of reports the admin queue lists at once.
const MaxOpenReports = 100

// Report is a signed-in reader flagging a story or a comment to the admins;
// one per reader and target.
type Report struct {
	ID      uint `gorm:"primaryKey"`
	UserID  uint `gorm:"not null;uniqueIndex:idx_reports_target,priority:1"`
	User    User `gorm:"constraint:OnDelete:CASCADE"`
	StoryID uint `gorm:"not null;uniqueIndex:idx_reports_target,priority:2"`
	Story   Story
	// CommentID is the reported comment, or 0 when the story itself is reported.
	// (Not a nullable key: SQLite lets NULLs repeat in a unique index.)
	CommentID  uint       `gorm:"not null;default:0;uniqueIndex:idx_reports_target,priority:3"`
	Comment    *Comment   `gorm:"-"`
	Reason     string     `gorm:"size:10;not null"`
	Status     string     `gorm:"size:10;not null;default:open;index:idx_reports_status_created,priority:1"`
	CreatedAt  time.Time  `gorm:"index:idx_reports_status_created,priority:2"`
	ResolvedAt *time.Time `gorm:"index"`
	ResolvedBy *uint
	// MailState is MailNew until the moderators heard of the report.
	MailState int `gorm:"not null;default:0;index"`
}

// ReportTarget is what is reported: a comment when CommentID is set, else a story.
type ReportTarget struct {
	StoryID   uint
	CommentID uint
}

// Report records userID's report of a published story or an approved
// comment for reason (spam, abuse, private). ErrNotFound for a target not
// shown, ErrAlreadyReported when the reader reported it before.
func (s *Store) Report(ctx context.Context, userID uint, t ReportTarget, reason string) (*Report, error) {
	switch reason {
	case ReasonSpam, ReasonAbuse, ReasonPrivate:
	default:
		return nil, &ValidationError{Fields: map[string]string{"reason": "Choose spam, abuse or private information."}}
	}
	r := &Report{UserID: userID, StoryID: t.StoryID, CommentID: t.CommentID, Reason: reason, Status: ReportOpen, MailState: MailNew}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if t.CommentID != 0 {
			var c Comment
			err := tx.Select("id", "story_id").Where("status = ? AND deleted = ?", CommentApproved, false).Take(&c, t.CommentID).Error
			if err != nil {
				return fmt.Errorf("comment %d: %w", t.CommentID, notFound(err))
			}
			r.StoryID = c.StoryID
		}
		var ok struct{ Story, User bool }
		err := tx.Raw("SELECT EXISTS(SELECT 1 FROM stories WHERE id = ? AND status = ?) AS story, EXISTS(SELECT 1 FROM users WHERE id = ?) AS user",
			r.StoryID, StatusPublished, userID).Scan(&ok).Error
		if err != nil {
			return err
		}
		if !ok.Story || !ok.User {
			return ErrNotFound
		}
		r.CreatedAt = s.now()
		if err := tx.Omit("User", "Story").Create(r).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
			return ErrAlreadyReported
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report %+v by user %d: %w", t, userID, err)
	}
	return r, nil
}

// OpenReports returns the open reports, oldest first, with their reporter,
// story and comment (nil if it was removed since), for an admin
// (ErrForbidden for anyone else). Five queries.
func (s *Store) OpenReports(ctx context.Context, userID uint) ([]Report, error) {
	db := s.r.WithContext(ctx)
	if err := requireAdminHere(db, userID); err != nil {
		return nil, err
	}
	var rs []Report
	err := db.Preload("User", func(db *gorm.DB) *gorm.DB { return db.Select("id", "handle", "name", "avatar_url") }).
		Preload("Story", func(db *gorm.DB) *gorm.DB { return db.Select("id", "title", "slug", "author_id", "status") }).
		Where("status = ?", ReportOpen).Order("created_at, id").Limit(MaxOpenReports).Find(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("open reports: %w", err)
	}
	var ids []uint
	for _, r := range rs {
		if r.CommentID != 0 {
			ids = append(ids, r.CommentID)
		}
	}
	if len(ids) == 0 {
		return rs, nil
	}
	var cs []Comment
	if err := db.Where("id IN ?", ids).Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("reported comments: %w", err)
	}
	byID := make(map[uint]*Comment, len(cs))
	for i := range cs {
		byID[cs[i].ID] = &cs[i]
	}
	for i := range rs {
		rs[i].Comment = byID[rs[i].CommentID]
	}
	return rs, nil
}

// ResolveReport closes a report, and every other open report of the same
// target, for an admin; it returns how many were closed. Acting on the
// target (trashing a comment) is a separate step: ModerateComments.
func (s *Store) ResolveReport(ctx context.Context, userID, reportID uint) (int, error) {
	var n int64
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := requireAdminHere(tx, userID); err != nil {
			return err
		}
		var r Report
		if err := tx.Take(&r, reportID).Error; err != nil {
			return notFound(err)
		}
		now := s.now()
		res := tx.Model(&Report{}).Where("story_id = ? AND comment_id = ? AND status = ?", r.StoryID, r.CommentID, ReportOpen).
			Updates(map[string]any{"status": ReportResolved, "resolved_at": now, "resolved_by": userID})
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("resolve report %d: %w", reportID, err)
	}
	return int(n), nil
}

// requireAdminHere is requireAdmin for the admin's own queues, where a
// non-admin is told no (ErrForbidden) rather than shown nothing.
func requireAdminHere(db *gorm.DB, userID uint) error {
	err := requireAdmin(db, userID)
	if errors.Is(err, ErrNotFound) {
		return ErrForbidden
	}
	return err
}
