package models

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestReports(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	ana := newUser(t, s, "ana", RoleAuthor)
	rita, sam := newUser(t, s, "rita", RoleReader), newUser(t, s, "sam", RoleReader)
	admin := newUser(t, s, "root", RoleAdmin)
	st := newStory(t, s, ana, "Box", time.Time{})
	c, _, err := s.PostComment(ctx, userPost(st.ID, sam, "my phone number is 06..."))
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(FloodInterval)
	held, _, err := s.PostComment(ctx, guestPost(st.ID, "1.2.3.4", "g@example.com", "held"))
	if err != nil {
		t.Fatal(err)
	}
	// The story ID of a comment report comes from the comment, whatever is sent.
	r, err := s.Report(ctx, rita.ID, ReportTarget{StoryID: 9999, CommentID: c.ID}, ReasonPrivate)
	if err != nil || r.StoryID != st.ID || r.Status != ReportOpen {
		t.Fatalf("report a comment: %+v, %v", r, err)
	}
	if _, err := s.Report(ctx, rita.ID, ReportTarget{CommentID: c.ID}, ReasonAbuse); !errors.Is(err, ErrAlreadyReported) || !errors.Is(err, ErrConflict) {
		t.Errorf("second report of the same comment: %v", err)
	}
	if _, err := s.Report(ctx, sam.ID, ReportTarget{CommentID: c.ID}, ReasonSpam); err != nil {
		t.Errorf("another reader reports it: %v", err)
	}
	if _, err := s.Report(ctx, rita.ID, ReportTarget{StoryID: st.ID}, ReasonSpam); err != nil {
		t.Errorf("report the story: %v", err)
	}
	var ve *ValidationError
	for name, err := range map[string]error{
		"held comment": func() error {
			_, err := s.Report(ctx, rita.ID, ReportTarget{CommentID: held.ID}, ReasonSpam)
			return err
		}(),
		"no story":      func() error { _, err := s.Report(ctx, rita.ID, ReportTarget{StoryID: 9999}, ReasonSpam); return err }(),
		"unknown user":  func() error { _, err := s.Report(ctx, 9999, ReportTarget{StoryID: st.ID}, ReasonSpam); return err }(),
		"nothing named": func() error { _, err := s.Report(ctx, rita.ID, ReportTarget{}, ReasonSpam); return err }(),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.Report(ctx, sam.ID, ReportTarget{StoryID: st.ID}, "boring"); !errors.As(err, &ve) || ve.Fields["reason"] == "" {
		t.Errorf("unknown reason: %v", err)
	}

	if _, err := s.OpenReports(ctx, ana.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("an author reads the reports: %v", err)
	}
	before := queries(s)
	open, err := s.OpenReports(ctx, admin.ID)
	if n := queries(s) - before; n != 5 {
		t.Errorf("OpenReports ran %d queries, want 5", n)
	}
	if err != nil || len(open) != 3 || open[0].ID != r.ID || open[0].Comment == nil || open[0].Comment.Body != c.Body ||
		open[0].User.Handle != "rita" || open[0].Story.Title != "Box" || open[2].Comment != nil {
		t.Fatalf("open reports: %+v, %v", open, err)
	}
	if _, err := s.ResolveReport(ctx, ana.ID, r.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("an author resolves: %v", err)
	}
	// Resolving one report closes the other report of the same comment, not the story's.
	if n, err := s.ResolveReport(ctx, admin.ID, r.ID); err != nil || n != 2 {
		t.Errorf("resolve: %d, %v", n, err)
	}
	if open, err = s.OpenReports(ctx, admin.ID); err != nil || len(open) != 1 || open[0].CommentID != 0 {
		t.Errorf("open reports after resolving: %+v, %v", open, err)
	}
	if _, err := s.ResolveReport(ctx, admin.ID, 9999); !errors.Is(err, ErrNotFound) {
		t.Errorf("resolve no report: %v", err)
	}
}
