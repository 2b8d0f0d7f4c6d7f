package mail

import (
	"context"
	"errors"
	"strconv"

	"doleances/handlers/i18n"
	"doleances/models"
	"doleances/models/pii"
)

// Notifier writes the mails of new comments, stories and reports, and the
// daily digests, into the outbox: the fan-out happens here, in the
// background, never in the request that caused it.
type Notifier struct {
	Store    *models.Store
	BaseURL  string
	SiteName string
	// UnsubscribeKey signs the unsubscribe links (models.UnsubscribeToken).
	UnsubscribeKey []byte
	// Loc is the language of the mails: the site's; nil: English.
	Loc *i18n.Locale
}

// Run handles what is pending now. An item that fails is reported and
// tried again at the next run; it does not stop the others.
func (n *Notifier) Run(ctx context.Context) error {
	var errs []error
	// A burst (300 comments at once) is worked through in batches, until
	// a batch is not full or fails.
	for ctx.Err() == nil {
		news, err := n.Store.PendingNews(ctx, batch)
		errs = append(errs, err)
		failed := err != nil
		for _, nw := range news {
			if err := n.deliver(ctx, nw); err != nil {
				errs, failed = append(errs, err), true
			}
		}
		if failed || len(news) < batch {
			break
		}
	}
	errs = append(errs, n.digests(ctx))
	return errors.Join(errs...)
}

// batch is how many items the notifier reads at a time.
const batch = 50

// deliver queues the mails of one item, and the digest items of its followers.
func (n *Notifier) deliver(ctx context.Context, nw models.News) error {
	var mails []models.OutboxMail
	var items []models.DigestItem
	for _, r := range nw.Recipients {
		c := n.content(nw, r)
		if r.Digest {
			items = append(items, models.DigestItem{FollowID: r.FollowID, Title: c.Subject, URL: c.ActionURL})
			continue
		}
		m, err := c.Outbox()
		if err != nil {
			return err
		}
		mails = append(mails, m)
	}
	return n.Store.DeliverNews(ctx, nw, mails, items)
}

func (n *Notifier) digests(ctx context.Context) error {
	ds, err := n.Store.DueDigests(ctx, 50)
	if err != nil {
		return err
	}
	for _, d := range ds {
		l := orEnglish(n.Loc)
		label := l.Text(d.Follow.Label)
		c := in(l, Content{To: d.Follow.Email, Kind: models.MailKindDigest,
			Subject:    l.T("%s: %d new on %s", n.SiteName, len(d.Items), label),
			Paragraphs: []string{l.T("What is new since yesterday on %s:", label)},
			Why:        l.T("You follow %s on %s, in a daily digest.", label, n.SiteName),
		})
		c.UnsubscribeURL = n.unsubscribe(models.UnsubFollow, d.Follow.ID)
		for _, it := range d.Items {
			c.Items = append(c.Items, Item{Title: it.Title, URL: it.URL})
		}
		m, err := c.Outbox()
		if err != nil {
			return err
		}
		if err := n.Store.DeliverDigest(ctx, d, &m); err != nil {
			return err
		}
	}
	return nil
}

func (n *Notifier) unsubscribe(kind string, id uint) string {
	return n.BaseURL + "/unsubscribe/" + models.UnsubscribeToken(n.UnsubscribeKey, kind, id)
}

