package models

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// noticeFixture is a published story by an author, an admin, and a valid notice input.
func noticeFixture(t *testing.T) (*Store, *testClock, *User, *User, *Story, NoticeInput) {
	t.Helper()
	s, clock := newTestStore(t)
	author := newUser(t, s, "writer", RoleAuthor)
	admin := newUser(t, s, "boss", RoleAdmin)
	st, err := s.CreateStory(context.Background(), StoryInput{Title: "Bad bank", AuthorID: author.ID, Status: StatusPublished,
		Body: "The bank lost my file.\n\nThe adviser, Mr Martin, is a thief.\n\nThey refunded me later."})
	if err != nil {
		t.Fatal(err)
	}
	in := NoticeInput{URL: "http://x/stories/" + st.Slug, Slug: st.Slug, Reason: NoticeDefamation,
		Explanation: "I am Mr Martin; I stole nothing.", Name: "Paul Martin", Email: "paul@example.org", GoodFaith: true}
	return s, clock, author, admin, st, in
}

func TestFileNoticeRules(t *testing.T) {
	s, _, _, _, st, good := noticeFixture(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		edit  func(*NoticeInput)
		field string
	}{
		{"unknown story", func(in *NoticeInput) { in.Slug = "nope" }, "url"},
		{"unknown comment", func(in *NoticeInput) { in.CommentID = 999 }, "url"},
		{"no reason", func(in *NoticeInput) { in.Reason = "boring" }, "reason"},
		{"no explanation", func(in *NoticeInput) { in.Explanation = "  " }, "explanation"},
		{"anonymous defamation", func(in *NoticeInput) { in.Name = "" }, "name"},
		{"no email", func(in *NoticeInput) { in.Email = "" }, "email"},
		{"header injection in email", func(in *NoticeInput) { in.Email = "a@example.org\r\nBcc: x@example.org" }, "email"},
		{"display-name email", func(in *NoticeInput) { in.Email = "Paul <paul@example.org>" }, "email"},
		{"no good faith", func(in *NoticeInput) { in.GoodFaith = false }, "good_faith"},
		{"bidi name", func(in *NoticeInput) { in.Name = "Paul\u202eMartin" }, "name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := good
			tc.edit(&in)
			_, err := s.FileNotice(ctx, in)
			if f := fieldsOf(err); f[tc.field] == "" {
				t.Errorf("err = %v, want a message on %s", err, tc.field)
			}
		})
	}
	// Child sexual abuse material may be notified anonymously.
	anon := good
	anon.Reason, anon.Name, anon.Email = NoticeChildAbuse, "", ""
	n, err := s.FileNotice(ctx, anon)
	if err != nil || n.State != NoticeOpen || n.StoryID != st.ID || n.AuthorID != st.AuthorID {
		t.Fatalf("anonymous CSAM notice: %+v, %v", n, err)
	}
	if !strings.HasPrefix(n.Ref(), "N-2026-") {
		t.Errorf("ref %q", n.Ref())
	}
}

