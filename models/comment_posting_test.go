package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func guestPost(storyID uint, ip, email, body string) CommentPost {
	return CommentPost{StoryID: storyID, Poster: Poster{IP: ip}, Name: "Guest", Email: email, Body: body}
}

func userPost(storyID uint, u *User, body string) CommentPost {
	return CommentPost{StoryID: storyID, Poster: Poster{UserID: &u.ID, IP: "10.0.0.1"}, Body: body}
}

func storyCommentCount(t *testing.T, s *Store, id uint) int {
	t.Helper()
	var st Story
	if err := s.r.Take(&st, id).Error; err != nil {
		t.Fatal(err)
	}
	var rows int64
	s.r.Model(&Comment{}).Where("story_id = ? AND status = ? AND deleted = ?", id, CommentApproved, false).Count(&rows)
	if int64(st.CommentCount) != rows {
		t.Errorf("story %d: comment_count %d but %d approved rows", id, st.CommentCount, rows)
	}
	return st.CommentCount
}

func TestPostCommentModeration(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	author := newUser(t, s, "ana", RoleAuthor)
	admin := newUser(t, s, "root", RoleAdmin)
	reader := newUser(t, s, "rita", RoleReader)
	st := newStory(t, s, author, "Box", time.Time{})
	rules := ModerationRules{HoldWords: []string{"Casino", "viagra"}}
	links := "see https://a.example https://b.example and https://c.example"

	first, held, err := s.PostComment(ctx, guestPost(st.ID, "1.1.1.1", "Zoe@Example.com", "first"))
	if err != nil || !held || first.Status != CommentPending || first.AuthorEmail != "zoe@example.com" {
		t.Fatalf("unknown guest: held %v, %+v, %v", held, first, err)
	}
	if _, err := s.ModerateComments(ctx, admin.ID, []uint{first.ID}, ActionApprove); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		name string
		post CommentPost
		held bool
	}{
		{"known email approved", guestPost(st.ID, "1.1.1.2", "zoe@EXAMPLE.com", "again"), false},
		{"new email held", guestPost(st.ID, "1.1.1.3", "max@example.com", "hello"), true},
		{"known email, two links", guestPost(st.ID, "1.1.1.4", "zoe@example.com", "https://a.example and https://b.example"), false},
		{"known email, three links", guestPost(st.ID, "1.1.1.5", "zoe@example.com", links), true},
		{"known email, word in body", guestPost(st.ID, "1.1.1.6", "zoe@example.com", "best CASINO in town"), true},
		{"known email, word in name", func() CommentPost {
			p := guestPost(st.ID, "1.1.1.7", "zoe@example.com", "fine")
			p.Name = "Viagra shop"
			return p
		}(), true},
		{"reader approved", userPost(st.ID, reader, "as a reader"), false},
		{"reader, three links", userPost(st.ID, reader, links), true},
		{"reader, word", userPost(st.ID, reader, "casino"), true},
		{"story author, links and word", userPost(st.ID, author, links+" casino"), false},
		{"admin, links", userPost(st.ID, admin, links), false},
	} {
		clock.Add(FloodInterval)
		tc.post.Rules = rules
		c, held, err := s.PostComment(ctx, tc.post)
		if err != nil {
			t.Errorf("%d %s: %v", i, tc.name, err)
			continue
		}
		if held != tc.held || (c.Status == CommentPending) != tc.held {
			t.Errorf("%d %s: held %v (status %s), want %v", i, tc.name, held, c.Status, tc.held)
		}
	}
	if n := storyCommentCount(t, s, st.ID); n != 6 {
		t.Errorf("comment count %d, want 6", n)
	}
	// MaxLinks is configurable.
	clock.Add(FloodInterval)
	if _, held, err := s.PostComment(ctx, CommentPost{StoryID: st.ID, Poster: Poster{UserID: &reader.ID},
		Body: links, Rules: ModerationRules{MaxLinks: 3}}); err != nil || held {
		t.Errorf("three links with MaxLinks 3: held %v, %v", held, err)
	}
}

