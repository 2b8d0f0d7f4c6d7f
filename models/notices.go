package models

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Notice reasons: why a notifier says content is illegal.
const (
	NoticeDefamation   = "defamation"
	NoticePersonalData = "personal-data"
	NoticeCounterfeit  = "counterfeit"
	NoticeHate         = "hate"
	// NoticeChildAbuse is the one reason for which a notifier may stay
	// anonymous: the DSA (art. 16(2)(c)) lets notices about the offences of
	// Directive 2011/93/EU (child sexual abuse) omit the name and email.
	NoticeChildAbuse = "child-abuse"
	NoticeOther      = "other"
)

// NoticeReasons are the reasons in the order the form lists them.
var NoticeReasons = []string{NoticeDefamation, NoticePersonalData, NoticeCounterfeit, NoticeHate, NoticeChildAbuse, NoticeOther}

// NoticeReasonLabel is how pages name a notice's reason.
func NoticeReasonLabel(reason string) string {
	switch reason {
	case NoticeDefamation:
		return "Defamation"
	case NoticePersonalData:
		return "Someone's personal data"
	case NoticeCounterfeit:
		return "Counterfeit or copyright infringement"
	case NoticeHate:
		return "Hate speech or incitement"
	case NoticeChildAbuse:
		return "Child sexual abuse material"
	}
	return "Other illegal content"
}

// AnonymousAllowed says whether a notice for reason may omit the
// notifier's name and email.
func AnonymousAllowed(reason string) bool { return reason == NoticeChildAbuse }

// MailKindNotice is the outbox kind of the mails of the notice process.
const MailKindNotice = "notice"

// Notice states.
const (
	NoticeOpen     = "open"     // waiting for a decision
	NoticeDecided  = "decided"  // decided; the author may appeal once
	NoticeAppealed = "appealed" // the author appealed; waiting for a second look
	NoticeClosed   = "closed"   // the appeal was decided
)

// Limits on a notice's fields, in characters.
const (
	MaxNoticeText    = 5000
	MaxNoticeReasons = 5000
)

// Notice is a report of illegal content under the DSA's article 16: the
// exact address, why, by whom, and what the admins decided (article 17).
// The target's ids are copied, not foreign keys, so that the notice and its
// decision outlive the content.
type Notice struct {
	ID        uint   `gorm:"primaryKey"`
	URL       string `gorm:"size:2000;not null"`
	StoryID   uint   `gorm:"not null;index"`
	CommentID uint   `gorm:"not null;default:0"` // 0: the story itself
	// ReplyID is the company's official reply the notice is about, and
	// FollowUpID one of its follow-ups (0: neither).
	ReplyID     uint   `gorm:"not null;default:0"`
	FollowUpID  uint   `gorm:"not null;default:0"`
	AuthorID    uint   `gorm:"not null;default:0;index"`
	Reason      string `gorm:"size:20;not null"`
	Explanation string `gorm:"not null"`
	Name        string `gorm:"size:100;not null;default:''"`
	Email       string `gorm:"size:254;not null;default:''"`
	GoodFaith   bool   `gorm:"not null"`
	State       string `gorm:"size:10;not null;default:open;index"`
	CreatedAt   time.Time
	// The decision.
	Decision  string `gorm:"size:10;not null;default:''"`
	Reasons   string `gorm:"not null;default:''"` // the statement of reasons
	Passage   string `gorm:"not null;default:''"` // the passage removed, kept for the author
	DecidedAt *time.Time
	DeciderID uint `gorm:"not null;default:0"`
	// The author's one appeal, and its outcome.
	Appeal          string `gorm:"not null;default:''"`
	AppealedAt      *time.Time
	AppealOutcome   string `gorm:"size:10;not null;default:''"` // upheld, reversed
	AppealReasons   string `gorm:"not null;default:''"`
	AppealDecidedAt *time.Time
}

// Ref is the notice's reference, given to the notifier.
func (n Notice) Ref() string { return fmt.Sprintf("N-%d-%05d", n.CreatedAt.Year(), n.ID) }