// content is the mail of nw to r.
func (n *Notifier) content(nw models.News, r models.Recipient) Content {
	st, l := nw.Story, orEnglish(n.Loc)
	storyURL := n.BaseURL + "/stories/" + st.Slug
	c := in(l, Content{To: r.Email, Kind: r.Kind, UnsubscribeURL: n.unsubscribe(r.UnsubKind, r.UnsubID)})
	switch r.Kind {
	case models.MailKindFollow:
		c.Why = l.T("You follow %s on %s.", l.Text(r.Label), n.SiteName)
	case models.MailKindReply:
		c.Why = l.T("You asked to get the replies to your comment by email.")
	case models.MailKindComment:
		c.Why = l.T("You get the new comments on your stories. Switch this off on %s/me or below.", n.BaseURL)
	case models.MailKindCompanyReply:
		c.Why = l.T("You get the new comments and company replies on your stories. Switch this off on %s/me or below.", n.BaseURL)
	case models.MailKindModeration:
		c.Why = l.T("You moderate comments on %s. Switch these mails off on %s/me or below.", n.SiteName, n.BaseURL)
	}
	switch {
	case nw.Reply != nil:
		n.replyContent(&c, nw, storyURL)
	case nw.Report != nil:
		c.Subject = l.T("New report on “%s”", st.Title)
		c.Paragraphs = []string{l.T("A reader reported %s on “%s” as %s.", l.T(reportTarget(nw.Report)), st.Title, l.T(nw.Report.Reason))}
		c.Action, c.ActionURL = l.T("See the reports"), n.BaseURL+"/admin/reports"
	case nw.Comment != nil:
		cm := nw.Comment
		c.Quote = quote(cm.Body)
		c.Action, c.ActionURL = l.T("Read it"), storyURL+"#comment-"+strconv.FormatUint(uint64(cm.ID), 10)
		switch r.Kind {
		case models.MailKindModeration:
			c.Subject = l.T("Comment held for moderation on “%s”", st.Title)
			c.Paragraphs = []string{l.T("%s wrote a comment on “%s”; it waits for moderation:", cm.AuthorName, st.Title)}
			c.Action, c.ActionURL = l.T("Moderate the comments"), n.BaseURL+"/admin/comments"
		case models.MailKindReply:
			c.Subject = l.T("%s replied to your comment on “%s”", cm.AuthorName, st.Title)
			c.Paragraphs = []string{l.T("%s replied to your comment on “%s”:", cm.AuthorName, st.Title)}
		default:
			c.Subject = l.T("%s commented on “%s”", cm.AuthorName, st.Title)
			c.Paragraphs = []string{l.T("%s commented on “%s”:", cm.AuthorName, st.Title)}
		}
	default:
		c.Subject = l.T("New story: %s", st.Title)
		c.Paragraphs = []string{l.T("%s published a new story, “%s”:", st.Author.Name, st.Title)}
		c.Quote = st.Excerpt
		c.Action, c.ActionURL = l.T("Read the story"), storyURL
	}
	return c
}

// replyContent is the mail telling an author that the company replied to
// their story, or added a follow-up, asking them whether it is resolved.
func (n *Notifier) replyContent(c *Content, nw models.News, storyURL string) {
	co, title := nw.Reply.Company.Name, nw.Story.Title
	c.Subject = co + " replied to your story “" + title + "”"
	c.Paragraphs = []string{co + " posted an official reply (" + models.ReplyKindLabel(nw.Reply.Kind) + ") to your story “" + title + "”:"}
	c.Quote = quote(nw.Reply.Body)
	if f := nw.FollowUp; f != nil {
		c.Subject = co + " added a follow-up on your story “" + title + "”"
		c.Paragraphs = []string{co + " added a follow-up to its reply to your story “" + title + "”:"}
		c.Quote = quote(f.Body)
	}
	// Only the author says whether it is resolved: the mail asks them.
	c.Action, c.ActionURL = "Is your problem resolved? Say so on your story (it counts in "+co+"’s public scorecard)", storyURL+"#resolution"
}

func reportTarget(r *models.Report) string {
	if r.CommentID != 0 {
		return "a comment"
	}
	return "the story"
}

// quote is a comment's text as a mail quotes it: its Markdown, personal
// data masked as on the page, cut.
func quote(body string) string {
	masked := pii.Mask(body, nil)
	if r := []rune(masked); len(r) > 1200 {
		return string(r[:1200]) + "…"
	}
	return masked
}
