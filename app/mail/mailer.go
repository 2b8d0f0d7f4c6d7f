package mail

import (
	"context"
	"fmt"
	"time"

	"doleances/handlers/i18n"
	"doleances/models"
)

// Limits on the mails a visitor can make the site send to one address.
const (
	SignInTTL       = 15 * time.Minute
	ConfirmTTL      = 7 * 24 * time.Hour
	signInsPerHour  = 5
	confirmsPerDay  = 3
	confirmationFor = "Someone (we hope you) asked to "
)

// in writes c in loc's language: its Lang and Unsubscribe label.
func in(loc *i18n.Locale, c Content) Content {
	loc = orEnglish(loc)
	c.Lang, c.Unsubscribe = loc.Code, loc.T("Unsubscribe")
	return c
}

// Mailer queues the mails a request asks for: sign-in links and
// confirmation links. It implements handlers.Mailer.
type Mailer struct {
	Store    *models.Store
	Sender   *Sender
	BaseURL  string
	SiteName string
	Now      func() time.Time
	// Loc is the language of the mails: the site's; nil: English.
	Loc *i18n.Locale
}

// SignInLink mails a one-time sign-in link to email, valid 15 minutes. With
// linkUser, the link adds the address to that account instead. Past the
// per-address limit it returns models.ErrTooManyMails.
func (m *Mailer) SignInLink(ctx context.Context, email, next string, linkUser *uint) error {
	n, err := m.Store.RecentMails(ctx, email, models.MailKindSignIn, m.Now().Add(-time.Hour))
	if err != nil {
		return err
	}
	if n >= signInsPerHour {
		return models.ErrTooManyMails
	}
	token, err := m.Store.CreateMailToken(ctx, models.OneTimeToken{Purpose: models.PurposeEmail, Email: email, Next: next, UserID: linkUser}, SignInTTL)
	if err != nil {
		return err
	}
	l := orEnglish(m.Loc)
	c := in(l, Content{To: email, Kind: models.MailKindSignIn, Subject: l.T("Your sign-in link for %s", m.SiteName),
		Paragraphs: []string{l.T("Open this link within 15 minutes to sign in to %s. It works once.", m.SiteName)},
		Action:     l.T("Sign in"), ActionURL: m.BaseURL + "/login/email/" + token,
		Why: l.T(confirmationFor+"sign in to %s with this address. If it was not you, ignore this mail: nothing happens without the link.", m.SiteName)})
	if linkUser != nil {
		c.Subject = l.T("Add this address to your %s account", m.SiteName)
		c.Paragraphs = []string{l.T("Open this link within 15 minutes to sign in to your account with this address too. It works once.")}
		c.Action = l.T("Add the address")
	}
	return m.queue(ctx, c)
}

// Confirm mails a link that confirms email (and the follow followID, if
// any), described by what ("get replies to your comment", "follow ...").
// Past the per-address limit it returns models.ErrTooManyMails, so that a
// stranger's address gets a few confirmations a day at most.
func (m *Mailer) Confirm(ctx context.Context, email string, followID *uint, what string) error {
	n, err := m.Store.RecentMails(ctx, email, models.MailKindConfirm, m.Now().Add(-24*time.Hour))
	if err != nil {
		return err
	}
	if n >= confirmsPerDay {
		return models.ErrTooManyMails
	}
	token, err := m.Store.CreateMailToken(ctx, models.OneTimeToken{Purpose: models.PurposeConfirm, Email: email, FollowID: followID}, ConfirmTTL)
	if err != nil {
		return err
	}
	l := orEnglish(m.Loc)
	c := in(l, Content{To: email, Kind: models.MailKindConfirm, Subject: l.T("Confirm your address for %s", m.SiteName),
		Paragraphs: []string{l.T(confirmationFor+"%s on %s by email. Nothing will be sent to this address until you confirm.", l.Text(what), m.SiteName)},
		Action:     l.T("Confirm"), ActionURL: m.BaseURL + "/email/confirm/" + token,
		Why: l.T("If it was not you, ignore this mail: you will get nothing more from us.")})
	return m.queue(ctx, c)
}

func (m *Mailer) queue(ctx context.Context, c Content) error {
	om, err := c.Outbox()
	if err != nil {
		return fmt.Errorf("%s mail: %w", c.Kind, err)
	}
	if err := m.Store.QueueMail(ctx, &om); err != nil {
		return err
	}
	if m.Sender != nil {
		m.Sender.Wake()
	}
	return nil
}

// Claims: a confirmation link is valid a day, and one address gets a few a day.
const (
	ClaimTTL     = 24 * time.Hour
	claimsPerDay = 3
)

// ClaimLink mails user u, at their verified address, the link that makes
// them a representative of company co. Past the per-address limit it
// returns models.ErrTooManyMails.
func (m *Mailer) ClaimLink(ctx context.Context, u *models.User, co *models.Company) error {
	n, err := m.Store.RecentMails(ctx, u.Email, models.MailKindClaim, m.Now().Add(-24*time.Hour))
	if err != nil {
		return err
	}
	if n >= claimsPerDay {
		return models.ErrTooManyMails
	}
	uid, cid := u.ID, co.ID
	token, err := m.Store.CreateMailToken(ctx, models.OneTimeToken{Purpose: models.PurposeClaim, Email: u.Email, UserID: &uid, CompanyID: &cid}, ClaimTTL)
	if err != nil {
		return err
	}
	l := orEnglish(m.Loc)
	return m.queue(ctx, in(l, Content{To: u.Email, Kind: models.MailKindClaim, Subject: l.T("Represent %s on %s", co.Name, m.SiteName),
		Paragraphs: []string{l.T("Open this link within 24 hours to become a representative of %s on %s: you will be able to reply officially to the stories about it. It works once.", co.Name, m.SiteName)},
		Action:     l.T("Represent %s", co.Name), ActionURL: m.BaseURL + "/claim/" + token,
		Why: l.T("The account @%s asked to represent %s with this address. If it was not you, ignore this mail: nothing happens without the link.", u.Handle, co.Name)}))
}
