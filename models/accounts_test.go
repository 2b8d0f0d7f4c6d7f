package models

import (
	"context"
	"errors"
	"testing"
	"time"
)

// authorWithContent makes a user with a story, a comment on it and a reply by someone else.
func authorWithContent(t *testing.T, s *Store) (*User, *Story) {
	t.Helper()
	ctx := context.Background()
	u, err := s.SignInWithIdentity(ctx, IdentityInput{Provider: "github", ProviderUserID: "1", Name: "Ada", Nick: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.SignInWithIdentity(ctx, IdentityInput{Provider: "github", ProviderUserID: "2", Name: "Bob", Nick: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateStory(ctx, StoryInput{Title: "My bank", Body: "It lost my file.", AuthorID: u.ID, Status: StatusPublished})
	if err != nil {
		t.Fatal(err)
	}
	bobStory, err := s.CreateStory(ctx, StoryInput{Title: "Bob's bank", Body: "Same.", AuthorID: other.ID, Status: StatusPublished})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.AddComment(ctx, CommentInput{StoryID: bobStory.ID, UserID: &u.ID, AuthorName: "Ada", Body: "Me too", Status: CommentApproved})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddComment(ctx, CommentInput{StoryID: bobStory.ID, ParentID: &c.ID, UserID: &other.ID, AuthorName: "Bob", Body: "Sorry", Status: CommentApproved}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSession(ctx, u.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	return u, bobStory
}

func TestDeleteUserKeep(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	u, bobStory := authorWithContent(t, s)
	if err := s.DeleteUser(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	st, err := s.PublishedStory(ctx, "my-bank")
	if err != nil || st.Author.Handle != DeletedUserHandle {
		t.Fatalf("kept story: %v, author %q", err, st.Author.Handle)
	}
	cs, _ := s.Comments(ctx, bobStory.ID)
	if len(cs) != 2 || cs[0].AuthorName != "deleted user" {
		t.Errorf("kept comments: %+v", cs)
	}
	if ids, _ := s.Identities(ctx, u.ID); len(ids) != 0 {
		t.Error("identities left")
	}
	var n int64
	s.r.Model(&Session{}).Where("user_id = ?", u.ID).Count(&n)
	if n != 0 {
		t.Error("sessions left")
	}
}

func TestDeleteUserRemove(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	u, bobStory := authorWithContent(t, s)
	if err := s.DeleteUser(ctx, u.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishedStory(ctx, "my-bank"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed story still there: %v", err)
	}
	cs, _ := s.Comments(ctx, bobStory.ID)
	st, _ := s.PublishedStory(ctx, bobStory.Slug)
	if len(cs) != 1 || cs[0].AuthorName != "Bob" || st.CommentCount != 1 {
		t.Errorf("after removal: %d comments, count %d", len(cs), st.CommentCount)
	}
	if _, err := s.UserByID(ctx, u.ID); !errors.Is(err, ErrNotFound) {
		t.Error("user still there")
	}
}

func TestUnlinkAndNoMergeByEmail(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	u, _ := s.SignInWithIdentity(ctx, IdentityInput{Provider: "github", ProviderUserID: "1", Name: "Ada", Email: "a@x.org", EmailVerified: false})
	v, _ := s.SignInWithIdentity(ctx, IdentityInput{Provider: "oidc", ProviderUserID: "s", Name: "Ada", Email: "a@x.org", EmailVerified: true})
	if u.ID == v.ID || u.Email != "" {
		t.Fatalf("accounts merged by email, or unverified email kept: %+v %+v", u, v)
	}
	ids, _ := s.Identities(ctx, u.ID)
	if err := s.UnlinkIdentity(ctx, u.ID, ids[0].ID); !errors.Is(err, ErrLastSignIn) {
		t.Fatalf("unlink last: %v", err)
	}
	if err := s.LinkIdentity(ctx, u.ID, IdentityInput{Provider: "oidc", ProviderUserID: "s"}); !errors.Is(err, ErrConflict) {
		t.Errorf("linking another user's identity: %v", err)
	}
	if err := s.LinkIdentity(ctx, u.ID, IdentityInput{Provider: "google", ProviderUserID: "g"}); err != nil {
		t.Fatal(err)
	}
	if err := s.UnlinkIdentity(ctx, u.ID, ids[0].ID); err != nil {
		t.Errorf("unlink with another left: %v", err)
	}
	if ids, _ := s.Identities(ctx, u.ID); len(ids) != 1 || ids[0].Provider != "google" {
		t.Errorf("identities after unlink: %+v", ids)
	}
}

// Deleting stories and accounts must take along, or hand over, every row
// that points at them: likes, reports, revisions and updates included.
func TestDeletingTakesEveryDependentRow(t *testing.T) {
	for _, keep := range []bool{true, false} {
		s, _ := newTestStore(t)
		ctx := context.Background()
		author, admin, reader := newUser(t, s, "ana", RoleAuthor), newUser(t, s, "root", RoleAuthor), newUser(t, s, "rita", RoleAuthor)
		if err := s.w.Model(admin).Update("role", RoleAdmin).Error; err != nil {
			t.Fatal(err)
		}
		st := newStory(t, s, author, "Une histoire", time.Time{})
		other := newStory(t, s, admin, "Another", time.Time{})
		if _, err := s.UpdateStory(ctx, st.ID, admin.ID, StoryInput{Title: "Une histoire", Body: "edited by the admin"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateStory(ctx, other.ID, author.ID, StoryInput{Title: "Another", Body: "x"}); !errors.Is(err, ErrNotFound) {
			t.Fatalf("author edits another's story: %v", err)
		}
		if _, err := s.AddStoryUpdate(ctx, st.ID, author.ID, "Refund received.", ResolutionResolved); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetLike(ctx, st.ID, reader.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetMeToo(ctx, other.ID, author.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Report(ctx, reader.ID, ReportTarget{StoryID: st.ID}, ReasonSpam); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, admin.ID, keep); err != nil {
			t.Fatalf("keep=%v: delete an admin who edited a story: %v", keep, err)
		}
		if err := s.DeleteUser(ctx, author.ID, keep); err != nil {
			t.Fatalf("keep=%v: delete an author with updates, likes and reports: %v", keep, err)
		}
		if !keep {
			continue
		}
		if err := s.DeleteStory(ctx, st.ID, newUser(t, s, "boss", RoleAdmin).ID); err != nil {
			t.Fatalf("delete a liked, reported story: %v", err)
		}
	}
}

// A setup link makes the first admin only: once the site has one, a link
// still valid (in a log, say) does nothing and stays unused.
func TestSetupLinkDoesNothingOnceThereIsAnAdmin(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	first, err := s.CreateOneTimeToken(ctx, PurposeSetup, nil, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	later, err := s.CreateOneTimeToken(ctx, PurposeSetup, nil, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateFirstAdmin(ctx, first, "Ada"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateFirstAdmin(ctx, later, "Mallory"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a second setup link: %v, want ErrNotFound", err)
	}
	if _, err := s.UserByEmailOrHandle(ctx, "mallory"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the second link made an account: %v", err)
	}
}

// A departing reader's likes and "me too"s leave the counts with them,
// whether their content is kept or removed.
func TestDeleteUserRecountsReactions(t *testing.T) {
	for _, keep := range []bool{true, false} {
		s, _ := newTestStore(t)
		ctx := context.Background()
		u, bobStory := authorWithContent(t, s)
		other := newUser(t, s, "cy", RoleReader)
		for _, id := range []uint{u.ID, other.ID} {
			if _, err := s.SetLike(ctx, bobStory.ID, id, true); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SetMeToo(ctx, bobStory.ID, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, u.ID, keep); err != nil {
			t.Fatal(err)
		}
		st, err := s.PublishedStory(ctx, bobStory.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if st.LikeCount != 1 || st.MeTooCount != 0 {
			t.Errorf("keep=%v: %d likes, %d me too after the reader left; want 1 and 0", keep, st.LikeCount, st.MeTooCount)
		}
	}
}
