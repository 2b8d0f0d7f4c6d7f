package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// noticeForm is a filled notice about path.
func noticeForm(path string) url.Values {
	return url.Values{"url": {testBase + path}, "reason": {models.NoticeDefamation}, "explanation": {"The story accuses me of theft."},
		"name": {"Paul Martin"}, "email": {"paul@example.org"}, "good_faith": {"1"}}
}

// TestNoticeLinksAndForm: a story and its comments link to the notice
// form with their exact address, which the form shows filled in.
func TestNoticeLinksAndForm(t *testing.T) {
	cs := newSite(t, withComments())
	c, err := cs.store.AddComment(context.Background(), models.CommentInput{StoryID: cs.story.ID, AuthorName: "Guest",
		AuthorEmail: "g@example.org", Body: "Same for me.", Status: models.CommentApproved})
	check(t, err)
	_, page := cs.get(guest(), "/stories/"+cs.story.Slug)
	storyURL := testBase + "/stories/" + cs.story.Slug
	wantIn(t, "story page", page, `href="/notice?url=https%3a%2f%2fdoleances.example%2fstories%2f`+cs.story.Slug+`"`,
		fmt.Sprintf(`href="/notice?url=%%2fstories%%2f%s%%23comment-%d"`, cs.story.Slug, c.ID), `href="/legal/terms"`, `href="/transparency"`)
	res, form := cs.get(guest(), "/notice?url="+url.QueryEscape(fmt.Sprintf("/stories/%s#comment-%d", cs.story.Slug, c.ID)))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("form: %d", res.StatusCode)
	}
	wantIn(t, "the form", form, fmt.Sprintf(`value="%s#comment-%d"`, storyURL, c.ID), "child sexual abuse material, which the law lets you send anonymously",
		`name="good_faith"`)
	_, form = cs.get(cs.signIn(cs.readers[0]), "/notice?url=/stories/"+cs.story.Slug)
	wantIn(t, "the form, signed in", form, `value="Paul Martin"`)
}

// TestNoticeBadInput: addresses not ours, missing identity, header and
// HTML injection: a 422 with the message and the text kept; nothing filed.
func TestNoticeBadInput(t *testing.T) {
	cs := newSite(t, withComments())
	path := "/stories/" + cs.story.Slug
	cases := []struct {
		name, field, value, msg string
	}{
		{"another site", "url", "https://evil.example" + path, "not an address of this site"},
		{"same path, other scheme-less host", "url", "//evil.example" + path, "not an address of this site"},
		{"javascript", "url", "javascript:alert(1)", "not an address of this site"},
		{"a page that is not a story", "url", testBase + "/category/telecom", "not an address of this site"},
		{"a story that does not exist", "url", testBase + "/stories/nope", "No story or comment (or company reply) of this site is at this address"},
		{"a comment that does not exist", "url", testBase + path + "#comment-9999", "No story or comment"},
		{"a draft", "url", testBase + "/stories/" + cs.mustSlug(draftOf(t, cs)), "No story or comment"},
		{"no name", "name", "", "Give your name"},
		{"header injection", "email", "paul@example.org\r\nBcc: all@example.org", "not an email address"},
		{"no good faith", "good_faith", "", "in good faith"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := noticeForm(path)
			f.Set("explanation", "<script>alert(1)</script> kept text")
			f.Set(tc.field, tc.value)
			cs.clock.add(time.Minute) // past the rate limit, which counts refused notices too
			res, body := cs.do(guest(), http.MethodPost, "/notice", f)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.StatusCode)
			}
			wantIn(t, tc.name, body, tc.msg, "&lt;script&gt;alert(1)&lt;/script&gt; kept text")
			if strings.Contains(body, "<script>alert(1)") {
				t.Error("the explanation is not escaped")
			}
		})
	}
	if ns, _ := cs.store.Notices(context.Background(), ""); len(ns) != 0 {
		t.Errorf("refused notices were filed: %d", len(ns))
	}
}

// draftOf saves a draft by the site's author and returns its id.
func draftOf(t *testing.T, cs *testSite) uint {
	st, err := cs.store.CreateStory(context.Background(), models.StoryInput{Title: "Secret", Body: "x", AuthorID: cs.author.ID})
	check(t, err)
	return st.ID
}

// TestNoticeFlood: past the rate, a 429 that gives the form back, and the
// rest of the site still answers.
func TestNoticeFlood(t *testing.T) {
	cs := newSite(t, withComments())
	path := "/stories/" + cs.story.Slug
	for i := range 5 {
		res, body := cs.do(guest(), http.MethodPost, "/notice", noticeForm(path))
		if res.StatusCode != http.StatusCreated || !strings.Contains(body, "Its reference is") {
			t.Fatalf("notice %d: %d", i+1, res.StatusCode)
		}
	}
	f := noticeForm(path)
	f.Set("explanation", "The sixth one, kept.")
	res, body := cs.do(guest(), http.MethodPost, "/notice", f)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth notice: %d", res.StatusCode)
	}
	wantIn(t, "429", body, "Too many notices", "The sixth one, kept.")
	if res, _ := cs.get(guest(), path); res.StatusCode != http.StatusOK {
		t.Errorf("the story after the flood: %d", res.StatusCode)
	}
	cs.clock.add(time.Minute)
	if res, _ := cs.do(guest(), http.MethodPost, "/notice", f); res.StatusCode != http.StatusCreated {
		t.Errorf("a minute later: %d", res.StatusCode)
	}
}

