package models

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

func TestPublishedStoriesPagination(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	a := newUser(t, s, "ana", RoleAuthor)
	base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 23 {
		newStory(t, s, a, fmt.Sprintf("Story %d", i), base.Add(time.Duration(i)*time.Hour))
	}
	if _, err := s.CreateStory(ctx, StoryInput{Title: "Draft", AuthorID: a.ID}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		page, count int
		first       string
	}{{1, 10, "Story 22"}, {2, 10, "Story 12"}, {3, 3, "Story 2"}} {
		p, err := s.PublishedStories(ctx, StoryFilter{}, tt.page)
		if err != nil {
			t.Fatalf("page %d: %v", tt.page, err)
		}
		if len(p.Stories) != tt.count || p.Stories[0].Title != tt.first || p.Pages != 3 || p.Total != 23 {
			t.Errorf("page %d: %d stories, first %q, %d pages, total %d", tt.page, len(p.Stories), p.Stories[0].Title, p.Pages, p.Total)
		}
		if p.Stories[0].Author.Handle != "ana" {
			t.Errorf("author not loaded: %+v", p.Stories[0].Author)
		}
	}
	for _, n := range []int{0, -1, 4, 999} {
		if _, err := s.PublishedStories(ctx, StoryFilter{}, n); !errors.Is(err, ErrNotFound) {
			t.Errorf("page %d: err = %v, want ErrNotFound", n, err)
		}
	}
	// Page 1 of an empty list is a page, not an error.
	p, err := s.PublishedStories(ctx, StoryFilter{AuthorID: 999}, 1)
	if err != nil || len(p.Stories) != 0 || p.Pages != 0 {
		t.Errorf("empty list: %+v, %v", p, err)
	}
}

func TestFiltersAndNeighbours(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	a, b := newUser(t, s, "ana", RoleAuthor), newUser(t, s, "bob", RoleAuthor)
	tel := &Category{Name: "Telecom"}
	bank := &Category{Name: "Banking"}
	for _, c := range []*Category{tel, bank} {
		if err := s.CreateCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	co := &Company{Name: "Orange"}
	if err := s.CreateCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	jan := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	s1 := newStory(t, s, a, "One", jan, tel.ID)
	s2 := newStory(t, s, b, "Two", jan.AddDate(0, 1, 0), bank.ID)
	in := StoryInput{Title: "Three", Body: "x", AuthorID: a.ID, Status: StatusPublished, CompanyID: &co.ID,
		Tags: []string{"Fibre", " fibre ", "Lettre recommandée"}, CategoryIDs: []uint{tel.ID, bank.ID}}
	mar := jan.AddDate(0, 2, 0)
	in.PublishedAt = &mar
	s3, err := s.CreateStory(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(s3.Tags) != 2 || s3.Tags[1].Slug != "lettre-recommandee" {
		t.Errorf("tags = %+v", s3.Tags)
	}
	titles := func(f StoryFilter) string {
		p, err := s.PublishedStories(ctx, f, 1)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, st := range p.Stories {
			out += st.Title + ","
		}
		return out
	}
	for name, tt := range map[string]struct {
		f    StoryFilter
		want string
	}{
		"category": {StoryFilter{CategoryID: tel.ID}, "Three,One,"},
		"tag":      {StoryFilter{TagID: s3.Tags[0].ID}, "Three,"},
		"author":   {StoryFilter{AuthorID: a.ID}, "Three,One,"},
		"company":  {StoryFilter{CompanyID: co.ID}, "Three,"},
		"month":    {StoryFilter{From: jan.AddDate(0, 0, -9), To: jan.AddDate(0, 1, -9)}, "One,"},
	} {
		if got := titles(tt.f); got != tt.want {
			t.Errorf("%s: %s, want %s", name, got, tt.want)
		}
	}
	prev, next, err := s.Neighbours(ctx, s2)
	if err != nil || prev == nil || next == nil || prev.Slug != s1.Slug || next.Slug != s3.Slug ||
		!prev.PublishedAt.Equal(*s1.PublishedAt) || !next.PublishedAt.Equal(*s3.PublishedAt) {
		t.Errorf("neighbours of two: %+v %+v %v", prev, next, err)
	}
	if prev, _, _ := s.Neighbours(ctx, s1); prev != nil {
		t.Errorf("first story has a previous one: %+v", prev)
	}
	st1, err := s.PublishedStory(ctx, s1.Slug)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := s.Related(ctx, st1, 5)
	if err != nil || len(rel) != 1 || rel[0].Slug != s3.Slug || !rel[0].PublishedAt.Equal(*s3.PublishedAt) {
		t.Errorf("related to one: %+v %v", rel, err)
	}
	sb, err := s.Sidebar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sb.Categories) != 2 || sb.Categories[0].StoryCount+sb.Categories[1].StoryCount != 4 ||
		len(sb.Companies) != 1 || sb.Companies[0].StoryCount != 1 || len(sb.Months) != 3 || sb.Months[0].Path() != "2026/03" {
		t.Errorf("sidebar = %+v", sb)
	}
	if _, err := s.PublishedStory(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown story: %v", err)
	}
}

func TestCommentsThreadDepthAndCount(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "One", time.Time{})
	var parent *uint
	for i := range 7 {
		c, err := s.AddComment(ctx, CommentInput{StoryID: st.ID, ParentID: parent, AuthorName: "G", Body: fmt.Sprint("reply ", i), Status: CommentApproved})
		if err != nil {
			t.Fatal(err)
		}
		if want := min(i, MaxDepth-1); c.Depth != want {
			t.Errorf("comment %d depth %d, want %d", i, c.Depth, want)
		}
		parent = &c.ID
	}
	if _, err := s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "G", Body: "held"}); err != nil {
		t.Fatal(err)
	}
	other := newStory(t, s, newUser(t, s, "bob", RoleAuthor), "Two", time.Time{})
	if _, err := s.AddComment(ctx, CommentInput{StoryID: other.ID, ParentID: parent, AuthorName: "G", Body: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("reply to another story's comment: %v", err)
	}
	var ve *ValidationError
	if _, err := s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "G", Body: "  "}); !errors.As(err, &ve) {
		t.Errorf("empty comment: %v", err)
	}
	cs, err := s.Comments(ctx, st.ID)
	if err != nil || len(cs) != 7 {
		t.Fatalf("%d approved comments, %v", len(cs), err)
	}
	got, _ := s.PublishedStory(ctx, st.Slug)
	if got.CommentCount != 7 {
		t.Errorf("comment count %d, want 7", got.CommentCount)
	}
}

