package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Outbox statuses. A mail is queued until it is sent, logged (no SMTP
// server is configured) or failed (refused for good, or out of attempts).
const (
	MailQueued = "queued"
	MailSent   = "sent"
	MailLogged = "logged"
	MailFailed = "failed"
)

// Kinds of mail, for the outbox page and the per-address limits.
const (
	MailKindSignIn     = "signin"
	MailKindConfirm    = "confirm"
	MailKindReply      = "reply"
	MailKindComment    = "comment"
	MailKindFollow     = "follow"
	MailKindDigest     = "digest"
	MailKindModeration = "moderation"
)

// OutboxMail is a mail waiting to be sent, or sent. It is written in the
// same transaction as what caused it, and the sender only marks it, so that a
// crash or a restart loses nothing: what was not marked sent is sent again.
type OutboxMail struct {
	ID       uint   `gorm:"primaryKey"`
	To       string `gorm:"column:to_addr;size:254;not null;index:idx_outbox_to,priority:1"`
	Kind     string `gorm:"size:20;not null;index:idx_outbox_to,priority:2"`
	Subject  string `gorm:"size:300;not null"`
	Text     string `gorm:"not null"`
	HTML     string `gorm:"column:html;not null"`
	Status   string `gorm:"size:10;not null;index:idx_outbox_due,priority:1"`
	Attempts int    `gorm:"not null;default:0"`
	// Unsubscribe is the one-click unsubscribe URL of a notification (RFC 8058); empty for the others.
	Unsubscribe string    `gorm:"size:2000;not null;default:''"`
	NextAt      time.Time `gorm:"index:idx_outbox_due,priority:2"`
	LastError   string    `gorm:"size:500;not null;default:''"`
	CreatedAt   time.Time `gorm:"index:idx_outbox_to,priority:3;index:idx_outbox_created"`
	SentAt      *time.Time
}

// TableName keeps the table's name short and clear.
func (OutboxMail) TableName() string { return "outbox" }

// QueueMail adds a mail to the outbox, due now.
func (s *Store) QueueMail(ctx context.Context, m *OutboxMail) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.queueMail(tx, m) })
}

// queueMail adds a mail inside tx.
func (s *Store) queueMail(tx *gorm.DB, m *OutboxMail) error {
	m.ID, m.Status, m.Attempts = 0, MailQueued, 0
	m.CreatedAt = s.now()
	m.NextAt = m.CreatedAt
	m.To = strings.ToLower(strings.TrimSpace(m.To))
	if err := tx.Create(m).Error; err != nil {
		return fmt.Errorf("queue %s mail: %w", m.Kind, err)
	}
	return nil
}

// DueMail returns up to n queued mails whose time has come, oldest first.
func (s *Store) DueMail(ctx context.Context, n int) ([]OutboxMail, error) {
	var ms []OutboxMail
	err := s.r.WithContext(ctx).Where("status = ? AND next_at <= ?", MailQueued, s.now()).
		Order("next_at, id").Limit(n).Find(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("due mail: %w", err)
	}
	return ms, nil
}

// NextMailAt is when the next queued mail is due, or zero when none is queued.
func (s *Store) NextMailAt(ctx context.Context) (time.Time, error) {
	var m OutboxMail
	err := s.r.WithContext(ctx).Select("next_at").Where("status = ?", MailQueued).Order("next_at").Take(&m).Error
	if err = notFound(err); err == ErrNotFound {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, fmt.Errorf("next mail: %w", err)
	}
	return m.NextAt, nil
}

// ClaimMail takes mail id, read as due at seen, for sending until until. It
// says false when another sender (another instance of the site) took it
// first. A sender that dies mid-send leaves the mail due again at until.
func (s *Store) ClaimMail(ctx context.Context, id uint, seen, until time.Time) (bool, error) {
	res := s.w.WithContext(ctx).Model(&OutboxMail{}).Where("id = ? AND status = ? AND next_at = ?", id, MailQueued, seen.UTC()).
		Update("next_at", until.UTC())
	if res.Error != nil {
		return false, fmt.Errorf("claim mail %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// MarkMailDone records that mail id left: status is MailSent or MailLogged.
func (s *Store) MarkMailDone(ctx context.Context, id uint, status string) error {
	now := s.now()
	err := s.w.WithContext(ctx).Model(&OutboxMail{}).Where("id = ?", id).
		Updates(map[string]any{"status": status, "sent_at": now, "attempts": gorm.Expr("attempts + 1"), "last_error": ""}).Error
	if err != nil {
		return fmt.Errorf("mark mail %d %s: %w", id, status, err)
	}
	return nil
}

// MarkMailRetry records a failed attempt at mail id: it is tried again at
// next, or, when next is zero, never (MailFailed).
func (s *Store) MarkMailRetry(ctx context.Context, id uint, next time.Time, reason string) error {
	upd := map[string]any{"attempts": gorm.Expr("attempts + 1"), "last_error": truncate(reason, 400)}
	if next.IsZero() {
		upd["status"] = MailFailed
	} else {
		upd["next_at"] = next.UTC()
	}
	if err := s.w.WithContext(ctx).Model(&OutboxMail{}).Where("id = ?", id).Updates(upd).Error; err != nil {
		return fmt.Errorf("mark mail %d for retry: %w", id, err)
	}
	return nil
}

// RecentMails counts the mails of a kind queued to an address since t: the
// per-address limits of sign-in links and confirmations.
func (s *Store) RecentMails(ctx context.Context, to, kind string, since time.Time) (int64, error) {
	var n int64
	err := s.r.WithContext(ctx).Model(&OutboxMail{}).
		Where("to_addr = ? AND kind = ? AND created_at > ?", strings.ToLower(strings.TrimSpace(to)), kind, since.UTC()).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("recent mail: %w", err)
	}
	return n, nil
}

// PruneOutbox deletes the mails that left (or were given up) before t, so
// that the outbox does not keep every mail ever sent; queued ones stay.
func (s *Store) PruneOutbox(ctx context.Context, t time.Time) error {
	err := s.w.WithContext(ctx).Where("created_at < ? AND status <> ?", t.UTC(), MailQueued).Delete(&OutboxMail{}).Error
	if err != nil {
		return fmt.Errorf("prune outbox: %w", err)
	}
	return nil
}

// Outbox returns the n newest mails, for the admins' outbox page.
func (s *Store) Outbox(ctx context.Context, n int) ([]OutboxMail, error) {
	var ms []OutboxMail
	if err := s.r.WithContext(ctx).Order("id DESC").Limit(n).Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return ms, nil
}

// ErrTooManyMails is returned when an address was sent as many mails of a
// kind as it may be in a while (sign-in links, confirmations).
var ErrTooManyMails = errors.New("too many mails to this address")
