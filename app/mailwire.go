package app

import (
	"context"
	"log/slog"

	"doleances/app/mail"
	"doleances/handlers"
	"doleances/models"
)

// newMail builds the background sender and what the handlers use to queue
// mail. Without -smtp-url, the sender writes mails to the log and keeps them
// in the outbox.
func newMail(ctx context.Context, cfg Config, store *models.Store, log *slog.Logger) (*mail.Sender, handlers.MailSettings, error) {
	langs, err := cfg.languages()
	if err != nil {
		return nil, handlers.MailSettings{}, err
	}
	loc := langs.Default() // mails are written in the site's language
	key, err := store.Key(ctx, "unsubscribe")
	if err != nil {
		return nil, handlers.MailSettings{}, err
	}
	var tr mail.Transport
	if cfg.SMTPURL != "" {
		name, addr, err := cfg.mailFrom()
		if err != nil {
			return nil, handlers.MailSettings{}, err
		}
		if tr, err = mail.NewSMTP(cfg.SMTPURL, name, addr); err != nil {
			return nil, handlers.MailSettings{}, err
		}
	}
	n := &mail.Notifier{Store: store, BaseURL: cfg.BaseURL, SiteName: siteName, UnsubscribeKey: key, Loc: loc}
	s := mail.NewSender(mail.Sender{Store: store, Transport: tr, Notifier: n, Log: log, Now: cfg.clock(), Poll: cfg.mailPoll})
	m := &mail.Mailer{Store: store, Sender: s, BaseURL: cfg.BaseURL, SiteName: siteName, Now: cfg.clock(), Loc: loc}
	return s, handlers.MailSettings{Mailer: m, Notices: m, UnsubscribeKey: key}, nil
}