// Read-then-write transactions from many goroutines must all succeed: with
// plain deferred transactions, SQLite answers "database is locked".
func TestConcurrentReadThenWriteTransactions(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "One", time.Time{})
	const workers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
					var n int
					if err := tx.Model(&Story{}).Select("like_count").Where("id = ?", st.ID).Scan(&n).Error; err != nil {
						return err
					}
					return tx.Model(&Story{}).Where("id = ?", st.ID).Update("like_count", n+1).Error
				})
				if err != nil {
					errs <- err
				}
				if _, err := s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "G", Body: "hi", Status: CommentApproved}); err != nil {
					errs <- err
				}
				if _, err := s.PublishedStories(ctx, StoryFilter{}, 1); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := s.PublishedStory(ctx, st.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.LikeCount != workers*each || got.CommentCount != workers*each {
		t.Errorf("likes %d, comments %d, want %d each", got.LikeCount, got.CommentCount, workers*each)
	}
}

func TestCreateStoryValidation(t *testing.T) {
	s, _ := newTestStore(t)
	a := newUser(t, s, "ana", RoleAuthor)
	long := make([]rune, MaxTitleLen+1)
	for i := range long {
		long[i] = 'é'
	}
	for name, in := range map[string]StoryInput{
		"empty title":  {Title: "  ", AuthorID: a.ID},
		"long title":   {Title: string(long), AuthorID: a.ID},
		"bad status":   {Title: "x", Status: "sticky", AuthorID: a.ID},
		"bad outcome":  {Title: "x", Resolution: "maybe", AuthorID: a.ID},
		"eleven tags":  {Title: "x", AuthorID: a.ID, Tags: []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}},
		"body too big": {Title: "x", AuthorID: a.ID, Body: string(make([]byte, MaxBodyLen+1))},
	} {
		var ve *ValidationError
		if _, err := s.CreateStory(context.Background(), in); !errors.As(err, &ve) || len(ve.Fields) != 1 {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
