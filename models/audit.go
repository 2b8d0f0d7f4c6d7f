package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Audit actions: every decision on a notice and every moderation action.
const (
	AuditNoticeDecision = "notice.decision"
	AuditNoticeAppeal   = "notice.appeal"
	AuditAppealDecision = "notice.appeal-decision"
	AuditComment        = "comment." // + approve, hold, spam, trash
	AuditStoryApprove   = "story.approve"
	AuditStorySendBack  = "story.send-back"
	AuditUserRole       = "user.role"
	AuditCompanyClaim   = "company.claim" // a user became a representative by a claim link
)

// AuditEntry is one line of the audit log. The table is append-only: the
// store has no method that changes or deletes an entry, and triggers in
// the database refuse UPDATE and DELETE on it, so that not even a bug (or
// an admin with the database) can rewrite history quietly. The actor's
// name is copied, so that the line still reads right after the account is
// deleted.
type AuditEntry struct {
	ID        uint      `gorm:"primaryKey"`
	At        time.Time `gorm:"not null;index"`
	ActorID   *uint
	ActorName string `gorm:"size:100;not null;default:''"`
	Action    string `gorm:"size:40;not null"`
	Target    string `gorm:"size:200;not null;default:''"` // "story 12", "comment 40", "user 3", "notice 7"
	Detail    string `gorm:"size:2000;not null;default:''"`
}

// auditTriggers make the audit log append-only in SQLite.
var auditTriggers = []string{
	`CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries
	 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
	`CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries
	 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
}

// audit appends an entry in tx, so that the log holds exactly the actions
// that were committed.
func (s *Store) audit(tx *gorm.DB, actorID uint, action, target, detail string) error {
	e := AuditEntry{At: s.now(), Action: action, Target: target, Detail: truncate(detail, 2000)}
	if actorID != 0 {
		e.ActorID = &actorID
		var names []string
		if err := tx.Model(&User{}).Where("id = ?", actorID).Pluck("name", &names).Error; err != nil {
			return fmt.Errorf("audit actor: %w", err)
		}
		if len(names) > 0 {
			e.ActorName = names[0]
		}
	}
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// AuditPageSize is the number of entries /admin/audit shows at once.
const AuditPageSize = 100

// AuditLog returns up to AuditPageSize entries, newest first, older than
// the entry before (0: the newest).
func (s *Store) AuditLog(ctx context.Context, before uint) ([]AuditEntry, error) {
	q := s.r.WithContext(ctx).Order("id DESC").Limit(AuditPageSize)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var es []AuditEntry
	if err := q.Find(&es).Error; err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return es, nil
}

// idList names the targets of an action: "story 3", "comments 4, 5".
func idList(what string, ids []uint) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatUint(uint64(id), 10)
	}
	return what + " " + strings.Join(parts, ", ")
}
