package models

import (
	"context"
	"testing"
	"time"
)

// TestStoryViewersAnswerAsTheQueries: a story's held posters and reactors
// say for each viewer what HasHeldComments and OwnReactions say, or that
// they do not know once there are more than they keep.
func TestStoryViewersAnswerAsTheQueries(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	rita, sam, lou := newUser(t, s, "rita", RoleReader), newUser(t, s, "sam", RoleReader), newUser(t, s, "lou", RoleReader)
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "Box", time.Time{})
	token := NewGuestToken()
	for _, p := range []CommentPost{userPost(st.ID, sam, "approved"), userPost(st.ID, rita, "https://a.x https://b.x https://c.x"),
		guestPost(st.ID, "1.2.3.4", "g@example.com", "guest held")} {
		if p.Poster.UserID == nil {
			p.Poster.GuestToken = token
		}
		clock.Add(FloodInterval)
		_, _, err := s.PostComment(ctx, p)
		must(t, err)
	}
	for _, r := range []func() (Reaction, error){
		func() (Reaction, error) { return s.ToggleLike(ctx, st.ID, sam.ID) },
		func() (Reaction, error) { return s.ToggleMeToo(ctx, st.ID, rita.ID) },
		func() (Reaction, error) { return s.ToggleLike(ctx, st.ID, lou.ID) },
		func() (Reaction, error) { return s.ToggleMeToo(ctx, st.ID, lou.ID) },
	} {
		_, err := r()
		must(t, err)
	}
	viewers := []Viewer{{}, {UserID: &rita.ID}, {UserID: &sam.ID}, {UserID: &lou.ID}, {GuestToken: token},
		{GuestToken: NewGuestToken()}, {UserID: &sam.ID, GuestToken: token}}
	defer func(n int) { maxStoryViewers = n }(maxStoryViewers)
	for _, keep := range []int{maxStoryViewers, 1} {
		maxStoryViewers = keep
		held, err := s.HeldPostersOf(ctx, st.ID)
		must(t, err)
		who, err := s.ReactorsOf(ctx, st.ID)
		must(t, err)
		for _, v := range viewers {
			want, err := s.HasHeldComments(ctx, st.ID, v)
			must(t, err)
			if got, known := held.Holds(v); known != (keep > 1) || known && got != want {
				t.Errorf("keeping %d, held comments of %+v: %v (known %v), want %v", keep, v, got, known, want)
			}
			if v.UserID == nil {
				continue
			}
			liked, meToo, err := s.OwnReactions(ctx, st.ID, *v.UserID)
			must(t, err)
			if l, m, known := who.Of(*v.UserID); known != (keep > 1) || known && (l != liked || m != meToo) {
				t.Errorf("keeping %d, reactions of user %d: %v %v (known %v), want %v %v", keep, *v.UserID, l, m, known, liked, meToo)
			}
		}
	}
}
