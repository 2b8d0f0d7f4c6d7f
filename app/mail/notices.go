package mail

import (
	"context"
	"errors"
	"strconv"

	"doleances/models"
)

// The mails of the notice process (DSA art. 16(4)-(5) and 17): the
// notifier's acknowledgement and the decision's outcome; the author's
// statement of reasons and the outcome of their appeal. Each quotes the
// notice's reference; none names the notifier to the author.

// NoticeReceived acknowledges a notice to its notifier, if they gave an address.
func (m *Mailer) NoticeReceived(ctx context.Context, n models.Notice) error {
	if n.Email == "" {
		return nil
	}
	return m.queue(ctx, Content{To: n.Email, Kind: models.MailKindNotice, Subject: "Notice " + n.Ref() + " received",
		Paragraphs: []string{"We received your notice about " + n.URL + " (" + models.NoticeReasonLabel(n.Reason) + "). " +
			"Its reference is " + n.Ref() + ". An admin will examine it and you will receive the decision and its reasons at this address."},
		Why: "You sent a notice of illegal content to " + m.SiteName + " with this address."})
}

// NoticeDecided tells the notifier the outcome and the content's author
// the decision with its statement of reasons and how to appeal.
func (m *Mailer) NoticeDecided(ctx context.Context, n models.Notice) error {
	var errs []error
	if n.Email != "" {
		errs = append(errs, m.queue(ctx, Content{To: n.Email, Kind: models.MailKindNotice, Subject: "Decision on notice " + n.Ref(),
			Paragraphs: []string{"Your notice " + n.Ref() + " about " + n.URL + " is decided: " + models.DecisionLabel(n.Decision) + ".", "The reasons:"},
			Quote:      n.Reasons, Why: "You sent this notice to " + m.SiteName + "."}))
	}
	c := Content{Kind: models.MailKindNotice, Subject: "A decision about what you wrote on " + m.SiteName,
		Paragraphs: []string{"Someone reported " + n.URL + " as illegal (" + models.NoticeReasonLabel(n.Reason) + "). An admin decided: " +
			models.DecisionLabel(n.Decision) + ". The statement of reasons:"},
		Quote: n.Reasons, Why: "You wrote the content this notice is about."}
	if n.Decision != models.DecisionKeep {
		c.Action, c.ActionURL = "Read the decision, or appeal it once", m.BaseURL+"/me#notice-"+strconv.FormatUint(uint64(n.ID), 10)
	}
	errs = append(errs, m.toAuthor(ctx, n, c))
	return errors.Join(errs...)
}

// AppealDecided tells the author the outcome of their appeal.
func (m *Mailer) AppealDecided(ctx context.Context, n models.Notice) error {
	outcome := "upheld: the decision stands"
	if n.AppealOutcome == models.AppealReversed {
		outcome = "reversed"
	}
	return m.toAuthor(ctx, n, Content{Kind: models.MailKindNotice, Subject: "Your appeal on " + m.SiteName,
		Paragraphs: []string{"Your appeal of the decision about " + n.URL + " was examined: the decision is " + outcome + ". The reasons:"},
		Quote:      n.AppealReasons, Action: "Your account", ActionURL: m.BaseURL + "/me#notice-" + strconv.FormatUint(uint64(n.ID), 10),
		Why: "You appealed a decision about what you wrote."})
}

// toAuthor sends c to the author of the notice's content, if they have a
// verified address (a guest's comment, or an account without one, gets
// the decision on /me only).
func (m *Mailer) toAuthor(ctx context.Context, n models.Notice, c Content) error {
	if n.AuthorID == 0 {
		return nil
	}
	u, err := m.Store.UserByID(ctx, n.AuthorID)
	if errors.Is(err, models.ErrNotFound) || (err == nil && (u.Email == "" || !u.EmailVerified)) {
		return nil
	}
	if err != nil {
		return err
	}
	c.To = u.Email
	return m.queue(ctx, c)
}
