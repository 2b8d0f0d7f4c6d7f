package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Limits on what a guest gives with a comment.
const (
	MaxNameLen  = 100
	MaxEmailLen = 254
	MaxURLLen   = 2000
)

// Poster is who posts a comment: a signed-in user, or a guest known by IP.
type Poster struct {
	UserID *uint // nil: a guest
	IP     string
	// GuestToken (from NewGuestToken, kept in the guest's browser) lets a
	// guest see their own held comments; empty: they will not see them.
	GuestToken string
}

// CommentPost is a comment as sent by the form, with the rules to apply.
type CommentPost struct {
	StoryID  uint
	ParentID *uint
	Poster   Poster
	// Name, Email and URL are a guest's; a signed-in user's are ignored.
	Name, Email, URL string
	Body             string
	Rules            ModerationRules
	// Notify asks for replies by email.
	Notify bool
}

// PostComment validates a comment and saves it, approved or held for
// moderation by the rules, and reports whether it was held. It fails with a
// *ValidationError (fields body, name, email, url, parent), ErrNotFound for
// an unknown or unpublished story, ErrCommentsClosed, or a *TooSoonError
// (ErrTooSoon) when the same person commented less than FloodInterval ago.
func (s *Store) PostComment(ctx context.Context, in CommentPost) (*Comment, bool, error) {
	if err := in.normalize(); err != nil {
		return nil, false, err
	}
	if in.Poster.UserID == nil && in.Poster.IP == "" {
		return nil, false, errors.New("post comment: a guest comment needs the poster's IP")
	}
	html, err := RenderComment(in.Body)
	if err != nil {
		return nil, false, fmt.Errorf("render comment: %w", err)
	}
	c := &Comment{StoryID: in.StoryID, Body: in.Body, HTML: html, IP: in.Poster.IP, Notify: in.Notify, MailState: MailNew}
	if in.Poster.UserID == nil {
		c.AuthorName, c.AuthorEmail, c.AuthorURL = in.Name, in.Email, in.URL
		c.GuestKey = guestKey(in.Poster.GuestToken)
	}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The clock is read inside the transaction, which is serialised:
		// two posts by one person cannot both pass the flood check.
		c.CreatedAt = s.now()
		st, err := openStory(tx, in.StoryID)
		if err != nil {
			return err
		}
		if wait, err := floodWait(tx, in.Poster, c.CreatedAt); err != nil {
			return err
		} else if wait > 0 {
			return &TooSoonError{Wait: wait}
		}
		var parent *Comment
		if in.ParentID != nil {
			p, err := loadParent(tx, in.StoryID, *in.ParentID)
			if errors.Is(err, ErrNotFound) || err == nil && (p.Status != CommentApproved || p.Deleted) {
				return &ValidationError{Fields: map[string]string{"parent": "The comment you are replying to is not on this story."}}
			} else if err != nil {
				return err
			}
			parent = p
		}
		if c.Status, err = decideStatus(tx, c, st, in.Poster.UserID, in.Rules); err != nil {
			return err
		}
		return insertComment(tx, c, parent)
	})
	if err != nil {
		return nil, false, fmt.Errorf("post comment on story %d: %w", in.StoryID, err)
	}
	return c, c.Status != CommentApproved, nil
}

// openStory returns the published story id if it takes comments.
func openStory(tx *gorm.DB, id uint) (*Story, error) {
	var st Story
	err := tx.Select("id", "author_id", "status", "comments_closed").Take(&st, id).Error
	if err == nil && st.Status != StatusPublished {
		err = ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("story %d: %w", id, notFound(err))
	}
	if st.CommentsClosed {
		return nil, ErrCommentsClosed
	}
	return &st, nil
}