// NoticeInput is a notice as the form gives it: the address already
// parsed into its story's slug and comment id (0 for the story), or the
// company's reply (Reply) or one of its follow-ups (FollowUpID).
type NoticeInput struct {
	URL, Slug   string
	CommentID   uint
	Reply       bool
	FollowUpID  uint
	Reason      string
	Explanation string
	Name, Email string
	GoodFaith   bool
}

func (in NoticeInput) validate() *ValidationError {
	f := map[string]string{}
	if !slices.Contains(NoticeReasons, in.Reason) {
		f["reason"] = "Choose a reason."
	}
	setLength(f, "explanation", in.Explanation, MaxNoticeText, "Explain why the content is illegal.")
	if msg := badText(in.Explanation); msg != "" {
		f["explanation"] = msg
	}
	anon := AnonymousAllowed(in.Reason)
	if in.Name == "" && !anon {
		f["name"] = "Give your name (only notices about child sexual abuse may be anonymous)."
	} else {
		setLength(f, "name", in.Name, MaxNameLen, "")
		setProblem(f, "name", lineProblem(in.Name, false))
	}
	if in.Email == "" && !anon {
		f["email"] = "Give your email address, to receive the acknowledgement and the decision."
	} else if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
			f["email"] = "This is not an email address."
		}
	}
	if !in.GoodFaith {
		f["good_faith"] = "Confirm that you believe, in good faith, what the notice says."
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// setLength marks field when s is empty (with empty, if not "") or longer than max.
func setLength(f map[string]string, field, s string, max int, empty string) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(s)); {
	case n == 0 && empty != "":
		f[field] = empty
	case n > max:
		f[field] = tooLong("This is", n, max)
	}
}

// FileNotice records a notice about a published story, or an approved
// comment of one. An address that names nothing the site shows is a
// ValidationError on "url".
func (s *Store) FileNotice(ctx context.Context, in NoticeInput) (*Notice, error) {
	in.Name, in.Email, in.Explanation = strings.TrimSpace(in.Name), strings.TrimSpace(in.Email), strings.TrimSpace(in.Explanation)
	if ve := in.validate(); ve != nil {
		return nil, ve
	}
	n := &Notice{URL: in.URL, CommentID: in.CommentID, Reason: in.Reason, Explanation: in.Explanation,
		Name: in.Name, Email: in.Email, GoodFaith: true, State: NoticeOpen}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var st Story
		if err := tx.Select("id, author_id").Where("slug = ? AND status = ?", in.Slug, StatusPublished).Take(&st).Error; err != nil {
			return noSuchAddress(err)
		}
		n.StoryID, n.AuthorID = st.ID, st.AuthorID
		if in.Reply || in.FollowUpID != 0 {
			return fileAboutReply(tx, n, in)
		}
		if in.CommentID != 0 {
			var c Comment
			err := tx.Select("id, user_id").Where("id = ? AND story_id = ? AND status = ? AND NOT deleted", in.CommentID, st.ID, CommentApproved).Take(&c).Error
			if err != nil {
				return noSuchAddress(err)
			}
			n.AuthorID = 0
			if c.UserID != nil {
				n.AuthorID = *c.UserID
			}
		}
		return tx.Create(n).Error
	})
	if err != nil {
		return nil, fmt.Errorf("notice about %q: %w", in.URL, err)
	}
	return n, nil
}

// fileAboutReply records n about the company's reply to n's story, or
// one of its follow-ups: their representative is the author who hears of
// the decision and may appeal it.
func fileAboutReply(tx *gorm.DB, n *Notice, in NoticeInput) error {
	var r CompanyReply
	if err := tx.Select("id, user_id").Where("story_id = ? AND NOT hidden", n.StoryID).Take(&r).Error; err != nil {
		return noSuchAddress(err)
	}
	n.ReplyID, n.AuthorID = r.ID, r.UserID
	if in.FollowUpID != 0 {
		var f CompanyFollowUp
		if err := tx.Select("id, user_id").Where("id = ? AND reply_id = ? AND NOT hidden", in.FollowUpID, r.ID).Take(&f).Error; err != nil {
			return noSuchAddress(err)
		}
		n.FollowUpID, n.AuthorID = f.ID, f.UserID
	}
	return tx.Create(n).Error
}

