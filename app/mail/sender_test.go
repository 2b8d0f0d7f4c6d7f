package mail

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"doleances/app/mail/mailtest"
	"doleances/models"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func openStore(t *testing.T, path string, c *clock) *models.Store {
	t.Helper()
	st, err := models.Open(path, models.Options{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func newTestSender(t *testing.T, st *models.Store, mb *mailtest.Server, c *clock, fromName string) *Sender {
	t.Helper()
	tr, err := NewSMTP(mb.URL(), fromName, "noreply@example.org")
	if err != nil {
		t.Fatal(err)
	}
	return NewSender(Sender{Store: st, Transport: tr, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: c.now})
}

func queue(t *testing.T, st *models.Store, to, subject string) {
	t.Helper()
	m, err := Content{To: to, Kind: models.MailKindReply, Subject: subject, Paragraphs: []string{"Hello <b>you</b>"},
		Why: "test", UnsubscribeURL: "https://example.org/unsubscribe/x"}.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.QueueMail(context.Background(), &m); err != nil {
		t.Fatal(err)
	}
}

func statuses(t *testing.T, st *models.Store) map[string]models.OutboxMail {
	t.Helper()
	ms, err := st.Outbox(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]models.OutboxMail{}
	for _, m := range ms {
		out[m.To] = m
	}
	return out
}

// TestRetriesBackoffAndRefusals: a server that says "try later" gets the
// mail again after the backoff; a refused address (5xx) is given up at once
// and never tried again; neither holds up the mail queued after them.
func TestRetriesBackoffAndRefusals(t *testing.T) {
	mb := mailtest.Start(t)
	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	st := openStore(t, filepath.Join(t.TempDir(), "db"), c)
	defer st.Close()
	var mu sync.Mutex
	busy, tries := true, map[string]int{}
	mb.Refuse(func(rcpt string) error {
		mu.Lock()
		defer mu.Unlock()
		tries[rcpt]++
		switch {
		case rcpt == "busy@example.org" && busy:
			return mailtest.Temporary
		case rcpt == "gone@example.org":
			return mailtest.Permanent
		}
		return nil
	})
	queue(t, st, "busy@example.org", "first")
	queue(t, st, "gone@example.org", "second")
	queue(t, st, "fine@example.org", "third")
	s := newTestSender(t, st, mb, c, "Site")
	ctx := context.Background()
	s.Step(ctx)
	got := statuses(t, st)
	if got["fine@example.org"].Status != models.MailSent || got["gone@example.org"].Status != models.MailFailed ||
		got["busy@example.org"].Status != models.MailQueued || got["busy@example.org"].Attempts != 1 {
		t.Fatalf("after the first round: %+v", got)
	}
	if !got["busy@example.org"].NextAt.Equal(c.now().Add(time.Minute)) {
		t.Errorf("the first retry is at %v, want a minute later", got["busy@example.org"].NextAt)
	}
	s.Step(ctx) // not due yet: nothing is tried
	mu.Lock()
	busy = false
	mu.Unlock()
	c.add(61 * time.Second)
	s.Step(ctx)
	c.add(24 * time.Hour)
	s.Step(ctx)
	got = statuses(t, st)
	if got["busy@example.org"].Status != models.MailSent || got["busy@example.org"].Attempts != 2 {
		t.Errorf("the busy address after the backoff: %+v", got["busy@example.org"])
	}
	mu.Lock()
	defer mu.Unlock()
	if tries["gone@example.org"] != 1 || tries["busy@example.org"] != 2 {
		t.Errorf("tries: %v; a refused address must be tried once, a busy one once more after the backoff", tries)
	}
	if len(mb.Messages()) != 2 {
		t.Errorf("%d messages received, want 2", len(mb.Messages()))
	}
}

// TestBackoffDoublesAndGivesUp: the waits double up to the cap, and a mail
// is given up after the last attempt.
func TestBackoffDoublesAndGivesUp(t *testing.T) {
	b := Backoff{First: time.Minute, Max: 10 * time.Minute, Attempts: 6}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 0}
	for i, w := range want {
		if got := b.after(i + 1); got != w {
			t.Errorf("after failure %d: %v, want %v", i+1, got, w)
		}
	}
}

// TestQueuedMailSurvivesARestart: mail queued before a stop is sent by the
// next process.
func TestQueuedMailSurvivesARestart(t *testing.T) {
	mb := mailtest.Start(t)
	c := &clock{t: time.Now()}
	path := filepath.Join(t.TempDir(), "db")
	st := openStore(t, path, c)
	queue(t, st, "later@example.org", "kept across a restart")
	st.Close()
	st = openStore(t, path, c)
	defer st.Close()
	newTestSender(t, st, mb, c, "Site").Step(context.Background())
	mb.Wait(t, "later@example.org", "kept across a restart")
}

// TestNoHeaderInjection: CR and LF in a subject or a sender's name never
// start a header of their own; the unsubscribe headers of RFC 8058 are there.
func TestNoHeaderInjection(t *testing.T) {
	mb := mailtest.Start(t)
	c := &clock{t: time.Now()}
	st := openStore(t, filepath.Join(t.TempDir(), "db"), c)
	defer st.Close()
	queue(t, st, "victim@example.org", "Hello\r\nBcc: spy@evil.example\r\n\r\nbody")
	newTestSender(t, st, mb, c, "Site\r\nBcc: spy2@evil.example").Step(context.Background())
	m := mb.Wait(t, "victim@example.org", "Hello")
	if m.Head.Get("Bcc") != "" || strings.Contains(strings.ToLower(m.Raw), "\nbcc:") {
		t.Errorf("a header was injected:\n%s", m.Raw)
	}
	if len(m.To) != 1 {
		t.Errorf("recipients %v, want only the victim", m.To)
	}
	if got := m.Subject(); got != "Hello Bcc: spy@evil.example body" {
		t.Errorf("subject %q", got)
	}
	if m.Head.Get("List-Unsubscribe") != "<https://example.org/unsubscribe/x>" || m.Head.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("unsubscribe headers: %q, %q", m.Head.Get("List-Unsubscribe"), m.Head.Get("List-Unsubscribe-Post"))
	}
	if !strings.Contains(m.HTML(), "Hello &lt;b&gt;you&lt;/b&gt;") || !strings.Contains(m.Text(), "Hello <b>you</b>") {
		t.Errorf("the HTML part must escape, the text part not:\n%s\n%s", m.HTML(), m.Text())
	}
}

// TestTwoSendersSendEachMailOnce: two instances of the site sharing the
// outbox send each mail once.
func TestTwoSendersSendEachMailOnce(t *testing.T) {
	mb := mailtest.Start(t)
	c := &clock{t: time.Now()}
	path := filepath.Join(t.TempDir(), "db")
	st := openStore(t, path, c)
	defer st.Close()
	other := openStore(t, path, c)
	defer other.Close()
	for i := range 20 {
		queue(t, st, fmt.Sprintf("r%d@example.org", i), "once")
	}
	var wg sync.WaitGroup
	for _, s := range []*models.Store{st, other} {
		wg.Add(1)
		go func() { defer wg.Done(); newTestSender(t, s, mb, c, "Site").Step(context.Background()) }()
	}
	wg.Wait()
	seen := map[string]int{}
	for _, m := range mb.Messages() {
		seen[m.To[0]]++
	}
	for i := range 20 {
		if n := seen[fmt.Sprintf("r%d@example.org", i)]; n != 1 {
			t.Errorf("r%d got %d mails, want 1", i, n)
		}
	}
}

// TestOldMailIsPruned: the outbox forgets mails that left a month ago, not
// those still queued.
func TestOldMailIsPruned(t *testing.T) {
	mb := mailtest.Start(t)
	mb.Refuse(func(rcpt string) error {
		if rcpt == "busy@example.org" {
			return mailtest.Temporary
		}
		return nil
	})
	c := &clock{t: time.Now()}
	st := openStore(t, filepath.Join(t.TempDir(), "db"), c)
	defer st.Close()
	queue(t, st, "old@example.org", "old")
	queue(t, st, "busy@example.org", "still trying")
	s := newTestSender(t, st, mb, c, "Site")
	s.Step(context.Background())
	c.add(KeepMail + time.Hour)
	s.Step(context.Background())
	got := statuses(t, st)
	if _, ok := got["old@example.org"]; ok || got["busy@example.org"].Status != models.MailQueued {
		t.Errorf("after a month: %+v", got)
	}
}