func TestPostCommentValidation(t *testing.T) {
	s, _ := newTestStore(t)
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "Box", time.Time{})
	ok := guestPost(st.ID, "1.1.1.1", "zoe@example.com", "fine")
	with := func(f func(*CommentPost)) CommentPost { p := ok; f(&p); return p }
	for name, tc := range map[string]struct {
		post  CommentPost
		field string
	}{
		"empty body":       {with(func(p *CommentPost) { p.Body = " \n " }), "body"},
		"body too long":    {with(func(p *CommentPost) { p.Body = strings.Repeat("é", MaxCommentLen+1) }), "body"},
		"1 MB body":        {with(func(p *CommentPost) { p.Body = strings.Repeat("a", 1<<20) }), "body"},
		"NUL in body":      {with(func(p *CommentPost) { p.Body = "a\x00b" }), "body"},
		"bidi override":    {with(func(p *CommentPost) { p.Body = "abc\u202Egpj.exe" }), "body"},
		"invalid UTF-8":    {with(func(p *CommentPost) { p.Body = "a\xffb" }), "body"},
		"no name":          {with(func(p *CommentPost) { p.Name = "  " }), "name"},
		"long name":        {with(func(p *CommentPost) { p.Name = strings.Repeat("n", MaxNameLen+1) }), "name"},
		"control in name":  {with(func(p *CommentPost) { p.Name = "a\x1bb" }), "name"},
		"no email":         {with(func(p *CommentPost) { p.Email = "" }), "email"},
		"bad email":        {with(func(p *CommentPost) { p.Email = "zoe at example" }), "email"},
		"email with name":  {with(func(p *CommentPost) { p.Email = "Zoe <zoe@example.com>" }), "email"},
		"email no domain":  {with(func(p *CommentPost) { p.Email = "zoe@localhost" }), "email"},
		"long email":       {with(func(p *CommentPost) { p.Email = strings.Repeat("z", 250) + "@example.com" }), "email"},
		"javascript url":   {with(func(p *CommentPost) { p.URL = "javascript:alert(1)" }), "url"},
		"data url":         {with(func(p *CommentPost) { p.URL = "data:text/html,<script>" }), "url"},
		"ftp url":          {with(func(p *CommentPost) { p.URL = "ftp://example.com" }), "url"},
		"long url":         {with(func(p *CommentPost) { p.URL = "https://example.com/" + strings.Repeat("p", MaxURLLen) }), "url"},
		"url with a quote": {with(func(p *CommentPost) { p.URL = `https://example.com/"onmouseover=x` }), "url"},
	} {
		var ve *ValidationError
		_, _, err := s.PostComment(context.Background(), tc.post)
		if !errors.As(err, &ve) || ve.Fields[tc.field] == "" || len(ve.Fields) != 1 {
			t.Errorf("%s: err = %v (%+v), want a message for %s", name, err, ve, tc.field)
		}
	}
	// A signed-in user's name, email and website are not asked for.
	u := newUser(t, s, "rita", RoleReader)
	c, _, err := s.PostComment(context.Background(), CommentPost{StoryID: st.ID, Poster: Poster{UserID: &u.ID}, Body: "hi", Email: "x"})
	if err != nil || c.AuthorName != "RITA" || c.AuthorEmail != "" {
		t.Errorf("signed-in comment: %+v, %v", c, err)
	}
	c, _, err = s.PostComment(context.Background(), with(func(p *CommentPost) { p.URL = "example.com/me" }))
	if err != nil || c.AuthorURL != "https://example.com/me" || c.IP != "1.1.1.1" {
		t.Errorf("website without scheme: %+v, %v", c, err)
	}
}

func TestPostCommentRefusals(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	author, other := newUser(t, s, "ana", RoleAuthor), newUser(t, s, "rita", RoleReader)
	admin := newUser(t, s, "root", RoleAdmin)
	st := newStory(t, s, author, "Box", time.Time{})
	st2 := newStory(t, s, author, "Other", time.Time{})
	draft, err := s.CreateStory(ctx, StoryInput{Title: "Draft", Body: "x", AuthorID: author.ID})
	if err != nil {
		t.Fatal(err)
	}
	post := func(p CommentPost) (*Comment, error) {
		clock.Add(FloodInterval)
		c, _, err := s.PostComment(ctx, p)
		return c, err
	}
	root, err := post(userPost(st.ID, other, "root"))
	if err != nil {
		t.Fatal(err)
	}
	held, err := post(userPost(st.ID, other, "a b c https://a.x https://b.x https://c.x"))
	if err != nil || held.Status != CommentPending {
		t.Fatal(held, err)
	}
	var ve *ValidationError
	for name, p := range map[string]CommentPost{
		"reply to another story's comment": {StoryID: st2.ID, ParentID: &root.ID, Poster: Poster{UserID: &other.ID}, Body: "x"},
		"reply to a held comment":          {StoryID: st.ID, ParentID: &held.ID, Poster: Poster{UserID: &other.ID}, Body: "x"},
		"reply to no comment":              {StoryID: st.ID, ParentID: new(uint(9999)), Poster: Poster{UserID: &other.ID}, Body: "x"},
	} {
		if _, err := post(p); !errors.As(err, &ve) || ve.Fields["parent"] == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, id := range map[string]uint{"unknown story": 9999, "draft": draft.ID} {
		if _, err := post(userPost(id, other, "x")); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := s.SetCommentsClosed(ctx, st.ID, other.ID, true); !errors.Is(err, ErrForbidden) {
		t.Errorf("reader closes comments: %v", err)
	}
	if err := s.SetCommentsClosed(ctx, st.ID, author.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := post(userPost(st.ID, other, "x")); !errors.Is(err, ErrCommentsClosed) || !errors.Is(err, ErrConflict) {
		t.Errorf("closed comments: %v", err)
	}
	if err := s.SetCommentsClosed(ctx, st.ID, admin.ID, false); err != nil {
		t.Fatal(err)
	}
	// The depth cap holds through PostComment too.
	parent := root
	for i := 1; i < MaxDepth+2; i++ {
		c, err := post(CommentPost{StoryID: st.ID, ParentID: &parent.ID, Poster: Poster{UserID: &other.ID}, Body: fmt.Sprint("reply ", i)})
		if err != nil {
			t.Fatal(err)
		}
		if want := min(i, MaxDepth-1); c.Depth != want {
			t.Errorf("reply %d: depth %d, want %d", i, c.Depth, want)
		}
		parent = c
	}
}