// noSuchAddress turns a target not found into the form's message.
func noSuchAddress(err error) error {
	if notFound(err) == ErrNotFound {
		return &ValidationError{Fields: map[string]string{"url": "No story or comment (or company reply) of this site is at this address: copy the address of the story, or the link of the comment (its date)."}}
	}
	return err
}

// Notices returns the notices in state (all when ""), oldest open first.
func (s *Store) Notices(ctx context.Context, state string) ([]Notice, error) {
	q := s.r.WithContext(ctx).Order("CASE state WHEN 'open' THEN 0 WHEN 'appealed' THEN 1 ELSE 2 END, id")
	if state != "" {
		q = q.Where("state = ?", state)
	}
	var ns []Notice
	if err := q.Limit(500).Find(&ns).Error; err != nil {
		return nil, fmt.Errorf("notices: %w", err)
	}
	return ns, nil
}

// NoticeTarget is a notice with what it is about, as it is now: Story
// and Comment are nil when they no longer exist.
type NoticeTarget struct {
	Notice  Notice
	Story   *Story
	Comment *Comment
	// Reply is the company reply a notice is about, or the reply whose
	// follow-up FollowUp is; both nil when they no longer exist.
	Reply    *CompanyReply
	FollowUp *CompanyFollowUp
}

// NoticeByID returns notice id with its target.
func (s *Store) NoticeByID(ctx context.Context, id uint) (*NoticeTarget, error) {
	var t NoticeTarget
	db := s.r.WithContext(ctx)
	if err := db.Take(&t.Notice, id).Error; err != nil {
		return nil, fmt.Errorf("notice %d: %w", id, notFound(err))
	}
	var sts []Story
	if err := db.Where("id = ?", t.Notice.StoryID).Limit(1).Find(&sts).Error; err != nil {
		return nil, fmt.Errorf("notice %d story: %w", id, err)
	}
	if len(sts) > 0 {
		t.Story = &sts[0]
	}
	if err := t.loadReply(db); err != nil {
		return nil, fmt.Errorf("notice %d reply: %w", id, err)
	}
	if t.Notice.CommentID != 0 {
		var cs []Comment
		if err := db.Where("id = ?", t.Notice.CommentID).Limit(1).Find(&cs).Error; err != nil {
			return nil, fmt.Errorf("notice %d comment: %w", id, err)
		}
		if len(cs) > 0 && !cs[0].Deleted {
			t.Comment = &cs[0]
		}
	}
	return &t, nil
}

// NoticesAbout returns the decided notices about what userID wrote,
// newest first, for their account page.
func (s *Store) NoticesAbout(ctx context.Context, userID uint) ([]Notice, error) {
	var ns []Notice
	err := s.r.WithContext(ctx).Where("author_id = ? AND state <> ?", userID, NoticeOpen).Order("id DESC").Find(&ns).Error
	if err != nil {
		return nil, fmt.Errorf("notices about user %d: %w", userID, err)
	}
	return ns, nil
}

// loadReply loads the company reply and follow-up t's notice is about, if
// they still exist.
func (t *NoticeTarget) loadReply(db *gorm.DB) error {
	if t.Notice.ReplyID == 0 {
		return nil
	}
	var rs []CompanyReply
	if err := db.Preload("Company").Where("id = ?", t.Notice.ReplyID).Limit(1).Find(&rs).Error; err != nil || len(rs) == 0 {
		return err
	}
	t.Reply = &rs[0]
	if t.Notice.FollowUpID == 0 {
		return nil
	}
	var fs []CompanyFollowUp
	if err := db.Where("id = ?", t.Notice.FollowUpID).Limit(1).Find(&fs).Error; err != nil || len(fs) == 0 {
		t.Reply = nil // the content is the follow-up: gone
		return err
	}
	t.FollowUp = &fs[0]
	return nil
}
