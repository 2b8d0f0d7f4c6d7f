package models

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// heldGuestComments posts n held comments by new guests on story id.
func heldGuestComments(t *testing.T, s *Store, clock *testClock, id uint, n int) []uint {
	t.Helper()
	var ids []uint
	for i := range n {
		clock.Add(FloodInterval)
		c, held, err := s.PostComment(context.Background(),
			guestPost(id, fmt.Sprint("10.1.", id, ".", i), fmt.Sprintf("g%d-%d@example.com", id, i), "hello"))
		if err != nil || !held {
			t.Fatalf("guest comment: held %v, %v", held, err)
		}
		ids = append(ids, c.ID)
	}
	return ids
}

func TestModerateCommentsKeepsCountsExact(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	ana, bob := newUser(t, s, "ana", RoleAuthor), newUser(t, s, "bob", RoleAuthor)
	admin := newUser(t, s, "root", RoleAdmin)
	st1, st2 := newStory(t, s, ana, "One", time.Time{}), newStory(t, s, bob, "Two", time.Time{})
	a := heldGuestComments(t, s, clock, st1.ID, 5)
	b := heldGuestComments(t, s, clock, st2.ID, 2)

	for i, step := range []struct {
		ids     []uint
		action  string
		changed int
		one     int
		two     int
	}{
		{[]uint{a[0], a[1], a[2], b[0]}, ActionApprove, 4, 3, 1},
		{[]uint{a[0], a[1]}, ActionApprove, 0, 3, 1},                 // already approved
		{[]uint{a[0], a[3]}, ActionSpam, 2, 2, 1},                    // one out of approved, one pending
		{[]uint{a[4], 9999}, ActionTrash, 1, 2, 1},                   // an unknown id is skipped
		{[]uint{a[0], a[3], a[4], b[1]}, ActionApprove, 4, 5, 2},     // back from spam and trash
		{[]uint{a[1], b[0], b[1]}, ActionHold, 3, 4, 0},              // unapprove
		{[]uint{}, ActionTrash, 0, 4, 0},                             // nothing to do
		{[]uint{a[0], a[2], a[3], a[4], b[0]}, ActionTrash, 5, 0, 0}, // all out
	} {
		n, err := s.ModerateComments(ctx, admin.ID, step.ids, step.action)
		if err != nil || n != step.changed {
			t.Errorf("step %d: %d changed, %v; want %d", i, n, err, step.changed)
		}
		if one, two := storyCommentCount(t, s, st1.ID), storyCommentCount(t, s, st2.ID); one != step.one || two != step.two {
			t.Errorf("step %d: counts %d and %d, want %d and %d", i, one, two, step.one, step.two)
		}
	}
	var ve *ValidationError
	if _, err := s.ModerateComments(ctx, admin.ID, a, "delete"); !errors.As(err, &ve) {
		t.Errorf("unknown action: %v", err)
	}
}

func TestModerationRights(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	ana, bob := newUser(t, s, "ana", RoleAuthor), newUser(t, s, "bob", RoleAuthor)
	admin := newUser(t, s, "root", RoleAdmin)
	reader := newUser(t, s, "rita", RoleReader)
	st1, st2 := newStory(t, s, ana, "One", time.Time{}), newStory(t, s, bob, "Two", time.Time{})
	a := heldGuestComments(t, s, clock, st1.ID, 3)
	b := heldGuestComments(t, s, clock, st2.ID, ModerationPageSize+1)

	// An author may act on their own stories' comments only; a mixed batch changes nothing.
	if _, err := s.ModerateComments(ctx, ana.ID, []uint{a[0], b[0]}, ActionApprove); !errors.Is(err, ErrForbidden) {
		t.Errorf("author on another's story: %v", err)
	}
	if _, err := s.ModerateComments(ctx, reader.ID, []uint{a[0]}, ActionApprove); !errors.Is(err, ErrForbidden) {
		t.Errorf("reader: %v", err)
	}
	if n := storyCommentCount(t, s, st1.ID) + storyCommentCount(t, s, st2.ID); n != 0 {
		t.Errorf("a refused batch approved %d comments", n)
	}
	if n, err := s.ModerateComments(ctx, ana.ID, []uint{a[0]}, ActionApprove); err != nil || n != 1 {
		t.Errorf("author on own story: %d, %v", n, err)
	}
	if n, err := s.ModerateComments(ctx, admin.ID, []uint{a[1], b[0]}, ActionSpam); err != nil || n != 2 {
		t.Errorf("admin: %d, %v", n, err)
	}

	q, err := s.ModerationQueue(ctx, ana.ID, "", 1)
	if err != nil || q.Status != CommentPending || q.Counts != (ModerationCounts{Pending: 1, Approved: 1, Spam: 1}) ||
		len(q.Comments) != 1 || q.Comments[0].ID != a[2] || q.Comments[0].Story.Title != "One" {
		t.Errorf("author's queue: %+v, %v", q, err)
	}
	q, err = s.ModerationQueue(ctx, admin.ID, CommentPending, 1)
	if err != nil || q.Counts.Pending != int64(1+len(b)-1) || q.Pages != 2 || len(q.Comments) != ModerationPageSize {
		t.Errorf("admin's queue: %+v, %v", q.Counts, err)
	}
	if q, err = s.ModerationQueue(ctx, admin.ID, CommentPending, 2); err != nil || len(q.Comments) != 1 {
		t.Errorf("admin's queue, page 2: %d, %v", len(q.Comments), err)
	}
	if q, err = s.ModerationQueue(ctx, admin.ID, CommentSpam, 1); err != nil || len(q.Comments) != 2 {
		t.Errorf("spam queue: %d, %v", len(q.Comments), err)
	}
	for name, err := range map[string]error{
		"reader":         func() error { _, err := s.ModerationQueue(ctx, reader.ID, "", 1); return err }(),
		"unknown user":   func() error { _, err := s.ModerationQueue(ctx, 9999, "", 1); return err }(),
		"unknown status": func() error { _, err := s.ModerationQueue(ctx, admin.ID, "hidden", 1); return err }(),
		"page 3":         func() error { _, err := s.ModerationQueue(ctx, admin.ID, "", 3); return err }(),
	} {
		if want := ErrNotFound; name == "reader" && !errors.Is(err, ErrForbidden) || name != "reader" && !errors.Is(err, want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
