package models

import (
	"context"
	"fmt"
	"time"
)

// MailKindCompanyReply is the outbox kind of the mail telling an author
// that the company replied to their story, or added a follow-up.
const MailKindCompanyReply = "company-reply"

// replyNews tells the story's author of the company's reply id.
func (s *Store) replyNews(ctx context.Context, id uint) (News, error) {
	nw := News{Table: "company_replies", ID: id, From: MailNew, To: MailDone, Reply: &CompanyReply{}}
	if err := s.r.WithContext(ctx).Preload("Company").Take(nw.Reply, id).Error; err != nil {
		return News{}, fmt.Errorf("company reply %d: %w", id, notFound(err))
	}
	return nw, s.replyAuthor(ctx, &nw)
}

// followUpNews tells the story's author of the follow-up id.
func (s *Store) followUpNews(ctx context.Context, id uint) (News, error) {
	nw := News{Table: "company_follow_ups", ID: id, From: MailNew, To: MailDone, FollowUp: &CompanyFollowUp{}, Reply: &CompanyReply{}}
	db := s.r.WithContext(ctx)
	if err := db.Take(nw.FollowUp, id).Error; err != nil {
		return News{}, fmt.Errorf("follow-up %d: %w", id, notFound(err))
	}
	if err := db.Preload("Company").Take(nw.Reply, nw.FollowUp.ReplyID).Error; err != nil {
		return News{}, fmt.Errorf("company reply %d: %w", nw.FollowUp.ReplyID, notFound(err))
	}
	return nw, s.replyAuthor(ctx, &nw)
}

// replyAuthor loads the story of nw's reply and adds its author as the
// recipient, if their address is verified and they did not switch off the
// mails about their stories (the same switch as new comments').
func (s *Store) replyAuthor(ctx context.Context, nw *News) error {
	if err := s.r.WithContext(ctx).Preload("Author").Take(&nw.Story, nw.Reply.StoryID).Error; err != nil {
		return fmt.Errorf("story %d: %w", nw.Reply.StoryID, notFound(err))
	}
	r := newRecipients()
	if a := nw.Story.Author; a.EmailVerified && !a.MuteCommentMail && nw.Story.Status == StatusPublished {
		r.add(Recipient{Email: a.Email, Kind: MailKindCompanyReply, UnsubKind: UnsubComments, UnsubID: a.ID})
	}
	nw.Recipients = r.list
	return nil
}

// ReplyToConfirm is a story of the user's that its company answered and
// that is still open: /me asks its author whether it is resolved.
type ReplyToConfirm struct {
	ReplyID              uint
	Slug, Title, Company string
	RepliedAt            time.Time
	LastFollowUp         *time.Time
}

// RepliesToConfirm returns userID's published stories that their company
// answered and that are still open, most recently answered first. Two
// queries, on the author and reply indexes.
func (s *Store) RepliesToConfirm(ctx context.Context, userID uint) ([]ReplyToConfirm, error) {
	var out []ReplyToConfirm
	db := s.r.WithContext(ctx)
	err := db.Raw(`SELECT r.id AS reply_id, s.slug, s.title, c.name AS company, r.created_at AS replied_at
 FROM stories s JOIN company_replies r ON r.story_id = s.id JOIN companies c ON c.id = r.company_id
 WHERE s.author_id = ? AND s.status = ? AND s.resolution = ? ORDER BY r.created_at DESC LIMIT 50`,
		userID, StatusPublished, ResolutionOpen).Scan(&out).Error
	if err != nil || len(out) == 0 {
		return nil, wrapIf(err, "replies to confirm for user %d", userID)
	}
	ids := make([]uint, len(out))
	for i, r := range out {
		ids[i] = r.ReplyID
	}
	// The follow-ups' dates are read as a column, not as max(): SQLite
	// gives an aggregate no type, and the driver would not read it as a time.
	var fs []CompanyFollowUp
	if err := db.Select("reply_id", "created_at").Where("reply_id IN ?", ids).Find(&fs).Error; err != nil {
		return nil, fmt.Errorf("follow-ups for user %d: %w", userID, err)
	}
	for i := range out {
		for _, f := range fs {
			if f.ReplyID == out[i].ReplyID && (out[i].LastFollowUp == nil || f.CreatedAt.After(*out[i].LastFollowUp)) {
				at := f.CreatedAt
				out[i].LastFollowUp = &at
			}
		}
	}
	return out, nil
}

// wrapIf wraps err with what, or is nil.
func wrapIf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
