package models

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestEditWindow(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	rita, sam := newUser(t, s, "rita", RoleReader), newUser(t, s, "sam", RoleReader)
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "Box", time.Time{})
	c, _, err := s.PostComment(ctx, userPost(st.ID, rita, "first *draft*"))
	if err != nil {
		t.Fatal(err)
	}
	rules := ModerationRules{HoldWords: []string{"casino"}}
	clock.Add(10 * time.Minute)
	got, err := s.EditComment(ctx, c.ID, rita.ID, "second **take**", rules)
	if err != nil || got.Body != "second **take**" || got.HTML != "<p>second <strong>take</strong></p>\n" || got.Status != CommentApproved {
		t.Errorf("edit within the window: %+v, %v", got, err)
	}
	if _, err := s.EditComment(ctx, c.ID, sam.ID, "mine now", rules); !errors.Is(err, ErrForbidden) {
		t.Errorf("edit by another user: %v", err)
	}
	var ve *ValidationError
	if _, err := s.EditComment(ctx, c.ID, rita.ID, " ", rules); !errors.As(err, &ve) || ve.Fields["body"] == "" {
		t.Errorf("edit to empty: %v", err)
	}
	// An edit that trips the rules holds the comment again, and it leaves the count.
	if got, err = s.EditComment(ctx, c.ID, rita.ID, "try the casino", rules); err != nil || got.Status != CommentPending {
		t.Errorf("edit with a hold word: %+v, %v", got, err)
	}
	if n := storyCommentCount(t, s, st.ID); n != 0 {
		t.Errorf("count after a held edit: %d", n)
	}
	clock.Add(5*time.Minute + time.Second)
	if _, err := s.EditComment(ctx, c.ID, rita.ID, "too late", rules); !errors.Is(err, ErrEditWindowClosed) || !errors.Is(err, ErrConflict) {
		t.Errorf("edit after 15 minutes: %v", err)
	}
	if _, err := s.EditComment(ctx, 9999, rita.ID, "x", rules); !errors.Is(err, ErrNotFound) {
		t.Errorf("edit of no comment: %v", err)
	}
}

