package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// DashboardRecent is how many lines each "recent" list of the admin
// dashboard holds.
const DashboardRecent = 6

// Dashboard is what the admin dashboard shows beside the review queue:
// what waits for someone, and what happened last.
type Dashboard struct {
	HeldComments int64 // comments held for moderation
	OpenReports  int64 // readers' reports not yet resolved
	OpenNotices  int64 // notices waiting for a decision, appeals included
	Activity     []AuditEntry
	Stories      []Story   // the latest stories written, any status but drafts
	Comments     []Comment // the latest comments, with their story
}

// AdminDashboard counts what needs attention and lists recent activity,
// for an admin (ErrForbidden for anyone else). Six queries.
func (s *Store) AdminDashboard(ctx context.Context, userID uint) (Dashboard, error) {
	db := s.r.WithContext(ctx)
	if err := requireAdminHere(db, userID); err != nil {
		return Dashboard{}, err
	}
	var d Dashboard
	counts := []struct {
		n     *int64
		model any
		where string
		args  []any
	}{
		{&d.HeldComments, &Comment{}, "status = ? AND deleted = ?", []any{CommentPending, false}},
		{&d.OpenReports, &Report{}, "status = ?", []any{ReportOpen}},
		{&d.OpenNotices, &Notice{}, "state IN ?", []any{[]string{NoticeOpen, NoticeAppealed}}},
	}
	for _, c := range counts {
		if err := db.Model(c.model).Where(c.where, c.args...).Count(c.n).Error; err != nil {
			return Dashboard{}, fmt.Errorf("dashboard count: %w", err)
		}
	}
	if err := db.Order("id DESC").Limit(DashboardRecent).Find(&d.Activity).Error; err != nil {
		return Dashboard{}, fmt.Errorf("dashboard activity: %w", err)
	}
	err := db.Select("id", "title", "slug", "status", "author_id", "updated_at").
		Preload("Author", func(db *gorm.DB) *gorm.DB { return db.Select("id", "handle", "name") }).
		Where("status <> ?", StatusDraft).Order("updated_at DESC, id DESC").Limit(DashboardRecent).Find(&d.Stories).Error
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard stories: %w", err)
	}
	err = db.Omit("author_email", "ip", "guest_key", "body", "html").Where("deleted = ?", false).
		Preload("Story", func(db *gorm.DB) *gorm.DB { return db.Select("id", "title", "slug") }).
		Order("created_at DESC, id DESC").Limit(DashboardRecent).Find(&d.Comments).Error
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard comments: %w", err)
	}
	return d, nil
}