// decideStatus fills in a signed-in writer and applies the moderation rules:
// the story's author and admins are approved; others are held by too many
// links or a hold word; a guest is also held unless their email already has
// an approved comment (WordPress's rule).
func decideStatus(tx *gorm.DB, c *Comment, st *Story, userID *uint, rules ModerationRules) (string, error) {
	if userID != nil {
		var u User
		if err := tx.Select("id", "name", "role").Take(&u, *userID).Error; err != nil {
			return "", fmt.Errorf("user %d: %w", *userID, notFound(err))
		}
		c.UserID, c.AuthorName = &u.ID, u.Name
		if u.Role == RoleAdmin || u.ID == st.AuthorID {
			return CommentApproved, nil
		}
	}
	if rules.holds(c) {
		return CommentPending, nil
	}
	if userID != nil {
		return CommentApproved, nil
	}
	var known []uint
	err := tx.Model(&Comment{}).Where("author_email = ? AND status = ?", c.AuthorEmail, CommentApproved).
		Limit(1).Pluck("id", &known).Error
	if err != nil {
		return "", fmt.Errorf("approved comments of the email: %w", err)
	}
	if len(known) == 0 {
		return CommentPending, nil
	}
	return CommentApproved, nil
}

// normalize trims the fields and checks them, with a message per bad field.
func (in *CommentPost) normalize() error {
	fields := map[string]string{}
	in.Body = strings.TrimSpace(in.Body)
	if msg := checkBody(in.Body); msg != "" {
		fields["body"] = msg
	}
	if in.Poster.UserID == nil {
		in.Name = strings.TrimSpace(in.Name)
		in.Email = strings.ToLower(strings.TrimSpace(in.Email))
		in.URL = strings.TrimSpace(in.URL)
		if msg := checkName(in.Name); msg != "" {
			fields["name"] = msg
		}
		if msg := checkEmail(in.Email); msg != "" {
			fields["email"] = msg
		}
		var msg string
		if in.URL, msg = checkURL(in.URL); msg != "" {
			fields["url"] = msg
		}
	}
	if len(fields) > 0 {
		return &ValidationError{Fields: fields}
	}
	return nil
}

// checkBody returns a message when a trimmed comment body is unacceptable.
func checkBody(body string) string {
	if msg := badText(body); msg != "" {
		return msg
	}
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		return "The comment is empty."
	case n > MaxCommentLen:
		return fmt.Sprintf("The comment is %d characters long; the limit is %d.", n, MaxCommentLen)
	}
	return CheckMarkdown(body)
}

func checkName(name string) string {
	if msg := badText(name); msg != "" {
		return msg
	}
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "Please give a name."
	case n > MaxNameLen:
		return fmt.Sprintf("The name is %d characters long; the limit is %d.", n, MaxNameLen)
	}
	return ""
}

func checkEmail(email string) string {
	if msg := badText(email); msg != "" {
		return msg
	}
	switch {
	case email == "":
		return "Please give an email address (it is never shown)."
	case utf8.RuneCountInString(email) > MaxEmailLen:
		return fmt.Sprintf("The email address is %d characters long; the limit is %d.", utf8.RuneCountInString(email), MaxEmailLen)
	}
	a, err := mail.ParseAddress(email)
	at := strings.LastIndexByte(email, '@')
	if err != nil || a.Address != email || at < 1 || !strings.Contains(email[at:], ".") {
		return "This does not look like an email address."
	}
	return ""
}

// checkURL returns the website to store (with https:// added when there is
// no scheme) or a message.
func checkURL(raw string) (string, string) {
	if raw == "" {
		return "", ""
	}
	if msg := badText(raw); msg != "" {
		return raw, msg
	}
	if n := utf8.RuneCountInString(raw); n > MaxURLLen {
		return raw, fmt.Sprintf("The website address is %d characters long; the limit is %d.", n, MaxURLLen)
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !hostName(u.Hostname()) || strings.ContainsAny(raw, " <>\"") {
		return raw, "The website must be an http:// or https:// address."
	}
	return raw, ""
}

// hostName says whether h can be the host of a website: letters (of any
// script), digits, dots and hyphens, or an IP address. "jav&#x09;ascript:"
// typed without a scheme becomes the host "jav&", which is none.
func hostName(h string) bool {
	if h == "" {
		return false
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	for _, r := range h {
		if r != '.' && r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
