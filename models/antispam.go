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

// floodWait returns how long the poster of a post of a group must still
// wait before commenting, from their latest comment, the group's own that
// are not inserted yet included; zero when they may comment now. A
// signed-in poster's was read (and locked) with the group; a guest's is
// read here, after the guest's lock.
func (s *Store) floodWait(tx *gorm.DB, p Poster, now time.Time, rows *groupRows) (time.Duration, error) {
	if p.UserID != nil {
		return floodLeft(rows.lastSeen[*p.UserID], now), nil
	}
	if err := s.d.lockGuest(tx, p.IP, now); err != nil {
		return 0, err
	}
	last, err := latestGuestComment(tx, p.IP, now)
	if err != nil {
		return 0, err
	}
	for _, c := range rows.accepted {
		if c.UserID == nil && sameGuest(c.IP, p.IP) && c.CreatedAt.After(last) {
			last = c.CreatedAt
		}
	}
	return floodLeft(last, now), nil
}

// latestGuestComment returns when the guest at ip last commented (the
// zero time: not in the last FloodInterval, for an IPv6 network).
func latestGuestComment(tx *gorm.DB, ip string, now time.Time) (time.Time, error) {
	if key := AddressKey(ip); key != ip {
		return guestNetworkLatest(tx, key, now)
	}
	var last []time.Time
	err := tx.Model(&Comment{}).Where("user_id IS NULL AND ip = ?", ip).Order("created_at DESC").Limit(1).Pluck("created_at", &last).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("latest comment: %w", err)
	}
	if len(last) == 0 {
		return time.Time{}, nil
	}
	return last[0], nil
}

// sameGuest says whether a guest comment from address a counts for the
// flood rule of a guest at ip, as latestGuestComment finds them: the same
// address, or the same IPv6 network.
func sameGuest(a, ip string) bool {
	if key := AddressKey(ip); key != ip {
		return AddressKey(a) == key
	}
	return a == ip
}

// floodLeft is how long someone whose latest comment was at last must still
// wait, in whole seconds rounded up.
func floodLeft(last, now time.Time) time.Duration {
	if wait := last.Add(FloodInterval).Sub(now); wait > 0 {
		return (wait + time.Second - 1).Truncate(time.Second)
	}
	return 0
}

// guestNetworkLatest is latestGuestComment for a guest known by an IPv6
// network: their addresses in it do not share a text prefix, so the guest
// comments of the last FloodInterval (a handful) are compared here.
func guestNetworkLatest(tx *gorm.DB, key string, now time.Time) (time.Time, error) {
	var recent []Comment
	err := tx.Select("ip", "created_at").Where("user_id IS NULL AND created_at > ?", now.Add(-FloodInterval)).
		Order("created_at DESC").Find(&recent).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("recent guest comments: %w", err)
	}
	for _, c := range recent {
		if AddressKey(c.IP) == key {
			return c.CreatedAt, nil
		}
	}
	return time.Time{}, nil
}
