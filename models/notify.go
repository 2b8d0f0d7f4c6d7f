package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Mail states of comments, stories and reports. A write that others must
// hear of sets MailNew in its own transaction; the background notifier
// turns it into outbox rows and moves the state on in one transaction, so
// that nothing is announced twice and nothing is lost to a crash.
const (
	MailDone = 0
	MailNew  = 1
	// MailHeld: the moderators heard of a held comment; its readers will
	// when it is approved.
	MailHeld = 2
)

// Unsubscribe kinds: what one click of a mail's unsubscribe link ends.
const (
	UnsubFollow     = "f" // the follow of that id
	UnsubReplies    = "r" // replies to the comment of that id
	UnsubComments   = "a" // a story author's mails of new comments (user id)
	UnsubModeration = "m" // a moderator's mails of held comments and reports (user id)
)

// Recipient is one address a notification goes to, why, and what its
// unsubscribe link ends.
type Recipient struct {
	Email     string
	Kind      string // MailKindReply, MailKindComment, MailKindFollow or MailKindModeration
	UnsubKind string
	UnsubID   uint
	Digest    bool   // a follower who asked for a daily digest
	FollowID  uint   // the follow, for a follower
	Label     string // what is followed, for a follower
}

// News is one comment, story or report the notifier announces.
type News struct {
	Table    string // comments, stories or reports
	ID       uint
	From, To int // the mail state it moves from and to
	Comment  *Comment
	Story    Story
	Report   *Report
	// Reply is a company's official reply or, with FollowUp, the
	// follow-up added under it: the story's author hears of either.
	Reply      *CompanyReply
	FollowUp   *CompanyFollowUp
	Recipients []Recipient
}

// recipients collects addresses once each, skipping the excluded ones.
type recipients struct {
	list []Recipient
	seen map[string]bool
}

func newRecipients(exclude ...string) *recipients {
	r := &recipients{seen: map[string]bool{}}
	for _, e := range exclude {
		r.seen[strings.ToLower(e)] = true
	}
	return r
}

func (r *recipients) add(rc Recipient) {
	rc.Email = strings.ToLower(strings.TrimSpace(rc.Email))
	if rc.Email == "" || r.seen[rc.Email] {
		return
	}
	r.seen[rc.Email] = true
	r.list = append(r.list, rc)
}

// PendingNews returns up to n comments, stories and reports whose mails are
// still to be written, and the errors of those it could not read.
func (s *Store) PendingNews(ctx context.Context, n int) ([]News, error) {
	var out []News
	var ids []uint
	db := s.r.WithContext(ctx)
	err := db.Model(&Comment{}).Where("mail_state = ? OR (mail_state = ? AND status = ?)", MailNew, MailHeld, CommentApproved).
		Order("id").Limit(n).Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("pending comment mail: %w", err)
	}
	// One item that cannot be read must not hold up the others: it is
	// skipped, reported, and tried again at the next run.
	var errs []error
	for _, id := range ids {
		nw, err := s.commentNews(ctx, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, nw)
	}
	for _, q := range []struct {
		table string
		load  func(context.Context, uint) (News, error)
		where string
	}{
		{"stories", s.storyNews, "mail_state = 1 AND status = 'published'"},
		{"reports", s.reportNews, "mail_state = 1"},
		{"company_replies", s.replyNews, "mail_state = 1"},
		{"company_follow_ups", s.followUpNews, "mail_state = 1"},
	} {
		ids = nil
		if err := db.Table(q.table).Where(q.where).Order("id").Limit(n).Pluck("id", &ids).Error; err != nil {
			return nil, fmt.Errorf("pending %s mail: %w", q.table, err)
		}
		for _, id := range ids {
			nw, err := q.load(ctx, id)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, nw)
		}
	}
	return out, errors.Join(errs...)
}

// commentNews finds who hears of comment id: when held, the moderators;
// when approved, the writer of the comment it answers (if they asked), the
// story's author and the story's followers.
func (s *Store) commentNews(ctx context.Context, id uint) (News, error) {
	db := s.r.WithContext(ctx)
	var c Comment
	if err := db.Preload("User").Take(&c, id).Error; err != nil {
		return News{}, fmt.Errorf("comment %d: %w", id, notFound(err))
	}
	nw := News{Table: "comments", ID: id, From: c.MailState, To: MailDone, Comment: &c}
	if err := db.Preload("Author").Take(&nw.Story, c.StoryID).Error; err != nil {
		return News{}, fmt.Errorf("story %d: %w", c.StoryID, err)
	}
	self := c.AuthorEmail
	if c.User != nil && c.User.EmailVerified {
		self = c.User.Email
	}
	r := newRecipients(self)
	var err error
	switch {
	case c.Status == CommentPending && c.MailState == MailNew:
		nw.To = MailHeld
		err = s.addModerators(ctx, r, &nw.Story)
	case c.Status == CommentApproved:
		err = s.addCommentReaders(ctx, r, &c, &nw.Story)
	}
	nw.Recipients = r.list
	return nw, err
}

