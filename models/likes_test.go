package models

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestLikeAndMeTooToggles(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	ana := newUser(t, s, "ana", RoleAuthor)
	rita, sam := newUser(t, s, "rita", RoleReader), newUser(t, s, "sam", RoleReader)
	st := newStory(t, s, ana, "Box", time.Time{})
	draft, err := s.CreateStory(ctx, StoryInput{Title: "Draft", Body: "x", AuthorID: ana.ID})
	if err != nil {
		t.Fatal(err)
	}
	for i, step := range []struct {
		do   func() (Reaction, error)
		want Reaction
	}{
		{func() (Reaction, error) { return s.ToggleLike(ctx, st.ID, rita.ID) }, Reaction{true, 1}},
		{func() (Reaction, error) { return s.ToggleLike(ctx, st.ID, sam.ID) }, Reaction{true, 2}},
		{func() (Reaction, error) { return s.ToggleLike(ctx, st.ID, rita.ID) }, Reaction{false, 1}},
		{func() (Reaction, error) { return s.SetLike(ctx, st.ID, sam.ID, true) }, Reaction{true, 1}},
		{func() (Reaction, error) { return s.SetLike(ctx, st.ID, sam.ID, false) }, Reaction{false, 0}},
		{func() (Reaction, error) { return s.SetLike(ctx, st.ID, sam.ID, false) }, Reaction{false, 0}},
		{func() (Reaction, error) { return s.ToggleMeToo(ctx, st.ID, rita.ID) }, Reaction{true, 1}},
		{func() (Reaction, error) { return s.SetMeToo(ctx, st.ID, rita.ID, true) }, Reaction{true, 1}},
		{func() (Reaction, error) { return s.ToggleMeToo(ctx, st.ID, sam.ID) }, Reaction{true, 2}},
		{func() (Reaction, error) { return s.ToggleMeToo(ctx, st.ID, sam.ID) }, Reaction{false, 1}},
		{func() (Reaction, error) { return s.ToggleLike(ctx, st.ID, rita.ID) }, Reaction{true, 1}},
	} {
		if got, err := step.do(); err != nil || got != step.want {
			t.Errorf("step %d: %+v, %v; want %+v", i, got, err, step.want)
		}
	}
	var got Story
	s.r.Take(&got, st.ID)
	var likes, metoos int64
	s.r.Model(&Like{}).Where("story_id = ?", st.ID).Count(&likes)
	s.r.Model(&MeToo{}).Where("story_id = ?", st.ID).Count(&metoos)
	if got.LikeCount != 1 || got.MeTooCount != 1 || likes != 1 || metoos != 1 {
		t.Errorf("row counts %d/%d, tables %d/%d, want 1 each", got.LikeCount, got.MeTooCount, likes, metoos)
	}
	for name, f := range map[string]func() (Reaction, error){
		"unknown story": func() (Reaction, error) { return s.ToggleLike(ctx, 9999, rita.ID) },
		"draft":         func() (Reaction, error) { return s.ToggleMeToo(ctx, draft.ID, rita.ID) },
		"unknown user":  func() (Reaction, error) { return s.SetLike(ctx, st.ID, 9999, true) },
	} {
		if _, err := f(); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestStoryReactions(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "Box", time.Time{})
	var users []*User
	for i := range 7 {
		u := newUser(t, s, fmt.Sprint("u", i), RoleReader)
		users = append(users, u)
		clock.Add(time.Minute)
		if _, err := s.ToggleLike(ctx, st.ID, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ToggleMeToo(ctx, st.ID, users[0].ID); err != nil {
		t.Fatal(err)
	}
	outsider := newUser(t, s, "out", RoleReader)
	for name, tc := range map[string]struct {
		viewer       uint
		liked, metoo bool
		queries      int64
	}{
		"anonymous":      {0, false, false, 2},
		"liker, me too":  {users[0].ID, true, true, 3},
		"liker":          {users[6].ID, true, false, 3},
		"neither of two": {outsider.ID, false, false, 3},
	} {
		before := queries(s)
		r, err := s.StoryReactions(ctx, st.ID, tc.viewer)
		if n := queries(s) - before; n != tc.queries {
			t.Errorf("%s: %d queries, want %d", name, n, tc.queries)
		}
		if err != nil || r.Likes != 7 || r.MeToos != 1 || len(r.Likers) != MaxLikers || r.Likers[0].ID != users[6].ID ||
			r.Likers[4].ID != users[2].ID || r.Likers[0].Name != "U6" || r.Liked != tc.liked || r.MeToo != tc.metoo {
			t.Errorf("%s: %+v, %v", name, r, err)
		}
	}
	if _, err := s.StoryReactions(ctx, 9999, 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown story: %v", err)
	}
}

func TestCompanyStoriesByMeToo(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	ana := newUser(t, s, "ana", RoleAuthor)
	orange, ikea := &Company{Name: "Orange"}, &Company{Name: "IKEA"}
	for _, c := range []*Company{orange, ikea} {
		if err := s.CreateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	var readers []*User
	for i := range 3 {
		readers = append(readers, newUser(t, s, fmt.Sprint("r", i), RoleReader))
	}
	// Title -> company and number of "me too".
	plan := []struct {
		title   string
		company *Company
		metoo   int
	}{{"Quiet", orange, 0}, {"Loud", orange, 3}, {"Middling", orange, 1}, {"Elsewhere", ikea, 3}}
	for _, p := range plan {
		st, err := s.CreateStory(ctx, StoryInput{Title: p.title, Body: "x", AuthorID: ana.ID, CompanyID: &p.company.ID, Status: StatusPublished})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range readers[:p.metoo] {
			if _, err := s.SetMeToo(ctx, st.ID, r.ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	page, err := s.CompanyStoriesByMeToo(ctx, orange.ID, 1)
	var titles []string
	for _, st := range page.Stories {
		titles = append(titles, fmt.Sprint(st.Title, ":", st.MeTooCount))
	}
	if err != nil || fmt.Sprint(titles) != "[Loud:3 Middling:1 Quiet:0]" || page.Total != 3 || page.Stories[0].Company.Name != "Orange" {
		t.Errorf("Orange by me too: %v, %v", titles, err)
	}
	for name, f := range map[string]func() (StoryPage, error){
		"page 2":    func() (StoryPage, error) { return s.CompanyStoriesByMeToo(ctx, orange.ID, 2) },
		"company 0": func() (StoryPage, error) { return s.CompanyStoriesByMeToo(ctx, 0, 1) },
	} {
		if _, err := f(); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// 32 readers at once like, unlike, say me too (with double clicks) and
// comment, while others read: nothing fails and every count is exact.
func TestConcurrentReactionsAndComments(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "Box", time.Time{})
	const workers, comments = 32, 3
	var users []*User
	for i := range workers {
		users = append(users, newUser(t, s, fmt.Sprint("r", i), RoleReader))
	}
	// Every reading of the clock moves it past the flood interval, so that each
	// reader's comments are far enough apart whatever the interleaving.
	clock.mu.Lock()
	clock.step = FloodInterval + time.Second
	clock.mu.Unlock()
	var wg sync.WaitGroup
	errs := make(chan error, workers*20)
	for i, u := range users {
		wg.Go(func() {
			try := func(err error) {
				if err != nil {
					errs <- err
				}
			}
			for range 3 { // on, off, on
				_, err := s.ToggleLike(ctx, st.ID, u.ID)
				try(err)
			}
			var dbl sync.WaitGroup
			for range 2 { // a double click
				dbl.Go(func() { _, err := s.SetMeToo(ctx, st.ID, u.ID, true); try(err) })
			}
			dbl.Wait()
			for j := range comments {
				_, held, err := s.PostComment(ctx, userPost(st.ID, u, fmt.Sprint("comment ", j)))
				try(err)
				if held {
					errs <- fmt.Errorf("reader %d's comment was held", i)
				}
			}
			_, _, err := s.PostComment(ctx, guestPost(st.ID, fmt.Sprint("10.9.9.", i), fmt.Sprintf("g%d@example.com", i), "guest"))
			try(err)
			_, err = s.StoryReactions(ctx, st.ID, u.ID)
			try(err)
			_, err = s.CommentsFor(ctx, st.ID, Viewer{UserID: &u.ID})
			try(err)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	r, err := s.StoryReactions(ctx, st.ID, 0)
	if err != nil || r.Likes != workers || r.MeToos != workers {
		t.Errorf("likes %d, me too %d, want %d each (%v)", r.Likes, r.MeToos, workers, err)
	}
	if n := storyCommentCount(t, s, st.ID); n != workers*comments {
		t.Errorf("comment count %d, want %d", n, workers*comments)
	}
	var pending int64
	s.r.Model(&Comment{}).Where("story_id = ? AND status = ?", st.ID, CommentPending).Count(&pending)
	if pending != workers {
		t.Errorf("%d held guest comments, want %d", pending, workers)
	}
}