var refRe = regexp.MustCompile(`N-\d{4}-(\d+)`)

// TestNoticeDecisionFlow: a notice, the admin's redaction, the redacted
// story, the author's appeal (once), the audit log, the transparency page
// and the author's export.
func TestNoticeDecisionFlow(t *testing.T) {
	cs := newSite(t, withComments())
	ctx := context.Background()
	_, err := cs.store.UpdateStory(ctx, cs.story.ID, cs.author.ID, models.StoryInput{Title: cs.story.Title,
		Body: "Orange cut my line.\n\nThe manager, Mr Dupont, is a crook.\n\nIt took a month."})
	check(t, err)
	path := "/stories/" + cs.story.Slug
	f := noticeForm(path)
	f.Set("name", `<b>Paul</b>`)
	_, body := cs.do(guest(), http.MethodPost, "/notice", f)
	m := refRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no reference in %.500s", mainOf(body))
	}
	id := strings.TrimLeft(m[1], "0")
	wantMail(t, cs, "paul@example.org", "Notice "+m[0]+" received")
	admin := cs.signIn(cs.admin)
	_, page := cs.get(admin, "/admin/notices")
	wantIn(t, "list", page, m[0], "open", "Defamation")
	_, page = cs.get(admin, "/admin/notices/"+id)
	wantIn(t, "notice page", page, "&lt;b&gt;Paul&lt;/b&gt;", "Mr Dupont, is a crook", `action="/admin/notices/`+id+`/decide"`)

	res, page := cs.do(admin, http.MethodPost, "/admin/notices/"+id+"/decide", url.Values{"decision": {"redact"}, "passage": {"Mr Dupont, is a thief"}, "reasons": {"Unproven accusation."}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a passage not in the text: %d", res.StatusCode)
	}
	wantIn(t, "refused decision", page, "This passage is not in the story", "Unproven accusation.")
	res, _ = cs.do(admin, http.MethodPost, "/admin/notices/"+id+"/decide", url.Values{"decision": {"redact"}, "passage": {"Mr Dupont, is a crook"}, "reasons": {"Unproven accusation."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("redact: %d", res.StatusCode)
	}
	wantMail(t, cs, "paul@example.org", "Decision on notice "+m[0], "Passage removed", "Unproven accusation.")
	_, page = cs.get(guest(), path)
	wantIn(t, "redacted story", page, "The manager, [passage removed on 1 March 2026 after a notice].", "It took a month.")
	if strings.Contains(page, "crook") {
		t.Error("the passage is still public")
	}
	res, page = cs.do(admin, http.MethodPost, "/admin/notices/"+id+"/decide", url.Values{"decision": {"keep"}, "reasons": {"Again."}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(page, "decided meanwhile") {
		t.Errorf("deciding twice: %d", res.StatusCode)
	}

	author := cs.signIn(cs.author)
	_, page = cs.get(author, "/me")
	wantIn(t, "/me", page, "Passage removed", "Unproven accusation.", "Mr Dupont, is a crook", `action="/me/notices/`+id+`/appeal"`)
	if strings.Contains(page, "paul@example.org") {
		t.Error("the author sees the notifier's email")
	}
	res, _ = cs.do(author, http.MethodPost, "/me/notices/"+id+"/appeal", url.Values{"appeal": {"He was convicted."}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("appeal: %d", res.StatusCode)
	}
	res, page = cs.do(author, http.MethodPost, "/me/notices/"+id+"/appeal", url.Values{"appeal": {"Twice!"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(page, "appealed only once") {
		t.Errorf("second appeal: %d", res.StatusCode)
	}

	_, page = cs.get(admin, "/admin/audit")
	wantIn(t, "audit", page, "notice.decision", "notice.appeal", "redact: Unproven accusation.")
	_, page = cs.get(guest(), "/transparency")
	wantIn(t, "transparency", page, "<h2>2026</h2>", "1 notice</strong>", "Passage removed</th><td>1</td>")

	res, raw := cs.get(author, "/me/export")
	if cd := res.Header.Get("Content-Disposition"); res.StatusCode != http.StatusOK || !strings.HasPrefix(cd, "attachment") {
		t.Fatalf("export: %d %q", res.StatusCode, cd)
	}
	var x models.UserExport
	check(t, json.Unmarshal([]byte(raw), &x))
	if len(x.Stories) != 1 || !strings.Contains(x.Stories[0].Original, "[passage removed") || len(x.Notices) != 1 || x.Notices[0].Email != "" {
		t.Errorf("export: %.1000s", raw)
	}
}

// TestDecisionOnStoryDeletedMeanwhile: a clear message, the form kept, no 500.
func TestDecisionOnStoryDeletedMeanwhile(t *testing.T) {
	cs := newSite(t, withComments())
	_, body := cs.do(guest(), http.MethodPost, "/notice", noticeForm("/stories/"+cs.story.Slug))
	id := strings.TrimLeft(refRe.FindStringSubmatch(body)[1], "0")
	check(t, cs.store.DeleteStory(context.Background(), cs.story.ID, cs.author.ID))
	admin := cs.signIn(cs.admin)
	_, page := cs.get(admin, "/admin/notices/"+id)
	wantIn(t, "notice page", page, "no longer exists")
	res, page := cs.do(admin, http.MethodPost, "/admin/notices/"+id+"/decide", url.Values{"decision": {"delete"}, "reasons": {"Defamatory."}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	wantIn(t, "refusal", page, "deleted after the notice was filed", "Defamatory.")
}

// TestLegalPages: defaults with the operator's blanks marked, edited by
// admins, with the form kept on a refusal.
func TestLegalPages(t *testing.T) {
	cs := newSite(t, withComments())
	_, page := cs.get(guest(), "/legal/legal-notice")
	wantIn(t, "default legal notice", page, "[TO FILL IN: the operator", "Host")
	if res, _ := cs.get(guest(), "/legal/nope"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown legal page: %d", res.StatusCode)
	}
	admin := cs.signIn(cs.admin)
	res, page := cs.do(admin, http.MethodPost, "/admin/legal/terms", url.Values{"title": {""}, "body": {"Kept *text*."}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Kept *text*.") {
		t.Fatalf("no title: %d", res.StatusCode)
	}
	res, _ = cs.do(admin, http.MethodPost, "/admin/legal/terms", url.Values{"title": {"Rules"}, "body": {"Call 01 23 45 67 89 <script>x</script>."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	_, page = cs.get(guest(), "/legal/terms")
	wantIn(t, "edited terms", page, "<h1>Rules</h1>", "Call 01 23 45 67 89") // the operator's number is meant to be shown
	if strings.Contains(page, "<script>x") {
		t.Error("raw HTML in a legal page")
	}
}

// TestHostileNoticeFields: hostile text in every field of a notice, a
// decision, an appeal and a legal page comes back as text on every page
// that shows it, never active.
func TestHostileNoticeFields(t *testing.T) {
	cs := newSite(t, withComments())
	admin, author := cs.signIn(cs.admin), cs.signIn(cs.author)
	ctx := context.Background()
	_, err := cs.store.UpdateStory(ctx, cs.story.ID, cs.author.ID, models.StoryInput{Title: cs.story.Title, Body: "Start. " + hostile("Qstory") + " End."})
	check(t, err)
	f := noticeForm("/stories/" + cs.story.Slug)
	f.Set("name", "Qname <b>x</b>")
	f.Set("explanation", hostile("Qexplanation"))
	res, body := cs.do(guest(), http.MethodPost, "/notice", f)
	wantCode(t, res, body, http.StatusCreated)
	checkInert(t, "acknowledgement", body, nil)
	reasons, passage := hostile("Qreasons"), hostile("Qstory")
	res, body = cs.do(admin, http.MethodPost, "/admin/notices/1/decide", url.Values{"decision": {"redact"}, "passage": {passage}, "reasons": {reasons}})
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.do(author, http.MethodPost, "/me/notices/1/appeal", url.Values{"appeal": {hostile("Qappeal")}})
	wantCode(t, res, body, http.StatusOK)
	res, body = cs.do(admin, http.MethodPost, "/admin/legal/privacy", url.Values{"title": {"Qlegal <i>t</i>"}, "body": {hostileMarkdown}})
	wantCode(t, res, body, http.StatusSeeOther)
	checkHostilePage(t, cs, admin, "/admin/notices/1", []string{"Qname", "Qexplanation", "Qreasons", "Qappeal", "Qstory"})
	checkHostilePage(t, cs, admin, "/admin/notices", nil)
	checkHostilePage(t, cs, admin, "/admin/audit", []string{"Qreasons", "Qappeal"})
	checkHostilePage(t, cs, author, "/me", []string{"Qreasons", "Qstory"})
	checkHostilePage(t, cs, guest(), "/stories/"+cs.story.Slug, []string{"passage removed"})
	checkHostilePage(t, cs, guest(), "/legal/privacy", []string{"Qlegal", "Qbody"})
	checkHostilePage(t, cs, admin, "/admin/legal/privacy", []string{"Qlegal"})
}

// wantMail finds in the outbox a mail to addr with subject, holding parts.
func wantMail(t *testing.T, cs *testSite, to, subject string, parts ...string) {
	t.Helper()
	ms, err := cs.store.Outbox(context.Background(), 50)
	check(t, err)
	for _, m := range ms {
		if m.To == to && m.Subject == subject {
			wantIn(t, "mail "+subject, m.Text, parts...)
			return
		}
	}
	t.Errorf("no mail to %s with subject %q among %d", to, subject, len(ms))
}
