package app

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// replyNotice files a notice about the story's address with fragment and
// returns its id, or fails.
func (rs *replySite) replyNotice(fragment string) string {
	rs.t.Helper()
	rs.clock.add(time.Minute) // past the notices' rate limit
	res, body := rs.do(guest(), http.MethodPost, "/notice", noticeForm("/stories/"+rs.story.Slug+"#"+fragment))
	m := refRe.FindStringSubmatch(body)
	if res.StatusCode != http.StatusCreated || m == nil {
		rs.t.Fatalf("notice about #%s: %d\n%.800s", fragment, res.StatusCode, mainOf(body))
	}
	return strings.TrimLeft(m[1], "0")
}

// decide posts an admin's decision on notice id and wants a redirect.
func (rs *replySite) decide(admin *visitor, id string, form url.Values) {
	rs.t.Helper()
	if res, page := rs.do(admin, http.MethodPost, "/admin/notices/"+id+"/decide", form); res.StatusCode != http.StatusSeeOther {
		rs.t.Fatalf("decision %v on notice %s: %d\n%.800s", form, id, res.StatusCode, mainOf(page))
	}
}

// TestNoticesAboutCompanyReplies: the official reply and its follow-ups
// link to the notice form with their own address; each decision works on
// them, the representative gets it on /me and appeals once, and a
// reversed appeal puts the text back.
func TestNoticesAboutCompanyReplies(t *testing.T) {
	rs := newReplySite(t)
	ctx := context.Background()
	rep, admin := rs.signIn(rs.rep), rs.signIn(rs.admin)
	rs.reply(rep, rs.story.Slug, models.ReplyContest, "Cette cliente est une escroque.")
	f, err := rs.store.AddCompanyFollowUp(ctx, rs.story.ID, rs.rep.ID, "Nous portons plainte contre elle.")
	check(t, err)
	path := "/stories/" + rs.story.Slug
	_, page := rs.get(nil, path)
	wantIn(t, "the story page", page, `href="/notice?url=%2fstories%2f`+rs.story.Slug+`%23company-reply"`,
		fmt.Sprintf(`href="/notice?url=%%2fstories%%2f%s%%23follow-up-%d"`, rs.story.Slug, f.ID))

	// An address that names no reply: a follow-up that does not exist,
	// the reply of a story without one.
	for _, u := range []string{path + fmt.Sprintf("#follow-up-%d", f.ID+100), "/stories/" + rs.testSite.other.Slug + "#company-reply"} {
		rs.clock.add(time.Minute)
		res, body := rs.do(guest(), http.MethodPost, "/notice", noticeForm(u))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "No story or comment (or company reply)") {
			t.Errorf("a notice about %s: %d", u, res.StatusCode)
		}
	}

	// Redact a passage of the reply; the representative appeals, once,
	// and the reversal puts the passage back.
	id := rs.replyNotice("company-reply")
	_, page = rs.get(admin, "/admin/notices/"+id)
	wantIn(t, "the notice page", page, "the official reply of Orange", "Cette cliente est une escroque.")
	rs.decide(admin, id, url.Values{"decision": {"redact"}, "passage": {"est une escroque"}, "reasons": {"Insulting."}})
	_, page = rs.get(nil, path)
	if strings.Contains(page, "escroque") || !strings.Contains(page, "Cette cliente [passage removed on") {
		t.Errorf("the redacted reply: %.2000s", mainOf(page))
	}
	_, page = rs.get(rep, "/me")
	wantIn(t, "the representative's /me", html.UnescapeString(page), "Passage removed", "Insulting.", `action="/me/notices/`+id+`/appeal"`)
	if res, _ := rs.do(rep, http.MethodPost, "/me/notices/"+id+"/appeal", url.Values{"appeal": {"It is true."}}); res.StatusCode != http.StatusOK {
		t.Fatalf("appeal: %d", res.StatusCode)
	}
	if res, _ := rs.do(rep, http.MethodPost, "/me/notices/"+id+"/appeal", url.Values{"appeal": {"Again."}}); res.StatusCode != http.StatusConflict {
		t.Errorf("a second appeal: %d", res.StatusCode)
	}
	if res, _ := rs.do(admin, http.MethodPost, "/admin/notices/"+id+"/appeal", url.Values{"outcome": {"reversed"}, "reasons": {"Fair comment."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("appeal decision: %d", res.StatusCode)
	}
	if _, page = rs.get(nil, path); !strings.Contains(page, "Cette cliente est une escroque.") {
		t.Error("the reversed redaction did not put the passage back")
	}

	// Keep the follow-up: nothing changes, and nothing is left to appeal.
	id = rs.replyNotice(fmt.Sprintf("follow-up-%d", f.ID))
	rs.decide(admin, id, url.Values{"decision": {"keep"}, "reasons": {"An opinion."}})
	if _, page = rs.get(nil, path); !strings.Contains(page, "Nous portons plainte contre elle.") {
		t.Error("a kept follow-up is no longer shown")
	}
	if res, _ := rs.do(rep, http.MethodPost, "/me/notices/"+id+"/appeal", url.Values{"appeal": {"Why?"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("an appeal of a decision to keep: %d", res.StatusCode)
	}

	// Unpublish the follow-up: gone from the page, the reply stays.
	id = rs.replyNotice(fmt.Sprintf("follow-up-%d", f.ID))
	rs.decide(admin, id, url.Values{"decision": {"unpublish"}, "reasons": {"Threat."}})
	if _, page = rs.get(nil, path); strings.Contains(page, "portons plainte") || !strings.Contains(page, "Official reply from Orange") {
		t.Error("the unpublished follow-up is still shown, or the reply went with it")
	}

	// Unpublish the reply: the story counts as not answered; delete it
	// after the reversal: it is gone for good.
	id = rs.replyNotice("company-reply")
	rs.decide(admin, id, url.Values{"decision": {"unpublish"}, "reasons": {"Insulting."}})
	if _, page = rs.get(nil, path); strings.Contains(page, "escroque") || !strings.Contains(page, "Orange has not replied yet") {
		t.Error("the unpublished reply is still shown")
	}
	if st, _ := rs.store.CompanyStats(ctx, rs.orange.ID); st.Replied != 0 {
		t.Errorf("an unpublished reply still counts on the scorecard: %d", st.Replied)
	}
	rs.do(rep, http.MethodPost, "/me/notices/"+id+"/appeal", url.Values{"appeal": {"It is true."}})
	rs.do(admin, http.MethodPost, "/admin/notices/"+id+"/appeal", url.Values{"outcome": {"reversed"}, "reasons": {"Fair comment."}})
	if st, _ := rs.store.CompanyStats(ctx, rs.orange.ID); st.Replied != 1 {
		t.Errorf("the reply put back does not count again: %d", st.Replied)
	}
	id = rs.replyNotice("company-reply")
	rs.decide(admin, id, url.Values{"decision": {"delete"}, "reasons": {"Insulting."}})
	if _, err := rs.store.CompanyReplyOf(ctx, rs.story.ID); err == nil {
		t.Error("the deleted reply still exists")
	}
	_, page = rs.get(admin, "/admin/notices/"+id)
	wantIn(t, "the notice of a deleted reply", page, "Deleted")
}
