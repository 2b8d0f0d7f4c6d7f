package models

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Anti-spam limits.
const (
	// FloodInterval is the least time between two comments of one person.
	FloodInterval = 15 * time.Second
	// MinFormTime is the least time between showing a comment form and posting it.
	MinFormTime = 2 * time.Second
	// DefaultMaxLinks is the number of links a comment may hold before it is held.
	DefaultMaxLinks = 2
)

// CheckFormTiming returns ErrFormTooFast when a form rendered at renderedAt
// is posted at now less than MinFormTime later. The handler must take
// renderedAt from a value it signed, or a bot can simply backdate it.
func CheckFormTiming(renderedAt, now time.Time) error {
	if now.Sub(renderedAt) < MinFormTime {
		return ErrFormTooFast
	}
	return nil
}

// ModerationRules are the site's rules for holding comments.
type ModerationRules struct {
	// HoldWords hold a comment whose body, name, email, website or IP
	// contains one of them, case-insensitively.
	HoldWords []string
	// MaxLinks is the number of links a comment may hold; more holds it.
	// Zero means DefaultMaxLinks.
	MaxLinks int
}

// holds reports whether c, rendered, trips a rule.
func (r ModerationRules) holds(c *Comment) bool {
	max := r.MaxLinks
	if max <= 0 {
		max = DefaultMaxLinks
	}
	if strings.Count(c.HTML, "<a ") > max {
		return true
	}
	hay := strings.ToLower(strings.Join([]string{c.Body, c.AuthorName, c.AuthorEmail, c.AuthorURL, c.IP}, "\n"))
	for _, w := range r.HoldWords {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" && strings.Contains(hay, w) {
			return true
		}
	}
	return false
}

// NewGuestToken returns a random token for a guest's browser (a cookie):
// given back in CommentPost and Viewer, it lets the guest see their held comments.
func NewGuestToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b)
}

// guestKey is what is stored of a guest token: its hash, so that the table
// holds nothing a visitor could replay. Too short a token gives no key.
func guestKey(token string) string {
	if len(token) < 16 {
		return ""
	}
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// badText returns a message when s is not valid UTF-8 or holds control
// characters (other than tab and newlines) or bidirectional overrides,
// which can disguise what a text says.
func badText(s string) string {
	if !utf8.ValidString(s) {
		return "This is not valid text (invalid UTF-8)."
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
		case unicode.IsControl(r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return "This contains invisible control characters; please remove them."
		}
	}
	return ""
}

// floodWait returns how long the poster must still wait before commenting,
// from their latest comment; zero when they may comment now.
func floodWait(tx *gorm.DB, p Poster, now time.Time) (time.Duration, error) {
	q := tx.Model(&Comment{})
	if p.UserID != nil {
		q = q.Where("user_id = ?", *p.UserID)
	} else {
		q = q.Where("user_id IS NULL AND ip = ?", p.IP)
	}
	var last []time.Time
	if err := q.Order("created_at DESC").Limit(1).Pluck("created_at", &last).Error; err != nil {
		return 0, fmt.Errorf("latest comment: %w", err)
	}
	if len(last) == 0 {
		return 0, nil
	}
	if wait := last[0].Add(FloodInterval).Sub(now); wait > 0 {
		return (wait + time.Second - 1).Truncate(time.Second), nil // whole seconds, rounded up
	}
	return 0, nil
}
