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
	p, err := preparePost(ctx, in)
	if err != nil {
		return nil, false, err
	}
	if err := s.commitPost(p); err != nil {
		return nil, false, fmt.Errorf("post comment on story %d: %w", in.StoryID, err)
	}
	return p.c, p.c.Status != CommentApproved, nil
}

// preparePost checks and renders what can be without the database, before
// the post waits for the writer.
func preparePost(ctx context.Context, in CommentPost) (*pendingPost, error) {
	pub, err := in.normalize()
	if err != nil {
		return nil, err
	}
	if in.Poster.UserID == nil && in.Poster.IP == "" {
		return nil, errors.New("post comment: a guest comment needs the poster's IP")
	}
	c := &Comment{StoryID: in.StoryID, IP: in.Poster.IP, Notify: in.Notify, MailState: MailNew}
	pub.set(c, in.Body)
	if in.Poster.UserID == nil {
		c.AuthorName, c.AuthorEmail, c.AuthorURL = in.Name, in.Email, in.URL
		c.GuestKey = guestKey(in.Poster.GuestToken)
	}
	return &pendingPost{ctx: ctx, in: &in, c: c, done: make(chan error, 1), leader: make(chan struct{})}, nil
}

// checkPost applies the rules to in in tx (a group's transaction, see
// commitPost), filling in c, and returns the comment it answers. It only
// reads, but for a guest's flood-lock row on PostgreSQL (a rate-limit row
// no page shows): a refusal leaves the transaction as it was otherwise.
func (s *Store) checkPost(tx *gorm.DB, in *CommentPost, c *Comment, rows *groupRows) (*Comment, error) {
	// The clock is read inside the transaction, which is serialised
	// (per poster on PostgreSQL, by lockUsers and lockGuest): two posts by
	// one person cannot both pass the flood check.
	c.CreatedAt = s.now()
	st, err := rows.openStory(in.StoryID)
	if err != nil {
		return nil, err
	}
	var u *User
	if in.Poster.UserID != nil {
		if u = rows.users[*in.Poster.UserID]; u == nil {
			return nil, fmt.Errorf("user %d: %w", *in.Poster.UserID, ErrNotFound)
		}
	}
	if wait, err := s.floodWait(tx, in.Poster, c.CreatedAt, rows); err != nil {
		return nil, err
	} else if wait > 0 {
		return nil, &TooSoonError{Wait: wait}
	}
	var parent *Comment
	if in.ParentID != nil {
		p, err := loadParent(tx, in.StoryID, *in.ParentID)
		if errors.Is(err, ErrNotFound) || err == nil && (p.Status != CommentApproved || p.Deleted) {
			return nil, &ValidationError{Fields: map[string]string{"parent": "The comment you are replying to is not on this story."}}
		} else if err != nil {
			return nil, err
		}
		parent = p
	}
	c.Status, err = decideStatus(tx, c, st, u, in.Rules)
	return parent, err
}

// decideStatus fills in a signed-in writer u (nil: a guest) and applies the
// moderation rules: the story's author and admins are approved; others are
// held by too many links or a hold word; a guest is also held unless a guest
// comment with the same name and email was approved before (WordPress's
// rule: the email alone would let anyone who knows a regular's address post
// under any name).
func decideStatus(tx *gorm.DB, c *Comment, st *Story, u *User, rules ModerationRules) (string, error) {
	if u != nil {
		id := u.ID
		c.UserID, c.AuthorName = &id, u.Name
		if u.Role == RoleAdmin || u.ID == st.AuthorID {
			return CommentApproved, nil
		}
	}
	if rules.holds(c) {
		return CommentPending, nil
	}
	if u != nil {
		return CommentApproved, nil
	}
	known, err := knownGuest(tx, c.AuthorName, c.AuthorEmail)
	if err != nil || !known {
		return CommentPending, err
	}
	return CommentApproved, nil
}

// knownGuest reports whether a guest comment by name and email was approved
// before. Emails compare without case; names without case and with runs of
// spaces counted as one, so that "Ann  Lee" is still "ann lee", but "Ann"
// is not "Ann Lee".
func knownGuest(tx *gorm.DB, name, email string) (bool, error) {
	var names []string
	if err := guestNames(tx, email, &names).Error; err != nil {
		return false, fmt.Errorf("approved comments of the email: %w", err)
	}
	want := sameName(name)
	for _, n := range names {
		if sameName(n) == want {
			return true, nil
		}
	}
	return false, nil
}

// guestNames reads the names of the approved guest comments of email into
// names, through idx_comments_guest_email.
func guestNames(tx *gorm.DB, email string, names *[]string) *gorm.DB {
	return tx.Model(&Comment{}).Distinct("author_name").
		Where("lower(author_email) = ? AND user_id IS NULL AND status = ?", strings.ToLower(email), CommentApproved).
		Limit(100).Pluck("author_name", names)
}

// sameName is name as compared for a returning guest: case folded, spaces
// trimmed and collapsed.
func sameName(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// normalize trims the fields and checks them, with a message per bad field,
// and returns the body's published text.
func (in *CommentPost) normalize() (published, error) {
	fields := map[string]string{}
	in.Body = strings.TrimSpace(in.Body)
	pub, msg, err := publishBody(in.Body)
	if err != nil {
		return pub, err
	}
	if msg != "" {
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
		return pub, &ValidationError{Fields: fields}
	}
	return pub, nil
}

// checkBody returns a message when a trimmed comment body is unacceptable.
func checkBody(body string) string {
	_, msg, _ := publishBody(body) // a failed render is its caller's error
	return msg
}

// publishBody checks a trimmed comment body and renders it: a message when
// it is unacceptable, else its published text (made once, for the check
// and the save).
func publishBody(body string) (published, string, error) {
	if msg := badText(body); msg != "" {
		return published{}, msg, nil
	}
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		return published{}, "The comment is empty.", nil
	case n > MaxCommentLen:
		return published{}, tooLong("The comment is", n, MaxCommentLen), nil
	}
	if msg := CheckMarkdown(body); msg != "" {
		return published{}, msg, nil
	}
	// Only once the shape is known to render fast: "---" or "* " alone show nothing.
	pub, err := publish(body)
	if err == nil && Blank(pub.HTML) {
		return published{}, "The comment is empty: write something a reader can see.", nil
	}
	return pub, "", err
}

func checkName(name string) string {
	if msg := lineProblem(name, false); msg != "" {
		return msg
	}
	if reservedName(name) {
		return reservedNameMessage
	}
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "Please give a name."
	case n > MaxNameLen:
		return tooLong("The name is", n, MaxNameLen)
	}
	return ""
}

func checkEmail(email string) string {
	if msg := lineProblem(email, false); msg != "" {
		return msg
	}
	switch {
	case email == "":
		return "Please give an email address (it is never shown)."
	case utf8.RuneCountInString(email) > MaxEmailLen:
		return tooLong("The email address is", utf8.RuneCountInString(email), MaxEmailLen)
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
	if msg := lineProblem(raw, false); msg != "" {
		return raw, msg
	}
	if n := utf8.RuneCountInString(raw); n > MaxURLLen {
		return raw, tooLong("The website address is", n, MaxURLLen)
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
