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
	l := orEnglish(m.Loc)
	return m.queue(ctx, in(l, Content{To: n.Email, Kind: models.MailKindNotice, Subject: l.T("Notice %s received", n.Ref()),
		Paragraphs: []string{l.T("We received your notice about %s (%s). Its reference is %s. An admin will examine it and you will receive the decision and its reasons at this address.",
			n.URL, l.T(models.NoticeReasonLabel(n.Reason)), n.Ref())},
		Why: l.T("You sent a notice of illegal content to %s with this address.", m.SiteName)}))
}

// NoticeDecided tells the notifier the outcome and the content's author
// the decision with its statement of reasons and how to appeal.
func (m *Mailer) NoticeDecided(ctx context.Context, n models.Notice) error {
	var errs []error
	l := orEnglish(m.Loc)
	decision := l.T(models.DecisionLabel(n.Decision))
	if n.Email != "" {
		errs = append(errs, m.queue(ctx, in(l, Content{To: n.Email, Kind: models.MailKindNotice, Subject: l.T("Decision on notice %s", n.Ref()),
			Paragraphs: []string{l.T("Your notice %s about %s is decided: %s.", n.Ref(), n.URL, decision), l.T("The reasons:")},
			Quote:      n.Reasons, Why: l.T("You sent this notice to %s.", m.SiteName)})))
	}
	c := in(l, Content{Kind: models.MailKindNotice, Subject: l.T("A decision about what you wrote on %s", m.SiteName),
		Paragraphs: []string{l.T("Someone reported %s as illegal (%s). An admin decided: %s. The statement of reasons:",
			n.URL, l.T(models.NoticeReasonLabel(n.Reason)), decision)},
		Quote: n.Reasons, Why: l.T("You wrote the content this notice is about.")})
	if n.Decision != models.DecisionKeep {
		c.Action, c.ActionURL = l.T("Read the decision, or appeal it once"), m.BaseURL+"/me#notice-"+strconv.FormatUint(uint64(n.ID), 10)
	}
	errs = append(errs, m.toAuthor(ctx, n, c))
	return errors.Join(errs...)
}

// AppealDecided tells the author the outcome of their appeal.
func (m *Mailer) AppealDecided(ctx context.Context, n models.Notice) error {
	l := orEnglish(m.Loc)
	outcome := l.T("upheld: the decision stands")
	if n.AppealOutcome == models.AppealReversed {
		outcome = l.T("reversed")
	}
	return m.toAuthor(ctx, n, in(l, Content{Kind: models.MailKindNotice, Subject: l.T("Your appeal on %s", m.SiteName),
		Paragraphs: []string{l.T("Your appeal of the decision about %s was examined: the decision is %s. The reasons:", n.URL, outcome)},
		Quote:      n.AppealReasons, Action: l.T("Your account"), ActionURL: m.BaseURL + "/me#notice-" + strconv.FormatUint(uint64(n.ID), 10),
		Why: l.T("You appealed a decision about what you wrote.")}))
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