// TestRedactAppealOnce: a redaction replaces the exact passage, the rest
// stays, the author appeals once (a second time is refused), and
// reversing puts the passage back.
func TestRedactAppealOnce(t *testing.T) {
	s, _, author, admin, st, in := noticeFixture(t)
	ctx := context.Background()
	n, err := s.FileNotice(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.DecideNotice(ctx, admin.ID, n.ID, DecisionInput{Kind: DecisionRedact, Reasons: "An accusation of a crime without proof.", Passage: "not there"})
	if fieldsOf(err)["passage"] == "" {
		t.Fatalf("a passage not in the text: %v", err)
	}
	if _, err := s.DecideNotice(ctx, author.ID, n.ID, DecisionInput{Kind: DecisionKeep, Reasons: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("the author decided: %v", err)
	}
	d, err := s.DecideNotice(ctx, admin.ID, n.ID, DecisionInput{Kind: DecisionRedact, Reasons: "An accusation of a crime without proof.", Passage: "Mr Martin, is a thief"})
	if err != nil || d.State != NoticeDecided {
		t.Fatalf("redact: %+v, %v", d, err)
	}
	got, _ := s.StoryForEdit(ctx, st.ID, author.ID)
	mark := RedactionMark(*d.DecidedAt)
	if !strings.Contains(got.HTML, "The adviser, "+mark+".") || !strings.Contains(got.HTML, "They refunded me later.") || strings.Contains(got.Body, "thief") {
		t.Errorf("redacted story: %s", got.HTML)
	}
	if _, err := s.DecideNotice(ctx, admin.ID, n.ID, DecisionInput{Kind: DecisionKeep, Reasons: "again"}); !errors.Is(err, ErrAlreadyDecided) {
		t.Errorf("decided twice: %v", err)
	}
	if err := s.AppealNotice(ctx, admin.ID, n.ID, "not mine"); !errors.Is(err, ErrNotFound) {
		t.Errorf("someone else appealed: %v", err)
	}
	if err := s.AppealNotice(ctx, author.ID, n.ID, "He is, I have the judgment."); err != nil {
		t.Fatal(err)
	}
	if err := s.AppealNotice(ctx, author.ID, n.ID, "Again!"); !errors.Is(err, ErrAlreadyAppealed) {
		t.Errorf("second appeal: %v", err)
	}
	if _, err := s.DecideAppeal(ctx, admin.ID, n.ID, AppealReversed, "The judgment is public."); err != nil {
		t.Fatal(err)
	}
	got, _ = s.StoryForEdit(ctx, st.ID, author.ID)
	if !strings.Contains(got.Body, "Mr Martin, is a thief") || strings.Contains(got.Body, "removed") {
		t.Errorf("reversed: %q", got.Body)
	}
	if err := s.AppealNotice(ctx, author.ID, n.ID, "And again"); !errors.Is(err, ErrAlreadyAppealed) {
		t.Errorf("appeal after the appeal's decision: %v", err)
	}
}

// TestDecisionOnDeletedStory: the story was deleted after the notice:
// acting on it is a message, keeping it closes the notice.
func TestDecisionOnDeletedStory(t *testing.T) {
	s, _, author, admin, st, in := noticeFixture(t)
	ctx := context.Background()
	n, err := s.FileNotice(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteStory(ctx, st.ID, author.ID); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{DecisionRedact, DecisionUnpublish, DecisionDelete} {
		_, err := s.DecideNotice(ctx, admin.ID, n.ID, DecisionInput{Kind: kind, Reasons: "r", Passage: "thief"})
		if !strings.Contains(fieldsOf(err)["decision"], "deleted after the notice") {
			t.Errorf("%s on a deleted story: %v", kind, err)
		}
	}
	if _, err := s.DecideNotice(ctx, admin.ID, n.ID, DecisionInput{Kind: DecisionKeep, Reasons: "Already deleted by its author."}); err != nil {
		t.Errorf("keep: %v", err)
	}
}

func TestUnpublishAndDeleteComment(t *testing.T) {
	s, _, _, admin, st, in := noticeFixture(t)
	ctx := context.Background()
	reader := newUser(t, s, "reader", RoleReader)
	c, err := s.AddComment(ctx, CommentInput{StoryID: st.ID, UserID: &reader.ID, AuthorName: "R", Body: "Call him 06 12 34 56 78", Status: CommentApproved})
	if err != nil {
		t.Fatal(err)
	}
	in.CommentID, in.Reason = c.ID, NoticePersonalData
	n, err := s.FileNotice(ctx, in)
	if err != nil || n.AuthorID != reader.ID {
		t.Fatalf("notice about a comment: %+v %v", n, err)
	}
	if _, err := s.DecideNotice(ctx, admin.ID, n.ID, DecisionInput{Kind: DecisionUnpublish, Reasons: "A phone number."}); err != nil {
		t.Fatal(err)
	}
	cs, _ := s.Comments(ctx, st.ID)
	if len(cs) != 0 {
		t.Errorf("the comment is still shown: %+v", cs)
	}
	if ns, err := s.NoticesAbout(ctx, reader.ID); err != nil || len(ns) != 1 || ns[0].Reasons != "A phone number." {
		t.Errorf("the author's notices: %+v %v", ns, err)
	}
}

// TestAuditLogAppendOnly: decisions and moderation actions are logged, and
// the database refuses to change or delete a line.
func TestAuditLogAppendOnly(t *testing.T) {
	s, _, author, admin, st, in := noticeFixture(t)
	ctx := context.Background()
	n, _ := s.FileNotice(ctx, in)
	if _, err := s.DecideNotice(ctx, admin.ID, n.ID, DecisionInput{Kind: DecisionKeep, Reasons: "Opinion, not fact."}); err != nil {
		t.Fatal(err)
	}
	c, _ := s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "G", AuthorEmail: "g@example.org", Body: "hi", Status: CommentPending})
	if _, err := s.ModerateComments(ctx, admin.ID, []uint{c.ID}, "spam"); err != nil {
		t.Fatal(err)
	}
	if err := s.PromoteUser(ctx, admin.ID, author.ID, RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := s.SendBack(ctx, st.ID, admin.ID, "Add the dates."); err != nil {
		t.Fatal(err)
	}
	es, err := s.AuditLog(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range es {
		actions = append(actions, e.Action+"|"+e.Target+"|"+e.ActorName)
	}
	want := []string{"story.send-back|story 1|BOSS", "user.role|user 1|BOSS", "comment.spam|comments 1|BOSS", "notice.decision|notice 1, story 1|BOSS"}
	if strings.Join(actions, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant\n%s", strings.Join(actions, "\n"), strings.Join(want, "\n"))
	}
	if err := s.w.Exec("UPDATE audit_entries SET detail = 'x'").Error; err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("update: %v", err)
	}
	if err := s.w.Exec("DELETE FROM audit_entries").Error; err == nil {
		t.Error("delete allowed")
	}
}

func TestTransparency(t *testing.T) {
	s, clock, _, admin, _, in := noticeFixture(t)
	ctx := context.Background()
	var ids []uint
	for _, reason := range []string{NoticeDefamation, NoticeDefamation, NoticeHate} {
		in.Reason = reason
		n, err := s.FileNotice(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, n.ID)
	}
	for i, id := range ids {
		clock.Add(time.Duration(i+1) * time.Hour) // handled in 1 h, 3 h, 6 h
		if _, err := s.DecideNotice(ctx, admin.ID, id, DecisionInput{Kind: DecisionKeep, Reasons: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	reps, err := s.Transparency(ctx)
	if err != nil || len(reps) != 1 {
		t.Fatalf("%+v %v", reps, err)
	}
	r := reps[0]
	if r.Year != 2026 || r.Notices != 3 || r.ByReason[0] != (Count{NoticeDefamation, 2}) || r.ByReason[3] != (Count{NoticeHate, 1}) ||
		r.Decisions[0] != (Count{DecisionKeep, 3}) || r.MedianHandled != 3*time.Hour {
		t.Errorf("report %+v", r)
	}
}
