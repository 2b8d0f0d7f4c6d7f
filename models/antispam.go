package models

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"time"

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

// AddressKey is what per-address rules count as one client: an IPv4
// address, or the /64 network of an IPv6 one (the least an ISP gives one
// home or phone, so that one machine has 2^64 addresses to rotate through).
// Anything else (a test's "pipe", an unparsable value) is its own key.
func AddressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	if a = a.Unmap(); a.Is4() {
		return a.String()
	}
	p, _ := a.WithZone("").Prefix(64) // never fails for an IPv6 address
	return p.String()
}

// floodWait returns how long the poster must still wait before commenting,
// from their latest comment; zero when they may comment now.
func floodWait(tx *gorm.DB, p Poster, now time.Time) (time.Duration, error) {
	q := tx.Model(&Comment{})
	if p.UserID != nil {
		q = q.Where("user_id = ?", *p.UserID)
	} else if key := AddressKey(p.IP); key != p.IP {
		return guestNetworkFloodWait(tx, key, now)
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
	return floodLeft(last[0], now), nil
}

// floodLeft is how long someone whose latest comment was at last must still
// wait, in whole seconds rounded up.
func floodLeft(last, now time.Time) time.Duration {
	if wait := last.Add(FloodInterval).Sub(now); wait > 0 {
		return (wait + time.Second - 1).Truncate(time.Second)
	}
	return 0
}

// guestNetworkFloodWait is floodWait for a guest known by an IPv6 network:
// their addresses in it do not share a text prefix, so the guest comments
// of the last FloodInterval (a handful) are compared here.
func guestNetworkFloodWait(tx *gorm.DB, key string, now time.Time) (time.Duration, error) {
	var recent []Comment
	err := tx.Select("ip", "created_at").Where("user_id IS NULL AND created_at > ?", now.Add(-FloodInterval)).
		Order("created_at DESC").Find(&recent).Error
	if err != nil {
		return 0, fmt.Errorf("recent guest comments: %w", err)
	}
	for _, c := range recent {
		if AddressKey(c.IP) == key {
			return floodLeft(c.CreatedAt, now), nil
		}
	}
	return 0, nil
}
