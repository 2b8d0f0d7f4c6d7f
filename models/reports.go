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
	UserID  uint `gorm:"not null;uniqueIndex:idx_reports_target_v2,priority:1"`
	User    User `gorm:"constraint:OnDelete:CASCADE"`
	StoryID uint `gorm:"not null;uniqueIndex:idx_reports_target_v2,priority:2"`
	Story   Story
	// CommentID is the reported comment, or 0 when the story itself is reported.
	// (Not a nullable key: SQLite lets NULLs repeat in a unique index.)
	CommentID uint     `gorm:"not null;default:0;uniqueIndex:idx_reports_target_v2,priority:3"`
	Comment   *Comment `gorm:"-"`
	// ReplyID is the reported official reply of a company, or 0.
	ReplyID    uint          `gorm:"not null;default:0;uniqueIndex:idx_reports_target_v2,priority:4"`
	Reply      *CompanyReply `gorm:"-"`
	Reason     string        `gorm:"size:10;not null"`
	Status     string        `gorm:"size:10;not null;default:open;index:idx_reports_status_created,priority:1"`
	CreatedAt  time.Time     `gorm:"index:idx_reports_status_created,priority:2"`
	ResolvedAt *time.Time    `gorm:"index"`
	ResolvedBy *uint
	// MailState is MailNew until the moderators heard of the report.
	MailState int `gorm:"not null;default:0;index"`
}

// ReportTarget is what is reported: a comment when CommentID is set, a
// company's official reply when ReplyID is, else a story.
type ReportTarget struct {
	StoryID   uint
	CommentID uint
	ReplyID   uint
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
	r := &Report{UserID: userID, StoryID: t.StoryID, CommentID: t.CommentID, ReplyID: t.ReplyID, Reason: reason, Status: ReportOpen, MailState: MailNew}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if t.CommentID != 0 {
			var c Comment
			err := tx.Select("id", "story_id").Where("status = ? AND deleted = ?", CommentApproved, false).Take(&c, t.CommentID).Error
			if err != nil {
				return fmt.Errorf("comment %d: %w", t.CommentID, notFound(err))
			}
			r.StoryID = c.StoryID
		}
		if t.ReplyID != 0 {
			var cr CompanyReply
			if err := tx.Select("id", "story_id").Take(&cr, t.ReplyID).Error; err != nil {
				return fmt.Errorf("reply %d: %w", t.ReplyID, notFound(err))
			}
			r.StoryID = cr.StoryID
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
// story and comment or company reply (nil if it was removed since), for an
// admin (ErrForbidden for anyone else). At most eight queries.
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
	if err := attachComments(db, rs); err != nil {
		return nil, err
	}
	return rs, attachReplies(db, rs)
}

// attachComments gives the reports of comments their comment.
func attachComments(db *gorm.DB, rs []Report) error {
	return attach(db, rs, func(r *Report) *uint { return &r.CommentID },
		func(c *Comment) uint { return c.ID }, func(r *Report, c *Comment) { r.Comment = c })
}

// attachReplies gives the reports of official replies their reply, with
// its representative and company.
func attachReplies(db *gorm.DB, rs []Report) error {
	return attach(db.Preload("User", publicUser).Preload("Company"), rs, func(r *Report) *uint { return &r.ReplyID },
		func(c *CompanyReply) uint { return c.ID }, func(r *Report, c *CompanyReply) { r.Reply = c })
}

// attach loads, in one query, the rows of T the reports name by the id key
// gives (0: none), and hands each report its row (nil if it is gone).
func attach[T any](db *gorm.DB, rs []Report, key func(*Report) *uint, id func(*T) uint, set func(*Report, *T)) error {
	var ids []uint
	for i := range rs {
		if k := *key(&rs[i]); k != 0 {
			ids = append(ids, k)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []T
	if err := db.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return fmt.Errorf("reported %T: %w", rows, err)
	}
	byID := make(map[uint]*T, len(rows))
	for i := range rows {
		byID[id(&rows[i])] = &rows[i]
	}
	for i := range rs {
		set(&rs[i], byID[*key(&rs[i])])
	}
	return nil
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
		res := tx.Model(&Report{}).Where("story_id = ? AND comment_id = ? AND reply_id = ? AND status = ?", r.StoryID, r.CommentID, r.ReplyID, ReportOpen).
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
