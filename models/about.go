package models

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Limits of what an author says about themselves on their page.
const (
	MaxBioLen       = 600
	MaxProfileLinks = 3
	maxLinkLen      = 300
)

// LinkList is the user's links, in the order they gave them.
func (u *User) LinkList() []string {
	if u.Links == "" {
		return nil
	}
	return strings.Split(u.Links, "\n")
}

// UpdateAbout sets the plain-text bio and up to MaxProfileLinks http(s) links of
// userID, shown on their author page. Empty links are left out.
func (s *Store) UpdateAbout(ctx context.Context, userID uint, bio string, links []string) error {
	bio = strings.TrimSpace(strings.ReplaceAll(bio, "\r\n", "\n"))
	fields := map[string]string{}
	if n := utf8.RuneCountInString(bio); n > MaxBioLen {
		fields["bio"] = fmt.Sprintf("The bio is %d characters long; the limit is %d.", n, MaxBioLen)
	} else if msg := badText(bio); msg != "" {
		fields["bio"] = msg
	}
	var kept []string
	for _, l := range links {
		if l = strings.TrimSpace(l); l != "" {
			kept = append(kept, l)
		}
	}
	if msg := checkLinks(kept); msg != "" {
		fields["links"] = msg
	}
	if len(fields) > 0 {
		return &ValidationError{Fields: fields}
	}
	res := s.w.WithContext(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"bio": bio, "links": strings.Join(kept, "\n")})
	if res.Error != nil {
		return fmt.Errorf("about user %d: %w", userID, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// checkLinks returns a message unless links are at most MaxProfileLinks absolute
// http or https addresses.
func checkLinks(links []string) string {
	if len(links) > MaxProfileLinks {
		return fmt.Sprintf("At most %d links; there are %d.", MaxProfileLinks, len(links))
	}
	for _, l := range links {
		u, err := url.Parse(l)
		switch {
		case utf8.RuneCountInString(l) > maxLinkLen:
			return fmt.Sprintf("A link is longer than %d characters.", maxLinkLen)
		case lineProblem(l, false) != "":
			return "In the link " + l + ": " + lineProblem(l, false)
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil:
			return "“" + l + "” is not a web address: links start with https:// or http://."
		}
	}
	return ""
}