func TestDeleteComment(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	ana := newUser(t, s, "ana", RoleAuthor)
	rita, sam := newUser(t, s, "rita", RoleReader), newUser(t, s, "sam", RoleReader)
	admin := newUser(t, s, "root", RoleAdmin)
	st := newStory(t, s, ana, "Box", time.Time{})
	post := func(u *User, parent *Comment, body string) *Comment {
		t.Helper()
		clock.Add(FloodInterval)
		p := userPost(st.ID, u, body)
		if parent != nil {
			p.ParentID = &parent.ID
		}
		c, _, err := s.PostComment(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	top := post(rita, nil, "top")
	reply := post(sam, top, "reply")
	lone := post(rita, nil, "lone")
	if err := s.DeleteComment(ctx, top.ID, sam.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("delete by another reader: %v", err)
	}
	if err := s.DeleteComment(ctx, lone.ID, rita.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteComment(ctx, top.ID, rita.ID); err != nil {
		t.Fatal(err)
	}
	cs, err := s.CommentsFor(ctx, st.ID, Viewer{})
	if err != nil || len(cs) != 2 || cs[0].ID != top.ID || !cs[0].Deleted || cs[0].Body != "" || cs[0].HTML != "" ||
		cs[0].AuthorName != "" || cs[0].UserID != nil || cs[1].ID != reply.ID {
		t.Fatalf("thread after deleting a comment with a reply: %+v, %v", cs, err)
	}
	if n := storyCommentCount(t, s, st.ID); n != 1 {
		t.Errorf("count %d, want 1", n)
	}
	if err := s.DeleteComment(ctx, top.ID, rita.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	// The last reply gone, the emptied parent goes too.
	if err := s.DeleteComment(ctx, reply.ID, sam.ID); err != nil {
		t.Fatal(err)
	}
	var rows int64
	s.r.Model(&Comment{}).Where("story_id = ?", st.ID).Count(&rows)
	if rows != 0 || storyCommentCount(t, s, st.ID) != 0 {
		t.Errorf("%d rows left", rows)
	}
	// The story's author and admins may delete others' comments, guests' too.
	clock.Add(FloodInterval)
	g, _, err := s.PostComment(ctx, guestPost(st.ID, "1.2.3.4", "g@example.com", "guest"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteComment(ctx, g.ID, ana.ID); err != nil {
		t.Errorf("story author deletes: %v", err)
	}
	x := post(sam, nil, "x")
	if err := s.DeleteComment(ctx, x.ID, admin.ID); err != nil {
		t.Errorf("admin deletes: %v", err)
	}
	// An emptied comment whose replies are no longer shown is not shown either.
	top = post(rita, nil, "top again")
	reply = post(sam, top, "reply again")
	if err := s.DeleteComment(ctx, top.ID, rita.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ModerateComments(ctx, admin.ID, []uint{reply.ID}, ActionTrash); err != nil {
		t.Fatal(err)
	}
	if cs, err := s.CommentsFor(ctx, st.ID, Viewer{}); err != nil || len(cs) != 0 {
		t.Errorf("thread after trashing the only reply of an emptied comment: %+v, %v", cs, err)
	}
}

func TestHeldCommentVisibleToItsWriterAlone(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	rita, sam := newUser(t, s, "rita", RoleReader), newUser(t, s, "sam", RoleReader)
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "Box", time.Time{})
	token, other := NewGuestToken(), NewGuestToken()
	post := func(p CommentPost) *Comment {
		t.Helper()
		clock.Add(FloodInterval)
		c, _, err := s.PostComment(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	approved := post(userPost(st.ID, sam, "approved"))
	gp := guestPost(st.ID, "1.2.3.4", "g@example.com", "guest held")
	gp.Poster.GuestToken = token
	guestHeld := post(gp)
	noToken := post(guestPost(st.ID, "1.2.3.5", "h@example.com", "guest held, no token"))
	ritaHeld := post(userPost(st.ID, rita, "https://a.x https://b.x https://c.x"))
	if guestHeld.Status != CommentPending || ritaHeld.Status != CommentPending || noToken.Status != CommentPending {
		t.Fatal("comments not held")
	}
	for name, tc := range map[string]struct {
		v    Viewer
		want []uint
	}{
		"anonymous":       {Viewer{}, []uint{approved.ID}},
		"guest writer":    {Viewer{GuestToken: token}, []uint{approved.ID, guestHeld.ID}},
		"other guest":     {Viewer{GuestToken: other}, []uint{approved.ID}},
		"short token":     {Viewer{GuestToken: "x"}, []uint{approved.ID}},
		"signed-in rita":  {Viewer{UserID: &rita.ID}, []uint{approved.ID, ritaHeld.ID}},
		"signed-in sam":   {Viewer{UserID: &sam.ID}, []uint{approved.ID}},
		"rita with token": {Viewer{UserID: &rita.ID, GuestToken: token}, []uint{approved.ID, guestHeld.ID, ritaHeld.ID}},
	} {
		before := queries(s)
		cs, err := s.CommentsFor(ctx, st.ID, tc.v)
		if n := queries(s) - before; n != 2 {
			t.Errorf("%s: %d queries, want 2", name, n)
		}
		var got []uint
		for _, c := range cs {
			got = append(got, c.ID)
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s sees %v, want %v (%v)", name, got, tc.want, err)
		}
	}
}

func TestHasHeldComments(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	author, reader := newUser(t, s, "ada", RoleAuthor), newUser(t, s, "bob", RoleAuthor)
	st := newStory(t, s, author, "A story", time.Time{})
	if _, err := s.AddComment(ctx, CommentInput{StoryID: st.ID, UserID: &reader.ID, AuthorName: "Bob", Body: "Held.", Status: CommentPending}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		v    Viewer
		want bool
	}{{Viewer{UserID: &reader.ID}, true}, {Viewer{UserID: &author.ID}, false}, {Viewer{}, false}, {Viewer{GuestToken: NewGuestToken()}, false}} {
		if got, err := s.HasHeldComments(ctx, st.ID, tt.v); err != nil || got != tt.want {
			t.Errorf("HasHeldComments(%+v) = %v, %v; want %v", tt.v, got, err, tt.want)
		}
	}
}
