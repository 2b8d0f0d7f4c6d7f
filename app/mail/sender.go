package mail

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"doleances/models"
)

// Backoff is how the sender spaces the attempts at one mail.
type Backoff struct {
	First    time.Duration // after the first failure; doubled after each next one
	Max      time.Duration // the longest wait
	Attempts int           // after this many failures the mail is given up
}

// DefaultBackoff tries for about a day and a half: 1, 2, 4... minutes, then every 6 hours.
var DefaultBackoff = Backoff{First: time.Minute, Max: 6 * time.Hour, Attempts: 12}

// after is the wait after the n-th failure, or 0 when the mail is given up.
func (b Backoff) after(n int) time.Duration {
	if n >= b.Attempts {
		return 0
	}
	d := b.First
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// KeepMail is how long the outbox keeps a mail that left: long enough for
// the per-address limits and for an admin to look into a complaint.
const KeepMail = 30 * 24 * time.Hour

// claimFor is how long a sender holds a mail it is sending: if it dies
// meanwhile, the mail is due again after that.
const claimFor = 5 * time.Minute

// Sender is the background loop that writes notifications into the outbox
// and sends what is due there. Everything it works from is in the database,
// so a restart picks up where it stopped.
type Sender struct {
	Store     *models.Store
	Transport Transport // nil: mails are written to the log and kept (MailLogged)
	Notifier  *Notifier
	Log       *slog.Logger
	Now       func() time.Time
	Backoff   Backoff
	// Poll is how often the outbox is looked at without being woken.
	Poll      time.Duration
	wake      chan struct{}
	lastPrune time.Time
}

// Wake makes the sender look at the outbox now (a mail was just queued).
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// init makes the wake channel; Run and Wake need it.
func (s *Sender) init() {
	if s.wake == nil {
		s.wake = make(chan struct{}, 1)
	}
}

// NewSender returns a sender with its defaults filled in.
func NewSender(s Sender) *Sender {
	if s.Backoff.Attempts == 0 {
		s.Backoff = DefaultBackoff
	}
	if s.Poll == 0 {
		s.Poll = 15 * time.Second
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	s.init()
	return &s
}

// Run works until ctx is cancelled.
func (s *Sender) Run(ctx context.Context) {
	for {
		s.Step(ctx)
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-time.After(s.Poll):
		}
	}
}

// Step writes the pending notifications and digests, then sends the mails due.
func (s *Sender) Step(ctx context.Context) {
	if s.Notifier != nil {
		if err := s.Notifier.Run(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("notifications", "err", err)
		}
	}
	if now := s.Now(); now.Sub(s.lastPrune) > time.Hour {
		s.lastPrune = now
		s.record(ctx, models.OutboxMail{}, s.Store.PruneOutbox(ctx, now.Add(-KeepMail)))
	}
	for ctx.Err() == nil {
		due, err := s.Store.DueMail(ctx, 50)
		if err != nil {
			if ctx.Err() == nil {
				s.Log.Error("outbox", "err", err)
			}
			return
		}
		for _, m := range due {
			s.send(ctx, m)
		}
		if len(due) < 50 {
			return
		}
	}
}

// send tries one mail and records the outcome; a failure only reschedules
// that mail, so one bad address never holds up the others.
func (s *Sender) send(ctx context.Context, m models.OutboxMail) {
	ok, err := s.Store.ClaimMail(ctx, m.ID, m.NextAt, s.Now().Add(claimFor))
	if err != nil || !ok {
		s.record(ctx, m, err)
		return
	}
	if s.Transport == nil {
		s.Log.Info("mail not sent (no -smtp-url): kept in the outbox", "id", m.ID, "to", m.To, "subject", m.Subject, "text", m.Text)
		s.record(ctx, m, s.Store.MarkMailDone(ctx, m.ID, models.MailLogged))
		return
	}
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	err = s.Transport.Send(sctx, m)
	cancel()
	if err == nil {
		s.record(ctx, m, s.Store.MarkMailDone(ctx, m.ID, models.MailSent))
		return
	}
	if ctx.Err() != nil {
		return // stopping: the mail stays due and is sent after the restart
	}
	wait := s.Backoff.after(m.Attempts + 1)
	if errors.Is(err, ErrPermanent) {
		wait = 0
	}
	var next time.Time
	if wait > 0 {
		next = s.Now().Add(wait)
	}
	s.Log.Warn("mail not sent", "id", m.ID, "to", m.To, "attempt", m.Attempts+1, "retry", !next.IsZero(), "err", err)
	s.record(ctx, m, s.Store.MarkMailRetry(ctx, m.ID, next, err.Error()))
}

func (s *Sender) record(ctx context.Context, m models.OutboxMail, err error) {
	if err != nil && ctx.Err() == nil {
		s.Log.Error("outbox", "id", m.ID, "err", err)
	}
}