func (s *Store) addCommentReaders(ctx context.Context, r *recipients, c *Comment, st *Story) error {
	db := s.r.WithContext(ctx)
	if c.ParentID != nil {
		var p Comment
		if err := db.Preload("User").Take(&p, *c.ParentID).Error; err == nil && p.Notify && !p.Deleted {
			if email := s.replyAddress(ctx, &p); email != "" {
				r.add(Recipient{Email: email, Kind: MailKindReply, UnsubKind: UnsubReplies, UnsubID: p.ID})
			}
		}
	}
	if a := st.Author; a.EmailVerified && !a.MuteCommentMail && (c.UserID == nil || *c.UserID != a.ID) {
		r.add(Recipient{Email: a.Email, Kind: MailKindComment, UnsubKind: UnsubComments, UnsubID: a.ID})
	}
	return s.addFollowers(ctx, r, c.CreatedAt, "kind = ? AND target_id = ?", FollowStory, st.ID)
}

// replyAddress is where replies to p go: its writer's verified address, or a
// guest's address once confirmed; "" when neither.
func (s *Store) replyAddress(ctx context.Context, p *Comment) string {
	if p.User != nil {
		if p.User.EmailVerified {
			return p.User.Email
		}
		return ""
	}
	if ok, err := s.AddressConfirmed(ctx, p.AuthorEmail); err == nil && ok {
		return p.AuthorEmail
	}
	return ""
}

// addModerators adds the admins and the story's author who did not mute moderation mail.
func (s *Store) addModerators(ctx context.Context, r *recipients, st *Story) error {
	var us []User
	err := s.r.WithContext(ctx).Where("(role = ? OR id = ?) AND email_verified AND email <> '' AND NOT mute_moderation_mail", RoleAdmin, st.AuthorID).
		Order("id").Find(&us).Error
	if err != nil {
		return fmt.Errorf("moderators: %w", err)
	}
	for _, u := range us {
		r.add(Recipient{Email: u.Email, Kind: MailKindModeration, UnsubKind: UnsubModeration, UnsubID: u.ID})
	}
	return nil
}

// addFollowers adds the follows matching where that were confirmed by the
// time of the item (what came before is not theirs to hear of).
func (s *Store) addFollowers(ctx context.Context, r *recipients, at time.Time, where string, args ...any) error {
	var fs []Follow
	err := s.r.WithContext(ctx).Where("confirmed AND confirmed_at < ?", at).Where(where, args...).Order("id").Find(&fs).Error
	if err != nil {
		return fmt.Errorf("followers: %w", err)
	}
	for _, f := range fs {
		r.add(Recipient{Email: f.Email, Kind: MailKindFollow, UnsubKind: UnsubFollow, UnsubID: f.ID, Digest: f.Digest, FollowID: f.ID, Label: f.Label})
	}
	return nil
}

// storyNews finds the followers of the site and of the story's author,
// categories, tags and company.
func (s *Store) storyNews(ctx context.Context, id uint) (News, error) {
	nw := News{Table: "stories", ID: id, From: MailNew, To: MailDone}
	db := s.r.WithContext(ctx)
	if err := db.Preload("Author").Preload("Categories").Preload("Tags").Take(&nw.Story, id).Error; err != nil {
		return News{}, fmt.Errorf("story %d: %w", id, notFound(err))
	}
	st := &nw.Story
	r := newRecipients(st.Author.Email)
	conds := [][]any{{"kind = ?", FollowSite}, {"kind = ? AND target_id = ?", FollowAuthor, st.AuthorID}}
	for _, c := range st.Categories {
		conds = append(conds, []any{"kind = ? AND target_id = ?", FollowCategory, c.ID})
	}
	for _, t := range st.Tags {
		conds = append(conds, []any{"kind = ? AND target_id = ?", FollowTag, t.ID})
	}
	if st.CompanyID != nil {
		conds = append(conds, []any{"kind = ? AND target_id = ?", FollowCompany, *st.CompanyID})
	}
	for _, c := range conds {
		if err := s.addFollowers(ctx, r, *st.PublishedAt, c[0].(string), c[1:]...); err != nil {
			return News{}, err
		}
	}
	nw.Recipients = r.list
	return nw, nil
}

// reportNews tells the moderators of a new report.
func (s *Store) reportNews(ctx context.Context, id uint) (News, error) {
	nw := News{Table: "reports", ID: id, From: MailNew, To: MailDone, Report: &Report{}}
	db := s.r.WithContext(ctx)
	if err := db.Take(nw.Report, id).Error; err != nil {
		return News{}, fmt.Errorf("report %d: %w", id, notFound(err))
	}
	if err := db.Take(&nw.Story, nw.Report.StoryID).Error; err != nil {
		return News{}, fmt.Errorf("story %d: %w", nw.Report.StoryID, notFound(err))
	}
	r := newRecipients()
	err := s.addModerators(ctx, r, &nw.Story)
	nw.Recipients = r.list
	return nw, err
}

// DeliverNews queues the mails of nw and the digest items of its digest
// followers, and moves its mail state on, in one transaction. When another
// run moved the state first, nothing is queued.
func (s *Store) DeliverNews(ctx context.Context, nw News, mails []OutboxMail, items []DigestItem) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Table(nw.Table).Where("id = ? AND mail_state = ?", nw.ID, nw.From).Update("mail_state", nw.To)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		for i := range mails {
			if err := s.queueMail(tx, &mails[i]); err != nil {
				return err
			}
		}
		for i := range items {
			items[i].ID, items[i].CreatedAt = 0, s.now()
			if err := tx.Omit("Follow").Create(&items[i]).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("deliver %s %d: %w", nw.Table, nw.ID, err)
	}
	return nil
}
