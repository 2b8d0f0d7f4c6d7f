package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"doleances/app/mail"
	"doleances/models"
)

// replyMails runs the notifier and returns the mails it queued to addr
// about company replies, oldest first.
func replyMails(t *testing.T, rs *replySite, addr string) []models.OutboxMail {
	t.Helper()
	n := &mail.Notifier{Store: rs.store, BaseURL: rs.URL, SiteName: "Doléances", UnsubscribeKey: []byte("k")}
	check(t, n.Run(context.Background()))
	ms, err := rs.store.Outbox(context.Background(), 100)
	check(t, err)
	var out []models.OutboxMail
	for _, m := range ms {
		if m.To == addr && m.Kind == models.MailKindCompanyReply {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b models.OutboxMail) int { return int(a.ID) - int(b.ID) })
	return out
}

// TestAuthorHearsOfCompanyReply: the story's author gets one mail for the
// official reply and one per follow-up, each with an unsubscribe link and
// the link to the resolution control, and /me asks them whether it is
// resolved until they answer; the switch of comment mails stops them.
func TestAuthorHearsOfCompanyReply(t *testing.T) {
	rs := newReplySite(t)
	rep := rs.signIn(rs.rep)
	res, page := rs.reply(rep, rs.story.Slug, models.ReplyAct, "Nous rappelons la cliente.")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d\n%s", res.StatusCode, page)
	}
	ms := replyMails(t, rs, "ada@example.org")
	if len(ms) != 1 {
		t.Fatalf("%d mails to the author after the reply, want 1", len(ms))
	}
	m := ms[0]
	if m.Subject != "Orange replied to your story “Ma box Orange”" || m.Unsubscribe == "" {
		t.Errorf("the reply mail: subject %q, unsubscribe %q", m.Subject, m.Unsubscribe)
	}
	wantIn(t, "the reply mail", m.Text, "We will act", "Nous rappelons la cliente.", "/stories/ma-box-orange#resolution", "Is your problem resolved?")
	if ms := replyMails(t, rs, "ada@example.org"); len(ms) != 1 {
		t.Errorf("a second run of the notifier mailed the reply again: %d mails", len(ms))
	}
	_, page = rs.get(rs.author, "/me")
	wantIn(t, "the author's /me", html.UnescapeString(page), "Companies replied to your stories", "Orange replied to", `href="/stories/ma-box-orange#resolution"`)
	_, page = rs.get(rs.author, "/stories/ma-box-orange")
	wantIn(t, "the story of its author", page, `id="resolution"`)

	res, page = rs.do(rep, http.MethodPost, "/stories/"+rs.story.Slug+"/company-reply/follow-ups", url.Values{"body": {"Remboursement envoyé."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("follow-up: %d\n%s", res.StatusCode, page)
	}
	ms = replyMails(t, rs, "ada@example.org")
	if len(ms) != 2 || !strings.Contains(ms[1].Subject, "Orange added a follow-up") || !strings.Contains(ms[1].Text, "Remboursement envoyé.") {
		t.Fatalf("after the follow-up: %d mails, last %+v", len(ms), ms[len(ms)-1])
	}
	_, page = rs.get(rs.author, "/me")
	wantIn(t, "the author's /me after a follow-up", page, "with a follow-up on")

	check(t, rs.store.SetMailPreferences(context.Background(), rs.adaUser.ID, false, true))
	rs.do(rep, http.MethodPost, "/stories/"+rs.story.Slug+"/company-reply/follow-ups", url.Values{"body": {"Encore un mot."}})
	if ms = replyMails(t, rs, "ada@example.org"); len(ms) != 2 {
		t.Errorf("an author who switched comment mails off got %d reply mails, want 2", len(ms))
	}

	res, _ = rs.do(rs.author, http.MethodPost, "/stories/"+rs.story.Slug+"/resolution", url.Values{"resolution": {"resolved"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolution: %d", res.StatusCode)
	}
	if _, page = rs.get(rs.author, "/me"); strings.Contains(page, "Companies replied to your stories") {
		t.Error("/me still asks about a story its author said is resolved")
	}
}
